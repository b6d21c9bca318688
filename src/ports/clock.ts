/** Wall-clock time, injectable so tests and replays control it. Event time never comes from here. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

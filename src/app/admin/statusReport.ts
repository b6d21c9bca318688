import type { ChannelStatus } from '../../domain/delivery.js';
import type { KeySetFetch } from '../../domain/signingKeys.js';
import { countBucketOf, type StreamCount, type StreamState } from '../../domain/streams.js';

/** The health Lure reports: what each stream delivered, how far behind it runs, what alerts reached, how fresh the keys are. */
export interface StatusReport {
  readonly generatedAt: string;
  /** Each source and Entra category that has delivered: last arrival, latest event time, lag between them, silence. */
  readonly sources: readonly { stream: string; lastArrivalAt: string; lastEventAt?: string; lagInSeconds?: number; silent: boolean }[];
  /** Records and dead letters per origin over the last hour (to the ten minutes), summed over every instance. */
  readonly lastHour: readonly { origin: string; records: number; deadLettered: number; lastEventAt?: string }[];
  readonly channels: readonly ChannelStatus[];
  /** When each published key set was last fetched; stale after three missed hourly refreshes. */
  readonly keySets: readonly { set: string; fetchedAt: string; ageInMinutes: number; stale: boolean }[];
}

const KEY_SET_STALE_AFTER_IN_MINUTES = 180;

/** Builds the report from what the store holds (pure: the caller reads the store). */
export function statusReportOf(input: {
  readonly now: Date;
  readonly streams: readonly StreamState[];
  readonly counts: readonly StreamCount[];
  readonly channels: readonly ChannelStatus[];
  readonly keySetFetches: readonly KeySetFetch[];
}): StatusReport {
  const since = lastHourSince(input.now);
  const byOrigin = new Map<string, { origin: string; records: number; deadLettered: number; lastEventAt?: string }>();
  for (const count of input.counts) {
    if (count.bucket < since) continue;
    const total = byOrigin.get(count.origin) ?? { origin: count.origin, records: 0, deadLettered: 0 };
    total.records += count.records;
    total.deadLettered += count.deadLettered;
    if (count.lastEventAt !== undefined && (total.lastEventAt === undefined || count.lastEventAt > total.lastEventAt)) total.lastEventAt = count.lastEventAt;
    byOrigin.set(count.origin, total);
  }
  return {
    generatedAt: input.now.toISOString(),
    sources: [...input.streams]
      .sort((a, b) => a.stream.localeCompare(b.stream))
      .map((stream) => ({
        stream: stream.stream,
        lastArrivalAt: stream.lastArrivalAt,
        ...(stream.lastEventAt === undefined
          ? {}
          : {
              lastEventAt: stream.lastEventAt,
              lagInSeconds: Math.max(0, Math.round((Date.parse(stream.lastArrivalAt) - Date.parse(stream.lastEventAt)) / 1000)),
            }),
        silent: stream.silentAlertId !== undefined,
      })),
    lastHour: [...byOrigin.values()].sort((a, b) => a.origin.localeCompare(b.origin)),
    channels: input.channels,
    keySets: [...input.keySetFetches]
      .sort((a, b) => a.set.localeCompare(b.set))
      .map((fetch) => {
        const ageInMinutes = Math.max(0, Math.round((input.now.getTime() - Date.parse(fetch.fetchedAt)) / 60_000));
        return { set: fetch.set, fetchedAt: fetch.fetchedAt, ageInMinutes, stale: ageInMinutes > KEY_SET_STALE_AFTER_IN_MINUTES };
      }),
  };
}

/** The first ten-minute bucket that counts as the last hour. */
export function lastHourSince(now: Date): string {
  return countBucketOf(new Date(now.getTime() - 3_600_000 + 600_000).toISOString());
}

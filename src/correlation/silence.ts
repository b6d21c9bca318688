import { nameOfStream, type StreamSilence, type StreamState } from '../domain/streams.js';

/** What the silence check decides for one stream. */
export type SilenceVerdict =
  | {
      readonly stream: StreamState;
      readonly action: 'raise';
      readonly silence: StreamSilence;
      readonly silentForInMinutes: number;
    }
  | { readonly stream: StreamState; readonly action: 'clear' }
  | { readonly stream: StreamState; readonly action: 'none' };

/** How long a stream may be silent before it is reported. */
export interface SilenceRules {
  /** Minutes by stream name (`SignInLogs`) or source (`exchange`); `defaultInMinutes` covers the rest. */
  readonly thresholds: ReadonlyMap<string, number>;
  readonly defaultInMinutes: number;
  /** Streams that must deliver even if they never have (`category:SignInLogs`, `source:exchange`). */
  readonly expected: ReadonlySet<string>;
  /** How long an expected stream may go without its first record, from its `expectedSince`. */
  readonly firstDeliveryGraceInMinutes: number;
}

/**
 * For each stream Lure knows (arrival time throughout: a stalled stream has no new event time):
 * - one that delivered, silent longer than its threshold and not yet alerted → raise; alerted but flowing
 *   again → clear;
 * - one expected that never delivered, past the first-delivery grace and not yet alerted → raise; its alert
 *   clears with its first record (it is then judged as one that delivered), or when it is no longer expected.
 */
export function silenceVerdicts(streams: readonly StreamState[], now: string, rules: SilenceRules): SilenceVerdict[] {
  return streams.map((stream): SilenceVerdict => {
    const alerted = stream.silentAlertId !== undefined;
    if (stream.lastArrivalAt === undefined) {
      const expectedSince = rules.expected.has(stream.stream) ? stream.expectedSince : undefined;
      if (expectedSince === undefined) return alerted ? { stream, action: 'clear' } : { stream, action: 'none' };
      const waitedInMinutes = minutesBetween(expectedSince, now);
      if (waitedInMinutes > rules.firstDeliveryGraceInMinutes && !alerted) {
        return { stream, action: 'raise', silence: 'neverDelivered', silentForInMinutes: Math.floor(waitedInMinutes) };
      }
      return { stream, action: 'none' };
    }
    const name = nameOfStream(stream.stream);
    const thresholdInMinutes = rules.thresholds.get(name) ?? rules.thresholds.get(stream.source) ?? rules.defaultInMinutes;
    const silentForInMinutes = minutesBetween(stream.lastArrivalAt, now);
    const silent = silentForInMinutes > thresholdInMinutes;
    if (silent && !alerted) return { stream, action: 'raise', silence: 'stopped', silentForInMinutes: Math.floor(silentForInMinutes) };
    if (!silent && alerted) return { stream, action: 'clear' };
    return { stream, action: 'none' };
  });
}

function minutesBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 60_000;
}

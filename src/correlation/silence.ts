import type { StreamState } from '../domain/streams.js';

/** What the silence check decides for one stream. */
export type SilenceVerdict =
  | { readonly stream: StreamState; readonly action: 'raise'; readonly silentForInMinutes: number }
  | { readonly stream: StreamState; readonly action: 'clear' }
  | { readonly stream: StreamState; readonly action: 'none' };

/**
 * For each stream that ever delivered: silent longer than its threshold (arrival time) and not yet
 * alerted → raise; alerted but flowing again → clear. `thresholds` maps a stream, or its source, to
 * minutes; `defaultInMinutes` covers the rest.
 */
export function silenceVerdicts(
  streams: readonly StreamState[],
  now: string,
  thresholds: ReadonlyMap<string, number>,
  defaultInMinutes: number,
): SilenceVerdict[] {
  return streams.map((stream): SilenceVerdict => {
    const name = stream.stream.replace(/^(source|category):/, '');
    const thresholdInMinutes = thresholds.get(name) ?? thresholds.get(stream.source) ?? defaultInMinutes;
    const silentForInMinutes = (Date.parse(now) - Date.parse(stream.lastArrivalAt)) / 60_000;
    const silent = silentForInMinutes > thresholdInMinutes;
    if (silent && stream.silentAlertId === undefined) return { stream, action: 'raise', silentForInMinutes: Math.floor(silentForInMinutes) };
    if (!silent && stream.silentAlertId !== undefined) return { stream, action: 'clear' };
    return { stream, action: 'none' };
  });
}

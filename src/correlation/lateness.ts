import type { LatenessHistogram } from '../domain/tokens.js';

/**
 * How late sign-in records arrive, as a histogram with geometric buckets: a record's lateness is how far its
 * event time lies behind its category's watermark when it arrives (0 when it moves the watermark). Bucket `i`
 * (from 1) holds latenesses in (bound[i-1], bound[i]] seconds; bucket 0 holds records on time. A quantile is
 * read as the upper bound of its bucket, so it errs late, never early, by at most the bucket ratio: a grace
 * built on it may wait a little longer than needed, never judge too soon.
 */

/** Each bucket is this much wider than the one before: quantiles are exact to within 20 %. */
const BUCKET_RATIO = 1.2;
/** Latenesses beyond a week fall in the last bucket: the token index keeps nothing that old anyway. */
const LONGEST_IN_SECONDS = 7 * 86_400;

/** Upper bounds of buckets 1…n, in seconds: 1, 1.2, 1.44, … up to a week. */
export const LATENESS_BUCKET_BOUNDS_IN_SECONDS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let bound = 1; bound < LONGEST_IN_SECONDS; bound *= BUCKET_RATIO) bounds.push(bound);
  bounds.push(LONGEST_IN_SECONDS);
  return bounds;
})();

const BUCKETS = LATENESS_BUCKET_BOUNDS_IN_SECONDS.length + 1;

export function emptyLateness(): LatenessHistogram {
  return { counts: new Array<number>(BUCKETS).fill(0), total: 0, maxInSeconds: 0 };
}

/** The bucket a lateness falls in: the first whose upper bound holds it (a binary search of some 75 bounds). */
export function latenessBucketOf(latenessInSeconds: number): number {
  if (!(latenessInSeconds > 0)) return 0;
  let low = 0;
  let high = LATENESS_BUCKET_BOUNDS_IN_SECONDS.length - 1;
  if (latenessInSeconds >= (LATENESS_BUCKET_BOUNDS_IN_SECONDS[high] ?? LONGEST_IN_SECONDS)) return BUCKETS - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (latenessInSeconds <= (LATENESS_BUCKET_BOUNDS_IN_SECONDS[middle] ?? 0)) high = middle;
    else low = middle + 1;
  }
  return low + 1;
}

/** A histogram being filled, record by record, without a copy per record (the ingest path's). */
export interface LatenessTally extends LatenessHistogram {
  readonly counts: number[];
  total: number;
  maxInSeconds: number;
  retractedMaxInSeconds?: number;
}

export function newLatenessTally(): LatenessTally {
  return { counts: new Array<number>(BUCKETS).fill(0), total: 0, maxInSeconds: 0 };
}

/** Adds one lateness (seconds) to the tally. */
export function tallyLateness(tally: LatenessTally, latenessInSeconds: number): void {
  const bucket = latenessBucketOf(latenessInSeconds);
  tally.counts[bucket] = (tally.counts[bucket] ?? 0) + 1;
  tally.total += 1;
  if (latenessInSeconds > tally.maxInSeconds) tally.maxInSeconds = latenessInSeconds;
}

/** The histogram with these latenesses added (seconds). */
export function withLateness(histogram: LatenessHistogram, latenessesInSeconds: readonly number[]): LatenessHistogram {
  if (latenessesInSeconds.length === 0) return histogram;
  const counts = [...histogram.counts];
  let maxInSeconds = histogram.maxInSeconds;
  for (const lateness of latenessesInSeconds) {
    const bucket = latenessBucketOf(lateness);
    counts[bucket] = (counts[bucket] ?? 0) + 1;
    if (lateness > maxInSeconds) maxInSeconds = lateness;
  }
  return { counts, total: histogram.total + latenessesInSeconds.length, maxInSeconds };
}

/** Histograms of several writers (instances, hours) as one. */
export function mergeLateness(histograms: readonly LatenessHistogram[]): LatenessHistogram {
  const merged = emptyLateness();
  const counts = [...merged.counts];
  let total = 0;
  let maxInSeconds = 0;
  let retractedMaxInSeconds = 0;
  for (const histogram of histograms) {
    histogram.counts.forEach((count, bucket) => {
      const into = Math.min(bucket, BUCKETS - 1);
      counts[into] = (counts[into] ?? 0) + count;
    });
    total += histogram.total;
    maxInSeconds = Math.max(maxInSeconds, histogram.maxInSeconds);
    retractedMaxInSeconds = Math.max(retractedMaxInSeconds, histogram.retractedMaxInSeconds ?? 0);
  }
  return retractedMaxInSeconds > 0 ? { counts, total, maxInSeconds, retractedMaxInSeconds } : { counts, total, maxInSeconds };
}

/**
 * The lateness (seconds) that a share `quantile` of the records did not exceed, read as its bucket's upper
 * bound and never above the largest seen; 0 for an empty histogram.
 */
export function latenessQuantile(histogram: LatenessHistogram, quantile: number): number {
  if (histogram.total === 0) return 0;
  const rank = Math.max(1, Math.ceil(quantile * histogram.total));
  let seen = 0;
  for (let bucket = 0; bucket < histogram.counts.length; bucket += 1) {
    seen += histogram.counts[bucket] ?? 0;
    if (seen >= rank) return bucket === 0 ? 0 : Math.min(LATENESS_BUCKET_BOUNDS_IN_SECONDS[bucket - 1] ?? LONGEST_IN_SECONDS, histogram.maxInSeconds);
  }
  return histogram.maxInSeconds;
}

/** A histogram in the figures people read: how many records, and the quantiles of their lateness (seconds). */
export interface LatenessSummary {
  readonly records: number;
  readonly p50InSeconds: number;
  readonly p99InSeconds: number;
  readonly p999InSeconds: number;
  readonly maxInSeconds: number;
}

export function latenessSummaryOf(histogram: LatenessHistogram): LatenessSummary {
  const round = (seconds: number) => Math.round(seconds * 10) / 10;
  return {
    records: histogram.total,
    p50InSeconds: round(latenessQuantile(histogram, 0.5)),
    p99InSeconds: round(latenessQuantile(histogram, 0.99)),
    p999InSeconds: round(latenessQuantile(histogram, 0.999)),
    maxInSeconds: round(histogram.maxInSeconds),
  };
}

/** How the grace of a token check follows the lateness the sign-in streams show. */
export interface AdaptiveGraceSettings {
  /** The grace until a stream has history, and the most it may grow to (`LURE_ISSUANCE_GRACE_IN_MINUTES`). */
  readonly configuredGraceInMinutes: number;
  /** The least it may shrink to. */
  readonly minGraceInMinutes: number;
  /** The quantile of observed lateness the grace is built on (0.999). */
  readonly quantile: number;
  /** The grace is this many times that quantile. */
  readonly factor: number;
  /** Records a stream must have shown before its lateness is trusted over the configured grace. */
  readonly minRecords: number;
}

/**
 * The grace a check of a stream is judged with: `clamp(factor × quantile lateness, min, configured)` once
 * the stream has shown enough records, else the configured grace. A record that came so late it retracted
 * an alert sets a floor a minute above its lateness (a straggler that rare sits beyond any quantile, yet it
 * happened: the next one like it must not raise a false alarm). `basis` says which, for the status report.
 */
export function adaptiveGrace(
  histogram: LatenessHistogram | undefined,
  settings: AdaptiveGraceSettings,
): { readonly graceInMinutes: number; readonly basis: 'observed' | 'configured' } {
  if (histogram === undefined || histogram.total < settings.minRecords) return { graceInMinutes: settings.configuredGraceInMinutes, basis: 'configured' };
  const observedInMinutes = Math.max(
    (settings.factor * latenessQuantile(histogram, settings.quantile)) / 60,
    histogram.retractedMaxInSeconds === undefined ? 0 : histogram.retractedMaxInSeconds / 60 + 1,
  );
  const graceInMinutes = Math.min(settings.configuredGraceInMinutes, Math.max(settings.minGraceInMinutes, Math.ceil(observedInMinutes)));
  return { graceInMinutes, basis: 'observed' };
}

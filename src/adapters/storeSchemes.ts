import { recordOriginOf } from '../domain/alerts.js';
import type { PendingTokenCheck, TokenMatchCount } from '../domain/tokens.js';

/* How both store adapters lay state out: the partitions time falls in, and the keys of composite rows. */

/** The day a time falls in (`yyyyMMdd`, UTC): dead letters and the audit trail are partitioned by it. */
export function dayPartitionOf(time: string): string {
  return time.slice(0, 10).replaceAll('-', '');
}

/** The hour partition an issuance time falls in (`yyyyMMddHH`, UTC). */
export function issuanceHourOf(time: string): string {
  // `YYYY-MM-DDTHH…` → `YYYYMMDDHH`, once per sign-in: slices rather than a pattern.
  return time.slice(0, 4) + time.slice(5, 7) + time.slice(8, 10) + time.slice(11, 13);
}

/** The hour partitions an issuance between `from` and `to` may be indexed in. */
export function issuanceHoursBetween(from: string, to: string): string[] {
  const hours: string[] = [];
  const end = Date.parse(to);
  for (let time = Math.floor(Date.parse(from) / 3_600_000) * 3_600_000; time <= end; time += 3_600_000)
    hours.push(issuanceHourOf(new Date(time).toISOString()));
  return hours;
}

/** The ten-minute bucket a check's due time falls in (`yyyyMMddHHmm`, minutes floored to tens). */
export function dueBucketOf(time: string): string {
  return `${time.slice(0, 15).replace(/[-T:]/g, '')}0`;
}

/** One pending check per token id and evidence record. */
export function checkKeyOf(check: PendingTokenCheck): string {
  return `${check.uti}\u0000${recordOriginOf(check.evidence.source)}:${check.evidence.type}:${check.evidence.id}`;
}

/** Sums per-writer rows into one count per source and app. */
export function sumMatchCounts(rows: Iterable<TokenMatchCount>): TokenMatchCount[] {
  const totals = new Map<string, { source: TokenMatchCount['source']; appId: string; matched: number; unmatched: number }>();
  for (const row of rows) {
    const key = `${row.source}\u0000${row.appId}`;
    const total = totals.get(key) ?? { source: row.source, appId: row.appId, matched: 0, unmatched: 0 };
    total.matched += row.matched;
    total.unmatched += row.unmatched;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => `${a.source}${a.appId}`.localeCompare(`${b.source}${b.appId}`));
}

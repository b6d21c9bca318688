import type { Alert } from '../domain/alerts.js';
import { emptyTrackReport, type TokenTrackReport } from './tokenTracker.js';
import type { SkipReason } from '../domain/skips.js';

/**
 * What one ingest run did. Every record read is either accepted (per source and kind) or skipped (per reason).
 * Counts are Maps: their keys are record data (a category, an operation), and a plain object would read a
 * category named `constructor` or `__proto__` off its prototype and count it wrong.
 */
export interface IngestReport {
  read: number;
  /** source → event kind → records. */
  accepted: Map<string, Map<string, number>>;
  /** reason → detail (category, operation, field) → records. */
  skipped: Map<SkipReason, Map<string, number>>;
  deadLettered: number;
  /** Alerts this run created or changed (new evidence, higher severity), latest state: what to notify. */
  alerts: Alert[];
  /** Every alert a finding of this run belongs to, changed or not (a replayed record finds its alert unchanged). */
  touchedAlertIds: string[];
  /** What the run did to the token-issuance index. */
  tokens: TokenTrackReport;
}

export function emptyReport(): IngestReport {
  return { read: 0, accepted: new Map(), skipped: new Map(), deadLettered: 0, alerts: [], touchedAlertIds: [], tokens: emptyTrackReport() };
}

export function countAccepted(report: IngestReport, source: string, kind: string): void {
  add(report.accepted, source, kind, 1);
}

export function countSkipped(report: IngestReport, reason: SkipReason, detail: string): void {
  add(report.skipped, reason, detail, 1);
}

function add<K>(counts: Map<K, Map<string, number>>, group: K, name: string, count: number): void {
  let byName = counts.get(group);
  if (byName === undefined) counts.set(group, (byName = new Map<string, number>()));
  byName.set(name, (byName.get(name) ?? 0) + count);
}

/** Adds `next` into `total` (alerts: the later state of an alert replaces the earlier). */
export function mergeReports(total: IngestReport, next: IngestReport): IngestReport {
  total.read += next.read;
  for (const [source, kinds] of next.accepted) for (const [kind, count] of kinds) add(total.accepted, source, kind, count);
  for (const [reason, details] of next.skipped) for (const [detail, count] of details) add(total.skipped, reason, detail, count);
  total.deadLettered += next.deadLettered;
  const byId = new Map(total.alerts.map((alert) => [alert.id, alert]));
  for (const alert of next.alerts) byId.set(alert.id, alert);
  total.alerts = [...byId.values()];
  total.touchedAlertIds = [...new Set([...total.touchedAlertIds, ...next.touchedAlertIds])];
  for (const key of Object.keys(total.tokens) as (keyof TokenTrackReport)[]) total.tokens[key] += next.tokens[key];
  return total;
}

export function totalAccepted(report: IngestReport): number {
  return totalOf(report.accepted);
}

export function totalSkipped(report: IngestReport): number {
  return totalOf(report.skipped);
}

function totalOf(counts: ReadonlyMap<unknown, ReadonlyMap<string, number>>): number {
  let total = 0;
  for (const byName of counts.values()) for (const count of byName.values()) total += count;
  return total;
}

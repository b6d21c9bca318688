import type { Alert } from '../domain/alerts.js';
import type { SkipReason } from '../normalize/outcome.js';
import { emptyTrackReport, type TokenTrackReport } from './tokenTracker.js';

/** What one ingest run did. Every record read is either accepted (per source and kind) or skipped (per reason). */
export interface IngestReport {
  read: number;
  /** source → event kind → records. */
  accepted: Record<string, Record<string, number>>;
  /** reason → detail (category, operation, field) → records. */
  skipped: Partial<Record<SkipReason, Record<string, number>>>;
  deadLettered: number;
  /** Alerts this run created or changed (new evidence, higher severity), latest state: what to notify. */
  alerts: Alert[];
  /** Every alert a finding of this run belongs to, changed or not (a replayed record finds its alert unchanged). */
  touchedAlertIds: string[];
  /** What the run did to the token-issuance index. */
  tokens: TokenTrackReport;
}

export function emptyReport(): IngestReport {
  return { read: 0, accepted: {}, skipped: {}, deadLettered: 0, alerts: [], touchedAlertIds: [], tokens: emptyTrackReport() };
}

export function countAccepted(report: IngestReport, source: string, kind: string): void {
  const bySource = (report.accepted[source] ??= {});
  bySource[kind] = (bySource[kind] ?? 0) + 1;
}

export function countSkipped(report: IngestReport, reason: SkipReason, detail: string): void {
  const byReason = (report.skipped[reason] ??= {});
  byReason[detail] = (byReason[detail] ?? 0) + 1;
}

/** Adds `next` into `total` (alerts: the later state of an alert replaces the earlier). */
export function mergeReports(total: IngestReport, next: IngestReport): IngestReport {
  total.read += next.read;
  for (const [source, kinds] of Object.entries(next.accepted)) {
    for (const [kind, count] of Object.entries(kinds)) {
      const bySource = (total.accepted[source] ??= {});
      bySource[kind] = (bySource[kind] ?? 0) + count;
    }
  }
  for (const [reason, details] of Object.entries(next.skipped) as [SkipReason, Record<string, number>][]) {
    const byReason = (total.skipped[reason] ??= {});
    for (const [detail, count] of Object.entries(details)) byReason[detail] = (byReason[detail] ?? 0) + count;
  }
  total.deadLettered += next.deadLettered;
  const byId = new Map(total.alerts.map((alert) => [alert.id, alert]));
  for (const alert of next.alerts) byId.set(alert.id, alert);
  total.alerts = [...byId.values()];
  total.touchedAlertIds = [...new Set([...total.touchedAlertIds, ...next.touchedAlertIds])];
  for (const key of Object.keys(total.tokens) as (keyof TokenTrackReport)[]) total.tokens[key] += next.tokens[key];
  return total;
}

export function totalAccepted(report: IngestReport): number {
  return Object.values(report.accepted).reduce((sum, kinds) => sum + Object.values(kinds).reduce((a, b) => a + b, 0), 0);
}

export function totalSkipped(report: IngestReport): number {
  return Object.values(report.skipped).reduce((sum, details) => sum + Object.values(details ?? {}).reduce((a, b) => a + b, 0), 0);
}

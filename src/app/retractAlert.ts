import { retractAlert } from '../correlation/triage.js';
import type { Alert, AlertRetraction } from '../domain/alerts.js';
import { issuanceLookupOf, type MissingIssuance, type PendingTokenCheck, type SignInProgress } from '../domain/tokens.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { TokenIndexStore } from '../ports/store/tokenIndexStore.js';
import type { DeliverAlerts } from './persistAlerts.js';
import { ConcurrencyError } from '../ports/store/versioned.js';

/** Ingest may fold evidence into the alert meanwhile: a retraction that keeps losing the race gives up after this many reads. */
const MAX_ATTEMPTS = 8;

/**
 * Withdraws a stored alert as a false alarm: reads it, retracts it (`retractAlert`) and writes at the ETag
 * read, again on the fresh alert when another write came first. The alert as it now stands and whether this
 * call changed it; undefined when there is no such alert.
 */
export async function retractStoredAlert(
  store: AlertStore,
  alertId: string,
  retraction: AlertRetraction,
): Promise<{ readonly alert: Alert; readonly changed: boolean } | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.getAlert(alertId);
    if (current === undefined) return undefined;
    const outcome = retractAlert(current.value.alert, retraction);
    if (!outcome.changed) return outcome;
    try {
      await store.updateAlert({ ...current.value, alert: outcome.alert }, current.etag);
      return outcome;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** What retracting late issuances needs: the stores, how far back a token may have been issued, and delivery. */
export interface LateIssuanceDependencies {
  readonly store: TokenIndexStore & AlertStore;
  readonly maxTokenLifetimeInHours: number;
  readonly deliver: DeliverAlerts;
  /** Wall clock, ISO. */
  readonly now: string;
}

/**
 * Retracts the alerts of uses judged missing whose issuance has been indexed since: the sign-in came later
 * than the grace allowed. The alert says why (the sign-in as evidence), the channels that heard it are told,
 * and `noteLateness` hears how late the sign-in came, so its stream's grace grows to cover it. A crash
 * before the rows are deleted only retracts again, which changes nothing. Returns the retracted alerts
 * (delivered again when an earlier run wrote them) and how many this run retracted.
 */
export async function retractLateAlerts(
  dependencies: LateIssuanceDependencies,
  progressByTenant: ReadonlyMap<string, readonly SignInProgress[]>,
  noteLateness: (tenantId: string, category: SignInProgress['category'], latenessInSeconds: number) => void,
): Promise<{ readonly alerts: Alert[]; readonly retracted: number }> {
  const { store } = dependencies;
  const missing = await store.listMissingIssuances();
  if (missing.length === 0) return { alerts: [], retracted: 0 };
  const lookups = missing.map((row) => issuanceLookupOf(row, dependencies.maxTokenLifetimeInHours));
  const issued = new Map((await store.getTokenIssuances(lookups)).map((issuance) => [issuance.uti, issuance]));
  const settled: MissingIssuance[] = [];
  const alerts: Alert[] = [];
  let retracted = 0;
  for (const row of missing) {
    const issuance = issued.get(row.uti);
    if (issuance === undefined) continue;
    // Measured against the stream's watermark as this run read it: at least as far as it had come when the sign-in arrived.
    const watermark = progressByTenant.get(row.tenantId ?? '')?.find((entry) => entry.category === issuance.category)?.watermark;
    const lateInSeconds = watermark === undefined ? 0 : Math.max(0, (Date.parse(watermark) - Date.parse(issuance.issuedAt)) / 1000);
    const lateByMinutes = Math.ceil(lateInSeconds / 60);
    const outcome = await retractStoredAlert(store, row.alertId, {
      at: dependencies.now,
      reason:
        `false alarm: the sign-in that issued token ${row.uti} (${issuance.category} at ${issuance.issuedAt}) arrived about ` +
        `${lateByMinutes} minutes behind its stream, after the use was judged; that stream's grace is raised to cover it, up to the configured grace`,
      evidence: { source: 'entra', type: issuance.category, id: issuance.recordId ?? issuance.uti, time: issuance.issuedAt },
      lateByMinutes,
    });
    if (outcome !== undefined && outcome.alert.status === 'retracted') {
      // Delivered again even when an earlier run wrote it: that run may have failed before delivery (the
      // outbox enqueues nothing twice), and its floor may not have been flushed.
      alerts.push(outcome.alert);
      if (outcome.changed) retracted += 1;
      noteLateness(row.tenantId ?? '', issuance.category, lateInSeconds);
    }
    settled.push(row);
  }
  if (alerts.length > 0) await dependencies.deliver(alerts, new Set(alerts.map((alert) => alert.id)));
  if (settled.length > 0) await store.deleteMissingIssuances(settled);
  return { alerts, retracted };
}

/** The row that keeps a use judged missing, with its alert, until its issuance comes or a week passes. */
export function missingIssuanceOf(check: PendingTokenCheck, alertId: string, judgedAt: string): MissingIssuance {
  const row: { -readonly [K in keyof MissingIssuance]: MissingIssuance[K] } = { uti: check.uti, usedAt: check.usedAt, alertId, judgedAt };
  if (check.tenantId !== undefined) row.tenantId = check.tenantId;
  if (check.issuedAt !== undefined) row.issuedAt = check.issuedAt;
  return row;
}

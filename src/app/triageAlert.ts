import { type TriageAction, type TriageDecision, triageAlert } from '../correlation/triage.js';
import type { Alert, AlertStatus } from '../domain/alerts.js';
import type { Clock } from '../ports/clock.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import { ConcurrencyError } from '../ports/store/versioned.js';
import { LifecycleConflictError } from './decoys/errors.js';
import type { AlertDelivery } from './delivery/alertDelivery.js';

/** The alert as triaged and the status it had (`changed` false: it had the status already and was not written), or why not. */
export type StoredTriageOutcome = { readonly alert: Alert; readonly changed: boolean; readonly previousStatus: AlertStatus } | { readonly refused: string };

/** Ingest folds evidence into alerts under the same ETags: a triage that keeps losing the race gives up after this many reads. */
const MAX_ATTEMPTS = 5;

/**
 * Acknowledges or resolves a stored alert: reads it, decides (`triageAlert`), writes at the ETag read, and
 * decides again on the fresh alert if new evidence was folded in meanwhile, then records the decision where
 * alerts keep their history (Sentinel). Undefined when there is no such alert.
 */
export async function triageStoredAlert(
  dependencies: { readonly store: AlertStore; readonly clock: Clock; readonly delivery: Pick<AlertDelivery, 'record'> },
  alertId: string,
  action: TriageAction,
  request: Omit<TriageDecision, 'at'>,
): Promise<StoredTriageOutcome | undefined> {
  const { store, clock } = dependencies;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = await store.getAlert(alertId);
    if (current === undefined) return undefined;
    const previousStatus = current.value.alert.status;
    const outcome = triageAlert(current.value.alert, action, { ...request, at: clock.now().toISOString() });
    if ('refused' in outcome) return outcome;
    if (outcome.changed) {
      try {
        await store.updateAlert({ ...current.value, alert: outcome.alert }, current.etag);
      } catch (error) {
        // New evidence folded in meanwhile: decide again on the fresh alert.
        if (!(error instanceof ConcurrencyError)) throw error;
        continue;
      }
    }
    // Asked again even when nothing changed: a decision written by a call that failed before this line is recorded now.
    await dependencies.delivery.record([outcome.alert]);
    return { ...outcome, previousStatus };
  }
  throw new LifecycleConflictError('the alert kept changing while being triaged; try again');
}

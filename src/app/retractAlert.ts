import { retractAlert } from '../correlation/triage.js';
import type { Alert, AlertRetraction } from '../domain/alerts.js';
import type { AlertStore } from '../ports/store/alertStore.js';
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

import { type TriageAction, type TriageDecision, triageIncident } from '../correlation/triage.js';
import type { Incident, IncidentStatus } from '../domain/alerts.js';
import type { AlertDelivery } from './delivery/alertDelivery.js';
import type { Clock } from '../ports/clock.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';
import { ConcurrencyError } from '../ports/store/versioned.js';
import { LifecycleConflictError } from './decoys/errors.js';
import { triageStoredAlert } from './triageAlert.js';

/** How the incident's alerts fared: triaged now, already so, or left as they were (and why). */
export interface IncidentAlertsTriaged {
  readonly changed: number;
  readonly unchanged: number;
  readonly left: readonly { readonly alertId: string; readonly reason: string }[];
}

export type StoredIncidentTriageOutcome =
  | { readonly incident: Incident; readonly changed: boolean; readonly previousStatus: IncidentStatus; readonly alerts: IncidentAlertsTriaged }
  | { readonly refused: string };

const MAX_ATTEMPTS = 5;

/**
 * Acknowledges or resolves an incident and every alert in it, each alert as `triageStoredAlert` would (a
 * suppressed alert is not acknowledged; one pruned meanwhile is passed over). The alerts go first, so a
 * crash leaves the incident as it was and the retried call finishes the job. Undefined: no such incident.
 */
export async function triageStoredIncident(
  dependencies: { readonly store: AlertStore & IncidentStore; readonly clock: Clock; readonly delivery: Pick<AlertDelivery, 'record'> },
  incidentId: string,
  action: TriageAction,
  request: Omit<TriageDecision, 'at'>,
): Promise<StoredIncidentTriageOutcome | undefined> {
  const { store, clock } = dependencies;
  let changed = 0;
  let unchanged = 0;
  const left: { alertId: string; reason: string }[] = [];
  const triaged = new Set<string>();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = await store.getIncident(incidentId);
    if (current === undefined) return undefined;
    const outcome = triageIncident(current.value, action, { ...request, at: clock.now().toISOString() });
    if ('refused' in outcome) return outcome;
    // Alerts first; on a retry, only those that joined meanwhile.
    for (const alertId of current.value.alertIds.filter((id) => !triaged.has(id))) {
      triaged.add(alertId);
      const alert = await triageStoredAlert(dependencies, alertId, action, request);
      if (alert === undefined) continue;
      if ('refused' in alert) left.push({ alertId, reason: alert.refused });
      else if (alert.changed) changed += 1;
      else unchanged += 1;
    }
    if (outcome.changed) {
      try {
        await store.updateIncident(outcome.incident, current.etag);
      } catch (error) {
        // A new alert joined meanwhile: triage it too and decide again on the fresh incident.
        if (!(error instanceof ConcurrencyError)) throw error;
        continue;
      }
    }
    return { ...outcome, previousStatus: current.value.status, alerts: { changed, unchanged, left } };
  }
  throw new LifecycleConflictError('the incident kept changing while being triaged; try again');
}

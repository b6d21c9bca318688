import { actorKeysOf, foundingIncidentIdOf, INCIDENT_WINDOW_IN_HOURS, incidentChanged, incidentToJoin, withAlert } from '../correlation/incidents.js';
import type { Alert, Incident } from '../domain/alerts.js';
import { ConcurrencyError, type Versioned } from '../ports/store/versioned.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';

const MAX_ATTEMPTS = 8;

/**
 * Puts a raised or changed alert into its incident — the one it already belongs to, one sharing an actor
 * key within the window, or a new one — and returns the alert carrying the incident's id. The incident is
 * written before the alert, so a crash in between leaves an incident listing the alert, which the retried
 * fold joins again without change. Suppressed alerts (disabled decoys) join no incident.
 */
export async function assignIncident(store: IncidentStore, alert: Alert, now: string): Promise<Alert> {
  if (alert.status === 'suppressed') return alert;
  for (let attempt = 1; ; attempt += 1) {
    const current = await incidentFor(store, alert);
    const updated = withAlert(current?.value, alert, now);
    try {
      if (incidentChanged(current?.value, updated)) {
        if (current === undefined) await store.createIncident(updated);
        else await store.updateIncident(updated, current.etag);
      }
      // Always (re)index: an earlier attempt may have written the incident but not its keys.
      await store.upsertIncidentActorKeys(updated);
      return { ...alert, incidentId: updated.id };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function incidentFor(store: IncidentStore, alert: Alert): Promise<Versioned<Incident> | undefined> {
  if (alert.incidentId !== undefined) return store.getIncident(alert.incidentId);
  const since = new Date(Date.parse(alert.occurredAt) - INCIDENT_WINDOW_IN_HOURS * 3_600_000).toISOString();
  const ids = await store.findIncidentsByActorKeys(actorKeysOf(alert), since);
  const candidates = (await Promise.all(ids.map((id) => store.getIncident(id)))).filter((found): found is Versioned<Incident> => found !== undefined);
  const chosen = incidentToJoin(
    alert,
    candidates.map((candidate) => candidate.value),
  );
  if (chosen !== undefined) return candidates.find((candidate) => candidate.value.id === chosen.id);
  // An earlier attempt may have founded the alert's incident and failed before indexing it or writing the alert.
  return store.getIncident(foundingIncidentIdOf(alert));
}

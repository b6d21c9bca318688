import type { Incident } from '../../domain/alerts.js';
import type { Versioned } from './versioned.js';

/** Incidents, and the actor keys by which later alerts find them. */
export interface IncidentStore {
  getIncident(id: string): Promise<Versioned<Incident> | undefined>;
  /** Throws `ConcurrencyError` if an incident with this id already exists. */
  createIncident(incident: Incident): Promise<void>;
  /** Throws `ConcurrencyError` if the incident changed since `etag` was read. */
  updateIncident(incident: Incident, etag: string): Promise<void>;
  listIncidents(): AsyncIterable<Incident>;
  /** Ids of incidents recorded under any of `actorKeys` whose latest alert is at or after `since`. */
  findIncidentsByActorKeys(actorKeys: readonly string[], since: string): Promise<string[]>;
  /** Records the incident under each of its actor keys with its latest alert time (idempotent). */
  upsertIncidentActorKeys(incident: Incident): Promise<void>;
  /** Deletes incidents, and their actor keys, whose latest alert is before `before`. Returns how many incidents. */
  deleteIncidentsBefore(before: string): Promise<number>;
}

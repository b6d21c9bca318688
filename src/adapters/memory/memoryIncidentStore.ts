import type { Incident } from '../../domain/alerts.js';
import type { IncidentStore } from '../../ports/store/incidentStore.js';
import { DocumentMap } from './documentMap.js';

export function memoryIncidentStore(): IncidentStore {
  const incidents = new DocumentMap<Incident>();
  /** actor key → incident id → latest alert time */
  const actorKeys = new Map<string, Map<string, string>>();
  return {
    async getIncident(id) {
      return incidents.get(id);
    },

    async createIncident(incident) {
      incidents.create(incident.id, incident, `incident ${incident.id} already exists`);
    },

    async updateIncident(incident, etag) {
      incidents.update(incident.id, incident, etag, `incident ${incident.id} changed since it was read`);
    },

    async *listIncidents() {
      yield* incidents.values();
    },

    async findIncidentsByActorKeys(keys, since) {
      const ids = new Set<string>();
      for (const key of keys) {
        for (const [id, lastOccurredAt] of actorKeys.get(key) ?? []) if (lastOccurredAt >= since) ids.add(id);
      }
      return [...ids];
    },

    async upsertIncidentActorKeys(incident) {
      for (const key of incident.actorKeys) {
        const entries = actorKeys.get(key) ?? new Map<string, string>();
        entries.set(incident.id, incident.lastOccurredAt);
        actorKeys.set(key, entries);
      }
    },

    async deleteIncidentsBefore(before) {
      const deleted = incidents.deleteWhere((incident) => incident.lastOccurredAt < before);
      for (const entries of actorKeys.values()) for (const [id, lastOccurredAt] of [...entries]) if (lastOccurredAt < before) entries.delete(id);
      return deleted;
    },
  };
}

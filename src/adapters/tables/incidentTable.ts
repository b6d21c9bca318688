import { odata, type TableEntity } from '@azure/data-tables';
import type { Incident } from '../../domain/alerts.js';
import type { IncidentStore } from '../../ports/store/incidentStore.js';
import { alertPartitionOf } from './alertTable.js';
import { type DocumentTable, documentEntity } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

/** Incidents, and beside them one row per (actor key, incident) by which later alerts find them. */
export function tableIncidentStore(incidents: DocumentTable, actorKeys: DocumentTable): IncidentStore {
  return {
    async getIncident(id) {
      return incidents.getDocument<Incident>(incidentPartitionOf(id), encodeKey(id));
    },

    async createIncident(incident) {
      await incidents.create(incidentEntityOf(incident), `incident ${incident.id} already exists`);
    },

    async updateIncident(incident, etag) {
      await incidents.update(incidentEntityOf(incident), etag, `incident ${incident.id} changed since it was read`);
    },

    listIncidents() {
      return incidents.listDocuments<Incident>();
    },

    async findIncidentsByActorKeys(keys, since) {
      const ids = new Set<string>();
      for (const key of new Set(keys)) {
        for await (const entity of actorKeys.list(`${odata`PartitionKey eq ${encodeKey(key)}`} and ${odata`lastOccurredAt ge ${since}`}`)) {
          if (typeof entity['incidentId'] === 'string') ids.add(entity['incidentId']);
        }
      }
      return [...ids];
    },

    async upsertIncidentActorKeys(incident) {
      for (const key of incident.actorKeys) {
        await actorKeys.upsert({
          partitionKey: encodeKey(key),
          rowKey: encodeKey(incident.id),
          incidentId: incident.id,
          lastOccurredAt: incident.lastOccurredAt,
        });
      }
    },

    async deleteIncidentsBefore(before) {
      await actorKeys.deleteMatching(odata`lastOccurredAt lt ${before}`);
      return incidents.deleteMatching(odata`lastOccurredAt lt ${before}`);
    },
  };
}

/** Incident ids are `inc-` and a hash: spread like alerts by the hash's first digits. */
function incidentPartitionOf(id: string): string {
  return alertPartitionOf(id.replace(/^inc-/, ''));
}

function incidentEntityOf(incident: Incident): TableEntity {
  return documentEntity(incidentPartitionOf(incident.id), encodeKey(incident.id), incident, {
    severity: incident.severity,
    status: incident.status,
    lastOccurredAt: incident.lastOccurredAt,
  });
}

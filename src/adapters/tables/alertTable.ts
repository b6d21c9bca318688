import { odata, type TableEntity } from '@azure/data-tables';
import type { StoredAlert } from '../../domain/alerts.js';
import type { AlertFilter, AlertStore } from '../../ports/store/alertStore.js';
import { type DocumentTable, documentEntity, documentOf } from './documentTable.js';
import { encodeKey, fromChunks, toChunks } from './tableKeys.js';

/** Alerts, spread over partitions by id; a few fields copied beside the document so the service can filter. */
export function tableAlertStore(table: DocumentTable): AlertStore {
  return {
    async getAlert(id) {
      const entity = await table.get(alertPartitionOf(id), encodeKey(id));
      return entity && { value: storedAlertOf(entity), etag: entity.etag };
    },

    async createAlert(alert) {
      await table.create(alertEntityOf(alert), `alert ${alert.alert.id} already exists`);
    },

    async updateAlert(alert, etag) {
      await table.update(alertEntityOf(alert), etag, `alert ${alert.alert.id} changed since it was read`);
    },

    async *listAlerts(filter: AlertFilter = {}) {
      // The queryable copies on each entity let the service filter; the document is the truth.
      const conditions = [
        filter.status === undefined ? undefined : odata`status eq ${filter.status}`,
        filter.severity === undefined ? undefined : odata`severity eq ${filter.severity}`,
        filter.detection === undefined ? undefined : odata`detection eq ${filter.detection}`,
        filter.occurredFrom === undefined ? undefined : odata`occurredAt ge ${filter.occurredFrom}`,
        filter.occurredTo === undefined ? undefined : odata`occurredAt lt ${filter.occurredTo}`,
      ].filter((condition): condition is string => condition !== undefined);
      for await (const entity of table.list(conditions.length === 0 ? undefined : conditions.join(' and '))) yield storedAlertOf(entity);
    },

    async deleteAlertsBefore(before) {
      return table.deleteMatching(odata`occurredAt lt ${before}`);
    },
  };
}

/** Alerts spread over 256 partitions by the first two hex digits of their id (a hash), so no partition runs hot. */
export function alertPartitionOf(id: string): string {
  return encodeKey(id.slice(0, 2));
}

function alertEntityOf(stored: StoredAlert): TableEntity {
  const { alert } = stored;
  return {
    // Queryable copies of a few fields; the document is the truth.
    ...documentEntity(
      alertPartitionOf(alert.id),
      encodeKey(alert.id),
      { alert, lead: stored.lead },
      {
        detection: alert.detection,
        severity: alert.severity,
        status: alert.status,
        occurredAt: alert.occurredAt,
      },
    ),
    ...toChunks('evidenceKeys', stored.evidenceKeys.join(',')),
  };
}

function storedAlertOf(entity: Record<string, unknown>): StoredAlert {
  const document = documentOf(entity) as Omit<StoredAlert, 'evidenceKeys'>;
  const keys = fromChunks('evidenceKeys', entity);
  return { ...document, evidenceKeys: keys === '' ? [] : keys.split(',') };
}

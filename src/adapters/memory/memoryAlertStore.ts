import type { StoredAlert } from '../../domain/alerts.js';
import type { AlertFilter, AlertStore } from '../../ports/store/alertStore.js';
import { DocumentMap } from './documentMap.js';

export function memoryAlertStore(): AlertStore {
  const alerts = new DocumentMap<StoredAlert>();
  return {
    async getAlert(id) {
      return alerts.get(id);
    },

    async createAlert(alert) {
      alerts.create(alert.alert.id, alert, `alert ${alert.alert.id} already exists`);
    },

    async updateAlert(alert, etag) {
      alerts.update(alert.alert.id, alert, etag, `alert ${alert.alert.id} changed since it was read`);
    },

    async *listAlerts(filter = {}) {
      for (const stored of alerts.values()) if (matchesAlertFilter(stored.alert, filter)) yield stored;
    },

    async deleteAlertsBefore(before) {
      return alerts.deleteWhere((stored) => stored.alert.occurredAt < before);
    },
  };
}

/** What the Table adapter asks the service to filter on, checked here. */
function matchesAlertFilter(alert: StoredAlert['alert'], filter: AlertFilter): boolean {
  return (
    (filter.status === undefined || alert.status === filter.status) &&
    (filter.severity === undefined || alert.severity === filter.severity) &&
    (filter.detection === undefined || alert.detection === filter.detection) &&
    (filter.occurredFrom === undefined || alert.occurredAt >= filter.occurredFrom) &&
    (filter.occurredTo === undefined || alert.occurredAt < filter.occurredTo)
  );
}

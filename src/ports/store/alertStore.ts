import type { AlertStatus, Severity, StoredAlert } from '../../domain/alerts.js';
import type { Versioned } from './versioned.js';

/** What `listAlerts` may be narrowed to; every part optional, all parts must hold. */
export interface AlertFilter {
  readonly status?: AlertStatus;
  readonly severity?: Severity;
  readonly detection?: string;
  /** Event time (`occurredAt`) at or after. */
  readonly occurredFrom?: string;
  /** Event time (`occurredAt`) before. */
  readonly occurredTo?: string;
}

/** Alerts as folded: the contract plus what folding needs, under ETags. */
export interface AlertStore {
  getAlert(id: string): Promise<Versioned<StoredAlert> | undefined>;
  /** Throws `ConcurrencyError` if an alert with this id already exists. */
  createAlert(alert: StoredAlert): Promise<void>;
  /** Throws `ConcurrencyError` if the alert changed since `etag` was read. */
  updateAlert(alert: StoredAlert, etag: string): Promise<void>;
  /** Every alert, or those `filter` narrows to (filtered by the store where it can), in no particular order. */
  listAlerts(filter?: AlertFilter): AsyncIterable<StoredAlert>;
  /** Deletes alerts whose evidence began (`occurredAt`) before `before`. Returns how many. */
  deleteAlertsBefore(before: string): Promise<number>;
}

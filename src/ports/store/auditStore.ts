import type { AuditEntry } from '../../domain/audit.js';

/** The admin audit trail: every change made through the admin API. */
export interface AuditStore {
  /** Idempotent: an entry with an id already stored replaces it. */
  createAuditEntry(entry: AuditEntry): Promise<void>;
  /** Entries whose time is at or after `from` and before `to` (each optional), in no particular order. */
  listAuditEntries(range?: { readonly from?: string; readonly to?: string }): AsyncIterable<AuditEntry>;
  /** Deletes entries of days wholly before `before`. Returns how many. */
  deleteAuditEntriesBefore(before: string): Promise<number>;
}

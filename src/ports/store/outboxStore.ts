import type { OutboxEntry } from '../../domain/delivery.js';
import type { Versioned } from './versioned.js';

/** The delivery outbox: one entry per notification and channel, with its attempts. */
export interface OutboxStore {
  /** Creates the entry unless one with its id exists. Returns whether it did. */
  createOutboxEntry(entry: OutboxEntry): Promise<boolean>;
  getOutboxEntry(id: string): Promise<Versioned<OutboxEntry> | undefined>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the entry changed since `etag` was read. */
  updateOutboxEntry(entry: OutboxEntry, etag: string): Promise<string>;
  /** Pending entries whose next attempt is due at or before `dueBy`, with their ETags. */
  listDueOutboxEntries(dueBy: string): Promise<Versioned<OutboxEntry>[]>;
  listOutboxEntries(): AsyncIterable<OutboxEntry>;
  /** Deletes entries no longer pending (delivered, accepted, dead, digested) completed before `before`. Returns how many. */
  deleteOutboxEntriesBefore(before: string): Promise<number>;
}

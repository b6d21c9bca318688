import type { DecoyLifecycle, JournalEntry } from '../../domain/lifecycle.js';
import type { Versioned } from './versioned.js';

/** The lifecycles of the decoys Lure manages, and the journal of its operations on them. */
export interface LifecycleStore {
  getDecoyLifecycle(decoyId: string): Promise<DecoyLifecycle | undefined>;
  listDecoyLifecycles(): Promise<DecoyLifecycle[]>;
  /** Replaces the decoy's lifecycle. */
  upsertDecoyLifecycle(lifecycle: DecoyLifecycle): Promise<void>;
  /** Succeeds whether or not it existed. */
  deleteDecoyLifecycle(decoyId: string): Promise<void>;
  /** Writes a new entry; returns its ETag. Throws `ConcurrencyError` if one with this id exists. */
  createJournalEntry(entry: JournalEntry): Promise<string>;
  /**
   * Writes the entry's next step; returns the new ETag. Throws `ConcurrencyError` if it changed since `etag`:
   * another run took the operation over, and this one must stop.
   */
  updateJournalEntry(entry: JournalEntry, etag: string): Promise<string>;
  getJournalEntry(id: string): Promise<Versioned<JournalEntry> | undefined>;
  /** Every unfinished entry, and the finished ones updated at or after `since`. */
  listJournalEntries(since: string): Promise<JournalEntry[]>;
  /** Deletes finished entries last updated before `before`. Returns how many. */
  deleteJournalEntriesBefore(before: string): Promise<number>;
}

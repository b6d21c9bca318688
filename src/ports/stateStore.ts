import type { StoredAlert } from '../correlation/foldAlert.js';
import type { Decoy } from '../domain/decoys.js';
import type { SkipReason } from '../normalize/outcome.js';

/** A value with the ETag it was read at, for optimistic concurrency. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** A record Lure could not use, kept so nothing is lost silently. Never holds a full token. */
export interface DeadLetter {
  /** Stable for the same record and reason, so a redelivered batch does not add a second copy. */
  readonly id: string;
  /** Wall-clock time it was first dead-lettered. */
  readonly receivedAt: string;
  /** Where it came from: the Event Hub (`entra`, `exchange`, `token`) or a file name. */
  readonly origin: string;
  readonly reason: SkipReason;
  readonly detail: string;
  /** The start of the record, bounded and with tokens redacted. */
  readonly excerpt: string;
}

/**
 * A write lost a race: the alert already exists (create) or changed since it was read (update).
 * The caller re-reads and folds again.
 */
export class ConcurrencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrencyError';
  }
}

/**
 * Lure's state. Implemented over Azure Table Storage and in memory; both pass the same contract suite
 * (`test/contract/stateStore.contract.ts`). Ids may hold any characters, including `/ \ # ?`, which Table
 * keys forbid: adapters encode keys, never store raw input in them.
 * Transient failures are retried inside the adapter; an error that escapes means the store is unavailable.
 */
export interface StateStore {
  listDecoys(): Promise<Decoy[]>;
  getDecoy(id: string): Promise<Versioned<Decoy> | undefined>;
  upsertDecoy(decoy: Decoy): Promise<void>;
  /** Succeeds whether or not the decoy existed. */
  deleteDecoy(id: string): Promise<void>;

  getAlert(id: string): Promise<Versioned<StoredAlert> | undefined>;
  /** Throws `ConcurrencyError` if an alert with this id already exists. */
  createAlert(alert: StoredAlert): Promise<void>;
  /** Throws `ConcurrencyError` if the alert changed since `etag` was read. */
  updateAlert(alert: StoredAlert, etag: string): Promise<void>;
  listAlerts(): AsyncIterable<StoredAlert>;

  /** Idempotent: a letter with an id already stored replaces it. Written in batches. */
  upsertDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  listDeadLetters(): AsyncIterable<DeadLetter>;
}

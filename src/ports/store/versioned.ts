/** A value with the ETag it was read at, for optimistic concurrency. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/**
 * A write lost a race: the document already exists (create) or changed since it was read (update).
 * The caller re-reads and folds again.
 */
export class ConcurrencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrencyError';
  }
}

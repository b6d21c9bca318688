import { ConcurrencyError, type Versioned } from '../../ports/store/versioned.js';

interface Row {
  readonly json: string;
  readonly etag: string;
}

/**
 * Documents by key, kept as JSON so callers never share objects with the store (as with Table Storage), each
 * under an ETag that changes on every write; lost races throw `ConcurrencyError` as the Table adapter does.
 */
export class DocumentMap<T> {
  private readonly rows = new Map<string, Row>();
  private version = 0;

  get size(): number {
    return this.rows.size;
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  get(key: string): Versioned<T> | undefined {
    const row = this.rows.get(key);
    return row && { value: JSON.parse(row.json) as T, etag: row.etag };
  }

  /** Returns the new ETag. */
  set(key: string, value: T): string {
    this.version += 1;
    const row = { json: JSON.stringify(value), etag: `W/"${this.version}"` };
    this.rows.set(key, row);
    return row.etag;
  }

  /** Returns the new ETag. Throws `ConcurrencyError` (saying `conflict`) if the key is taken. */
  create(key: string, value: T, conflict: string): string {
    if (this.rows.has(key)) throw new ConcurrencyError(conflict);
    return this.set(key, value);
  }

  /** Returns the new ETag. Throws `ConcurrencyError` (saying `conflict`) unless the document is still at `etag`. */
  update(key: string, value: T, etag: string, conflict: string): string {
    if (this.rows.get(key)?.etag !== etag) throw new ConcurrencyError(conflict);
    return this.set(key, value);
  }

  delete(key: string): boolean {
    return this.rows.delete(key);
  }

  /** Copies of every document with its key and ETag, taken now: writes while the caller iterates do not disturb it. */
  entries(): { readonly key: string; readonly value: T; readonly etag: string }[] {
    return [...this.rows].map(([key, row]) => ({ key, value: JSON.parse(row.json) as T, etag: row.etag }));
  }

  values(): T[] {
    return this.entries().map((entry) => entry.value);
  }

  /** Deletes the documents `doomed` picks. Returns how many. */
  deleteWhere(doomed: (value: T) => boolean): number {
    let deleted = 0;
    for (const { key, value } of this.entries()) {
      if (doomed(value)) {
        this.rows.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }
}

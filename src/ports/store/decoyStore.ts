import type { Decoy } from '../../domain/decoys.js';
import type { Versioned } from './versioned.js';

/** Decoys one `upsertDecoys` takes: a Table transaction holds 100 operations, one of them the registry's version. */
export const MAX_DECOYS_PER_WRITE = 99;

/** The decoy registry: every decoy Lure watches, under one version that every write moves. */
export interface DecoyStore {
  listDecoys(): Promise<Decoy[]>;
  /**
   * Every decoy, and the registry's version: an ETag over the whole set, which every write of any decoy
   * changes. Read before deciding that an id or identifier is free; `upsertDecoys` at that version then
   * writes only if the decision still holds.
   */
  getDecoyRegistry(): Promise<Versioned<readonly Decoy[]>>;
  /**
   * Writes the decoys (creating or replacing each) in one atomic step if the registry is still at `version`.
   * Throws `ConcurrencyError`, writing nothing, if any decoy was written since. At most
   * `MAX_DECOYS_PER_WRITE`. Returns the registry's new version.
   */
  upsertDecoys(decoys: readonly Decoy[], version: string): Promise<string>;
  getDecoy(id: string): Promise<Versioned<Decoy> | undefined>;
  upsertDecoy(decoy: Decoy): Promise<void>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the decoy changed (or was deleted) since `etag` was read. */
  updateDecoy(decoy: Decoy, etag: string): Promise<string>;
  /** Succeeds whether or not the decoy existed. */
  deleteDecoy(id: string): Promise<void>;
}

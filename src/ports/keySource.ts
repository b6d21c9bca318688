import type { KeySetName, SigningKey } from '../domain/signingKeys.js';

/** One published key set as fetched. */
export interface FetchedKeySet {
  readonly set: KeySetName;
  readonly fetchedAt: string;
  readonly keys: readonly SigningKey[];
}

export interface KeySetFetchResult {
  readonly fetched: readonly FetchedKeySet[];
  /** Sets that could not be fetched: they keep their history untouched, so nothing is retired by an outage. */
  readonly failures: readonly { readonly set: KeySetName; readonly error: string }[];
}

/** Where the published signing keys come from: Entra's key endpoints of the configured cloud. */
export interface KeySource {
  fetchKeySets(): Promise<KeySetFetchResult>;
}

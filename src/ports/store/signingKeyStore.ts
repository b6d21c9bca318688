import type { KeySetFetch, SigningKey } from '../../domain/signingKeys.js';

/** The history of the published signing keys: every key ever listed, and when each set was last fetched. */
export interface SigningKeyStore {
  listSigningKeys(): Promise<SigningKey[]>;
  /** Replaces each key by `kid`. */
  upsertSigningKeys(keys: readonly SigningKey[]): Promise<void>;
  listKeySetFetches(): Promise<KeySetFetch[]>;
  upsertKeySetFetches(fetches: readonly KeySetFetch[]): Promise<void>;
}

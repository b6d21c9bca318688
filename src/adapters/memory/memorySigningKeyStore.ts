import type { KeySetFetch, SigningKey } from '../../domain/signingKeys.js';
import type { SigningKeyStore } from '../../ports/store/signingKeyStore.js';
import { DocumentMap } from './documentMap.js';

export function memorySigningKeyStore(): SigningKeyStore {
  const keys = new DocumentMap<SigningKey>();
  const fetches = new DocumentMap<KeySetFetch>();
  return {
    async listSigningKeys() {
      return keys.values();
    },

    async upsertSigningKeys(batch) {
      for (const key of batch) keys.set(key.kid, key);
    },

    async listKeySetFetches() {
      return fetches.values();
    },

    async upsertKeySetFetches(batch) {
      for (const fetch of batch) fetches.set(fetch.set, fetch);
    },
  };
}

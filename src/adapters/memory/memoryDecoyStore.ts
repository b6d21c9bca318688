import { parseDecoy } from '../../decoys/parseDecoys.js';
import type { Decoy } from '../../domain/decoys.js';
import { type DecoyStore, MAX_DECOYS_PER_WRITE } from '../../ports/store/decoyStore.js';
import { ConcurrencyError } from '../../ports/store/versioned.js';
import { DocumentMap } from './documentMap.js';

/** Decoys by id, under a registry version that every decoy write moves. */
export function memoryDecoyStore(): DecoyStore {
  const decoys = new DocumentMap<Decoy>();
  let writes = 0;
  let registryVersion = 'W/"registry-0"';
  const written = (): string => {
    writes += 1;
    registryVersion = `W/"registry-${writes}"`;
    return registryVersion;
  };
  const listDecoys = async (): Promise<Decoy[]> => decoys.values().map((decoy) => parseDecoy(decoy));

  return {
    listDecoys,

    async getDecoyRegistry() {
      // The version before the list: a write while the list is read must leave the version behind, not ahead.
      const etag = registryVersion;
      return { value: await listDecoys(), etag };
    },

    async upsertDecoys(batch, version) {
      if (batch.length > MAX_DECOYS_PER_WRITE) throw new RangeError(`at most ${MAX_DECOYS_PER_WRITE} decoys at a time`);
      if (version !== registryVersion) throw new ConcurrencyError('the decoy registry changed since it was read');
      for (const decoy of batch) decoys.set(decoy.id, decoy);
      return written();
    },

    async getDecoy(id) {
      const found = decoys.get(id);
      return found && { value: parseDecoy(found.value), etag: found.etag };
    },

    async upsertDecoy(decoy) {
      decoys.set(decoy.id, decoy);
      written();
    },

    async updateDecoy(decoy, etag) {
      const newEtag = decoys.update(decoy.id, decoy, etag, `decoy ${decoy.id} changed since it was read`);
      written();
      return newEtag;
    },

    async deleteDecoy(id) {
      if (decoys.delete(id)) written();
    },
  };
}

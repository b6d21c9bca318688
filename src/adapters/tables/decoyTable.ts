import type { TableEntity, TransactionAction } from '@azure/data-tables';
import { parseDecoy } from '../../decoys/parseDecoys.js';
import type { Decoy } from '../../domain/decoys.js';
import { type DecoyStore, MAX_DECOYS_PER_WRITE } from '../../ports/store/decoyStore.js';
import { ConcurrencyError, type Versioned } from '../../ports/store/versioned.js';
import { type DocumentTable, documentEntity, documentOf, etagOfAction, statusCodeOf } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

const DECOY_PARTITION = 'decoy';
/** The row whose ETag is the decoy registry's version (decoy rows are `b…`/`h…`, so it cannot clash). */
const REGISTRY_VERSION_ROW = 'version';

/** Decoys in one partition, beside the registry's version row: every decoy write moves it in the same transaction. */
export function tableDecoyStore(table: DocumentTable): DecoyStore {
  const listDecoys = async (): Promise<Decoy[]> => {
    const decoys: Decoy[] = [];
    for await (const entity of table.list()) {
      if (entity['rowKey'] !== REGISTRY_VERSION_ROW) decoys.push(parseDecoy(documentOf(entity)));
    }
    return decoys;
  };

  const createRegistryVersion = async (): Promise<{ etag: string }> => {
    try {
      return { etag: await table.create(registryVersionEntity(), 'the decoy registry version exists') };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      // Another instance made it first: read theirs.
      const created = await table.get(DECOY_PARTITION, REGISTRY_VERSION_ROW);
      if (created === undefined) throw new Error('the decoy registry version row vanished while it was created', { cause: error });
      return created;
    }
  };

  return {
    listDecoys,

    async getDecoyRegistry(): Promise<Versioned<readonly Decoy[]>> {
      // The version first: a write after this read changes it, so the list (read after) can only be newer.
      const version = (await table.get(DECOY_PARTITION, REGISTRY_VERSION_ROW)) ?? (await createRegistryVersion());
      return { value: await listDecoys(), etag: version.etag };
    },

    async upsertDecoys(decoys, version) {
      if (decoys.length > MAX_DECOYS_PER_WRITE) throw new RangeError(`at most ${MAX_DECOYS_PER_WRITE} decoys at a time`);
      const actions: TransactionAction[] = decoys.map((decoy) => ['upsert', decoyEntityOf(decoy), 'Replace']);
      actions.push(['update', registryVersionEntity(), 'Replace', { etag: version }]);
      return etagOfAction(await table.submit(actions, 'the decoy registry changed since it was read'), actions.length - 1);
    },

    async getDecoy(id) {
      const entity = await table.get(DECOY_PARTITION, encodeKey(id));
      return entity && { value: parseDecoy(documentOf(entity)), etag: entity.etag };
    },

    async upsertDecoy(decoy) {
      await table.submit([
        ['upsert', decoyEntityOf(decoy), 'Replace'],
        ['upsert', registryVersionEntity(), 'Replace'],
      ]);
    },

    async updateDecoy(decoy, etag) {
      const actions: TransactionAction[] = [
        ['update', decoyEntityOf(decoy), 'Replace', { etag }],
        ['upsert', registryVersionEntity(), 'Replace'],
      ];
      return etagOfAction(await table.submit(actions, `decoy ${decoy.id} changed since it was read`), 0);
    },

    async deleteDecoy(id) {
      try {
        await table.submit([
          ['delete', { partitionKey: DECOY_PARTITION, rowKey: encodeKey(id) }],
          ['upsert', registryVersionEntity(), 'Replace'],
        ]);
      } catch (error) {
        // Nothing to delete: nothing changed, and the registry keeps its version.
        if (statusCodeOf(error) !== 404) throw error;
      }
    },
  };
}

function decoyEntityOf(decoy: Decoy): TableEntity {
  return documentEntity(DECOY_PARTITION, encodeKey(decoy.id), decoy, { kind: decoy.kind, enabled: decoy.enabled });
}

/** Written with every decoy write: what it holds does not matter, only that its ETag changes. */
function registryVersionEntity(): TableEntity {
  return { partitionKey: DECOY_PARTITION, rowKey: REGISTRY_VERSION_ROW };
}

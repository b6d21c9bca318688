import { odata } from '@azure/data-tables';
import type { KeySetFetch, SigningKey } from '../../domain/signingKeys.js';
import type { SigningKeyStore } from '../../ports/store/signingKeyStore.js';
import { type DocumentTable, documentEntity } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

const KEY_PARTITION = 'key';
const FETCH_PARTITION = 'fetch';

/** Every signing key ever published, by kid, and the last fetch of each key set, one partition each. */
export function tableSigningKeyStore(table: DocumentTable): SigningKeyStore {
  return {
    listSigningKeys() {
      return table.collectDocuments<SigningKey>(odata`PartitionKey eq ${KEY_PARTITION}`);
    },

    async upsertSigningKeys(keys) {
      await table.writeInTransactions(
        keys.map((key) => documentEntity(KEY_PARTITION, encodeKey(key.kid), key)),
        'upsert',
      );
    },

    listKeySetFetches() {
      return table.collectDocuments<KeySetFetch>(odata`PartitionKey eq ${FETCH_PARTITION}`);
    },

    async upsertKeySetFetches(fetches) {
      await table.writeInTransactions(
        fetches.map((fetch) => documentEntity(FETCH_PARTITION, encodeKey(fetch.set), fetch)),
        'upsert',
      );
    },
  };
}

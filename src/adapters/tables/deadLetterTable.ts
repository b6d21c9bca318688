import type { DeadLetter } from '../../domain/deadLetters.js';
import type { DeadLetterStore } from '../../ports/store/deadLetterStore.js';
import { dayPartitionOf } from '../storeSchemes.js';
import { type DocumentTable, documentEntity } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

/** Dead letters, partitioned by the day they were received, so old days go in one query. */
export function tableDeadLetterStore(table: DocumentTable): DeadLetterStore {
  return {
    async upsertDeadLetters(letters) {
      await table.writeInTransactions(
        letters.map((letter) => documentEntity(dayPartitionOf(letter.receivedAt), encodeKey(letter.id), letter, { reason: letter.reason })),
        'upsert',
      );
    },

    listDeadLetters() {
      return table.listDocuments<DeadLetter>();
    },

    async deleteDeadLettersBefore(before) {
      return table.deletePartitionsBefore(dayPartitionOf(before));
    },
  };
}

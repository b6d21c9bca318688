import type { DeadLetter } from '../../domain/deadLetters.js';
import type { DeadLetterStore } from '../../ports/store/deadLetterStore.js';
import { dayPartitionOf } from '../storeSchemes.js';
import { DocumentMap } from './documentMap.js';

export function memoryDeadLetterStore(): DeadLetterStore {
  const letters = new DocumentMap<DeadLetter>();
  return {
    async upsertDeadLetters(batch) {
      for (const letter of batch) letters.set(letter.id, letter);
    },

    async *listDeadLetters() {
      yield* letters.values();
    },

    async deleteDeadLettersBefore(before) {
      const boundary = dayPartitionOf(before);
      return letters.deleteWhere((letter) => dayPartitionOf(letter.receivedAt) < boundary);
    },
  };
}

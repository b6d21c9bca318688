import type { DeadLetter } from '../../domain/deadLetters.js';

/** Records Lure could not use, kept so nothing is lost silently. */
export interface DeadLetterStore {
  /** Idempotent: a letter with an id already stored replaces it. Written in batches. */
  upsertDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  listDeadLetters(): AsyncIterable<DeadLetter>;
  /** Deletes letters received on a day wholly before `before`. Returns how many. */
  deleteDeadLettersBefore(before: string): Promise<number>;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeadLetterStore } from '../../../src/ports/store/deadLetterStore.js';
import { AWKWARD_IDS, deadLetter, all } from './fixtures.js';

/** What every `DeadLetterStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function deadLetterStoreContract(name: string, createStore: () => Promise<DeadLetterStore>): void {
  describe(`DeadLetterStore contract: ${name}`, () => {
    it('upserts dead letters idempotently, whatever their ids hold', async () => {
      const store = await createStore();
      const letters = [...AWKWARD_IDS.map((id) => deadLetter(id)), deadLetter('next-day', '2026-11-29T00:00:01.000Z')];
      await store.upsertDeadLetters(letters);
      await store.upsertDeadLetters(letters);
      const stored = await all(store.listDeadLetters());
      assert.equal(stored.length, letters.length);
      assert.deepEqual(
        stored.sort((a, b) => a.id.localeCompare(b.id)),
        [...letters].sort((a, b) => a.id.localeCompare(b.id)),
      );
    });

    it('deletes dead letters of days before a boundary', async () => {
      const store = await createStore();
      await store.upsertDeadLetters([
        deadLetter('old', '2026-10-01T23:59:59.000Z'),
        deadLetter('boundary', '2026-10-02T00:00:00.000Z'),
        deadLetter('new', '2026-11-28T12:00:00.000Z'),
      ]);
      assert.equal(await store.deleteDeadLettersBefore('2026-10-02T12:00:00.000Z'), 1);
      assert.deepEqual((await all(store.listDeadLetters())).map((letter) => letter.id).sort(), ['boundary', 'new']);
    });

    it('writes more than one transaction of dead letters (over 100 in a partition)', async () => {
      const store = await createStore();
      const letters = Array.from({ length: 250 }, (_, index) => deadLetter(`bulk-${index}`));
      await store.upsertDeadLetters([...letters, letters[0]!]);
      assert.equal((await all(store.listDeadLetters())).length, 250);
    });
  });
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecoyLifecycle, JournalEntry } from '../../../src/domain/lifecycle.js';
import type { LifecycleStore } from '../../../src/ports/store/lifecycleStore.js';
import { ConcurrencyError } from '../../../src/ports/store/versioned.js';
import { AWKWARD_IDS } from './fixtures.js';

/** What every `LifecycleStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function lifecycleStoreContract(name: string, createStore: () => Promise<LifecycleStore>): void {
  describe(`LifecycleStore contract: ${name}`, () => {
    it('keeps decoy lifecycles by decoy id, replacing and deleting them', async () => {
      const store = await createStore();
      const lifecycle = (decoyId: string, keyIds: string[]): DecoyLifecycle => ({
        decoyId,
        kind: 'application',
        createdByLure: true,
        generations: keyIds.map((keyId) => ({
          kind: 'clientSecret',
          keyId,
          journalId: 'j000000001',
          createdAt: '2026-11-28T12:00:00.000Z',
          fingerprint: 'sha256:ab',
          hint: 'Q1w',
        })),
        placements: [{ kind: 'manual', description: 'ops wiki page' }],
        nextRotationAt: '2026-12-28T12:00:00.000Z',
      });
      for (const id of AWKWARD_IDS) await store.upsertDecoyLifecycle(lifecycle(id, ['k1']));
      await store.upsertDecoyLifecycle(lifecycle('a/b', ['k1', 'k2']));
      assert.deepEqual(await store.getDecoyLifecycle('a/b'), lifecycle('a/b', ['k1', 'k2']));
      assert.equal((await store.listDecoyLifecycles()).length, AWKWARD_IDS.length);
      await store.deleteDecoyLifecycle('a/b');
      await store.deleteDecoyLifecycle('a/b');
      assert.equal(await store.getDecoyLifecycle('a/b'), undefined);
      assert.equal(await store.getDecoyLifecycle('never'), undefined);
    });

    it('keeps journal entries by id: unfinished ones are always listed, finished ones only if recent; old finished ones are pruned', async () => {
      const store = await createStore();
      const entry = (id: string, step: JournalEntry['step'], updatedAt: string): JournalEntry => ({
        id,
        decoyId: 'd-app-1',
        kind: 'application',
        operation: 'rotate',
        step,
        startedAt: '2026-10-01T00:00:00.000Z',
        updatedAt,
        secretTo: 'placements',
        placementDecoyIds: [],
      });
      await store.createJournalEntry(entry('stuck00001', 'intent', '2026-10-01T00:00:00.000Z'));
      await store.createJournalEntry(entry('old0000001', 'finished', '2026-10-01T00:00:00.000Z'));
      const etag = await store.createJournalEntry(entry('recent0001', 'cloudDone', '2026-11-28T11:00:00.000Z'));
      await assert.rejects(store.createJournalEntry(entry('recent0001', 'intent', '2026-11-28T11:00:00.000Z')), ConcurrencyError);
      const next = await store.updateJournalEntry(entry('recent0001', 'finished', '2026-11-28T11:30:00.000Z'), etag);
      await assert.rejects(
        store.updateJournalEntry(entry('recent0001', 'intent', '2026-11-28T11:40:00.000Z'), etag),
        ConcurrencyError,
        'a run that was taken over cannot write',
      );
      assert.equal((await store.getJournalEntry('recent0001'))?.etag, next);
      assert.deepEqual((await store.listJournalEntries('2026-11-28T00:00:00.000Z')).map((listed) => listed.id).sort(), ['recent0001', 'stuck00001']);
      assert.equal((await store.getJournalEntry('recent0001'))?.value.step, 'finished');
      assert.equal(await store.deleteJournalEntriesBefore('2026-11-01T00:00:00.000Z'), 1, 'only the old finished entry');
      assert.equal(await store.getJournalEntry('old0000001'), undefined);
      assert.equal((await store.getJournalEntry('stuck00001'))?.value.step, 'intent', 'an unfinished entry is never pruned');
    });
  });
}

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import type { AuditEntry } from '../../src/domain/audit.js';
import { useAdminApi } from '../helpers/adminTokens.js';
import { useAzurite } from '../helpers/azurite.js';
import { testServices } from '../helpers/services.js';
import { azuriteStore } from '../helpers/tenant.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';

const NOW = '2026-11-28T12:00:00.000Z';
const RACERS = 8;
const LETTERS = 'ABCDEFGH';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

const azurite = useAzurite();
const ADAPTERS: Record<string, () => Promise<StateStore>> = {
  memory: () => Promise.resolve(memoryStateStore()),
  'table (Azurite)': () => azuriteStore(azurite.connectionString(), azurite.uniquePrefix()),
};

for (const [adapter, storeFor] of Object.entries(ADAPTERS)) {
  describe(`concurrent registers over real HTTP are atomic (${adapter} store)`, () => {
    let store: StateStore;
    let token: string;
    const { tenant, services, server } = useAdminApi(new Date(NOW), async ({ settings }) => {
      store = await storeFor();
      return testServices({ settings, store });
    });
    before(async () => {
      token = await tenant().mint({ roles: ['Lure.Admin'] });
    });

    /** Sends every register at once and answers each one's status, in the order sent. */
    async function registerAll(decoys: readonly Record<string, unknown>[]): Promise<number[]> {
      const answers = await Promise.all(
        decoys.map((decoy) =>
          fetch(`${server().url}/decoys`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ register: decoy }),
          }),
        ),
      );
      return Promise.all(answers.map(async (answer) => (await answer.arrayBuffer(), answer.status)));
    }

    function succeededAdds(entries: readonly AuditEntry[], target: string): AuditEntry[] {
      return entries.filter((entry) => entry.action === 'decoy.add' && entry.target === target && entry.outcome === 'succeeded');
    }

    it(`${RACERS} registers of one id, each with its own kid: one 201, one succeeded audit entry, the winner stored`, async () => {
      const racers = LETTERS.split('').map((letter) => ({ kind: 'token', id: 'd-race-id', kid: `race-kid-${letter}` }));
      const statuses = await registerAll(racers);
      assert.equal(statuses.filter((status) => status === 201).length, 1, `statuses ${statuses.join(' ')}`);
      assert.deepEqual(
        statuses.filter((status) => status !== 201),
        Array.from({ length: RACERS - 1 }, () => 409),
      );
      const winner = racers[statuses.indexOf(201)]!;
      const stored = (await store.listDecoys()).filter((decoy) => decoy.id === 'd-race-id');
      assert.deepEqual(
        stored.map((decoy) => (decoy.kind === 'token' ? decoy.kid : undefined)),
        [winner.kid],
      );
      const entries = await all(store.listAuditEntries());
      assert.equal(succeededAdds(entries, 'decoy:d-race-id').length, 1);
    });

    it(`${RACERS} registers of one kid under different ids: one 201, one decoy owns the kid`, async () => {
      const racers = LETTERS.split('').map((letter) => ({ kind: 'token', id: `d-race-kid-${letter}`, kid: 'race-shared-kid' }));
      const statuses = await registerAll(racers);
      assert.equal(statuses.filter((status) => status === 201).length, 1, `statuses ${statuses.join(' ')}`);
      assert.ok(
        statuses.every((status) => status === 201 || status === 409),
        `statuses ${statuses.join(' ')}`,
      );
      const owners = (await store.listDecoys()).filter((decoy) => decoy.kind === 'token' && decoy.kid === 'race-shared-kid');
      assert.deepEqual(
        owners.map((decoy) => decoy.id),
        [racers[statuses.indexOf(201)]!.id],
      );
      const entries = await all(store.listAuditEntries());
      const adds = racers.flatMap((racer) => succeededAdds(entries, `decoy:${racer.id}`));
      assert.equal(adds.length, 1);
    });

    it(`${RACERS} registers of one kid started a step apart (microtasks, then event-loop turns): one succeeds`, async () => {
      for (const [pace, wait] of [
        ['microtask', () => Promise.resolve()],
        ['turn', () => new Promise<void>((resolve) => setImmediate(resolve))],
      ] as const) {
        const outcomes = await Promise.allSettled(
          LETTERS.split('').map(async (letter, index) => {
            // Each starts `index` steps after the first, so some read the registry while another writes it.
            for (let step = 0; step < index; step += 1) await wait();
            await services().registerDecoy({ kind: 'token', id: `d-paced-${pace}-${letter}`, enabled: true, kid: `paced-kid-${pace}` });
          }),
        );
        assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1, `${pace}: ${outcomes.map((outcome) => outcome.status).join(' ')}`);
        const owners = (await store.listDecoys()).filter((decoy) => decoy.kind === 'token' && decoy.kid === `paced-kid-${pace}`);
        assert.equal(owners.length, 1, pace);
      }
    });

    it('afterwards an unrelated register succeeds', async () => {
      assert.deepEqual(await registerAll([{ kind: 'token', id: 'd-race-after', kid: 'race-kid-after' }]), [201]);
      assert.ok((await store.listDecoys()).some((decoy) => decoy.id === 'd-race-after'));
    });
  });
}

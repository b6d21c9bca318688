import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamStore } from '../../../src/ports/store/streamStore.js';

/** What every `StreamStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function streamStoreContract(name: string, createStore: () => Promise<StreamStore>): void {
  describe(`StreamStore contract: ${name}`, () => {
    it("keeps each writer's stream counts per origin and bucket, listed since a bucket and pruned before one", async () => {
      const store = await createStore();
      await store.upsertStreamCounts('w1', [
        { origin: 'entra', bucket: '2026-11-28T10:00:00.000Z', records: 5, deadLettered: 1, lastEventAt: '2026-11-28T09:58:00.000Z' },
        { origin: 'exchange', bucket: '2026-11-28T10:10:00.000Z', records: 2, deadLettered: 0 },
      ]);
      await store.upsertStreamCounts('w1', [
        { origin: 'entra', bucket: '2026-11-28T10:00:00.000Z', records: 7, deadLettered: 1, lastEventAt: '2026-11-28T09:59:00.000Z' },
      ]);
      await store.upsertStreamCounts('w2', [{ origin: 'entra', bucket: '2026-11-28T10:00:00.000Z', records: 3, deadLettered: 0 }]);
      const sorted = (counts: readonly { origin: string; records: number }[]) => counts.map((count) => `${count.origin}:${count.records}`).sort();
      assert.deepEqual(sorted(await store.listStreamCounts('2026-11-28T10:00:00.000Z')), ['entra:3', 'entra:7', 'exchange:2']);
      assert.deepEqual(sorted(await store.listStreamCounts('2026-11-28T10:10:00.000Z')), ['exchange:2']);
      assert.deepEqual(
        (await store.listStreamCounts('2026-11-28T10:00:00.000Z')).find((count) => count.records === 7),
        {
          origin: 'entra',
          bucket: '2026-11-28T10:00:00.000Z',
          records: 7,
          deadLettered: 1,
          lastEventAt: '2026-11-28T09:59:00.000Z',
        },
      );
      assert.equal(await store.deleteStreamCountsBefore('2026-11-28T10:10:00.000Z'), 2);
      assert.deepEqual(sorted(await store.listStreamCounts('2026-11-28T00:00:00.000Z')), ['exchange:2']);
    });

    it('merges stream arrivals and silence marks without clobbering either', async () => {
      const store = await createStore();
      await store.recordStreamArrivals([
        { stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-11-28T10:00:00.000Z' },
        { stream: 'category:SignInLogs', source: 'entra', lastArrivalAt: '2026-11-28T10:00:00.000Z' },
      ]);
      await store.setStreamSilence('source:entra', 'alert-1');
      await store.recordStreamArrivals([
        { stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-11-28T11:00:00.000Z', lastEventAt: '2026-11-28T10:58:00.000Z' },
      ]);
      const byName = new Map((await store.listStreams()).map((stream) => [stream.stream, stream]));
      assert.deepEqual(byName.get('source:entra'), {
        stream: 'source:entra',
        source: 'entra',
        lastArrivalAt: '2026-11-28T11:00:00.000Z',
        lastEventAt: '2026-11-28T10:58:00.000Z',
        silentAlertId: 'alert-1',
      });
      await store.setStreamSilence('source:entra', undefined);
      assert.deepEqual(
        (await store.listStreams()).find((stream) => stream.stream === 'source:entra'),
        {
          stream: 'source:entra',
          source: 'entra',
          lastArrivalAt: '2026-11-28T11:00:00.000Z',
          lastEventAt: '2026-11-28T10:58:00.000Z',
        },
      );
      assert.equal((await store.listStreams()).length, 2);
    });

    it('keeps a stream expected and never delivered, then merges its arrival and silence with the expectation', async () => {
      const store = await createStore();
      await store.recordStreamExpectations([
        { stream: 'source:exchange', source: 'exchange', expectedSince: '2026-11-28T08:00:00.000Z' },
        { stream: 'category:AuditLogs', source: 'entra', expectedSince: '2026-11-28T08:00:00.000Z' },
      ]);
      await store.setStreamSilence('source:exchange', 'alert-never');
      assert.deepEqual(
        (await store.listStreams()).find((stream) => stream.stream === 'source:exchange'),
        { stream: 'source:exchange', source: 'exchange', expectedSince: '2026-11-28T08:00:00.000Z', silentAlertId: 'alert-never' },
      );
      await store.recordStreamArrivals([{ stream: 'source:exchange', source: 'exchange', lastArrivalAt: '2026-11-29T10:00:00.000Z' }]);
      assert.deepEqual(
        (await store.listStreams()).find((stream) => stream.stream === 'source:exchange'),
        {
          stream: 'source:exchange',
          source: 'exchange',
          lastArrivalAt: '2026-11-29T10:00:00.000Z',
          expectedSince: '2026-11-28T08:00:00.000Z',
          silentAlertId: 'alert-never',
        },
      );
      assert.equal((await store.listStreams()).length, 2);

      // No longer expected: the one that delivered keeps its arrival, the one that never did is gone.
      await store.forgetStreamExpectations(['source:exchange', 'category:AuditLogs']);
      assert.deepEqual(await store.listStreams(), [
        { stream: 'source:exchange', source: 'exchange', lastArrivalAt: '2026-11-29T10:00:00.000Z', silentAlertId: 'alert-never' },
      ]);
    });
  });
}

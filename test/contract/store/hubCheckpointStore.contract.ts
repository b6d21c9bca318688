import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HubCheckpointStore } from '../../../src/ports/store/hubCheckpointStore.js';
import { ConcurrencyError } from '../../../src/ports/store/versioned.js';

/** What every `HubCheckpointStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function hubCheckpointStoreContract(name: string, createStore: () => Promise<HubCheckpointStore>): void {
  describe(`HubCheckpointStore contract: ${name}`, () => {
    it('keeps Event Hubs partition ownership (claimed under ETags) and checkpoints per hub and consumer group', async () => {
      const store = await createStore();
      const scope = { namespace: 'lure-ns.servicebus.windows.net', hub: 'entra', consumerGroup: 'lure' };
      const other = { ...scope, consumerGroup: 'siem' };
      const owner = (partitionId: string, ownerId: string) => ({ ...scope, partitionId, ownerId, lastModifiedTimeInMs: 1 });
      const etag = await store.claimHubOwnership(owner('0', 'a'), undefined);
      await assert.rejects(store.claimHubOwnership(owner('0', 'b'), undefined), ConcurrencyError, 'a second first claim loses');
      const stolen = await store.claimHubOwnership(owner('0', 'b'), etag);
      await assert.rejects(store.claimHubOwnership(owner('0', 'a'), etag), ConcurrencyError, 'a claim at a stale ETag loses');
      await store.claimHubOwnership({ ...other, partitionId: '0', ownerId: 'c', lastModifiedTimeInMs: 1 }, undefined);
      const owned = await store.listHubOwnerships(scope);
      assert.deepEqual(
        owned.map(({ value }) => [value.partitionId, value.ownerId]),
        [['0', 'b']],
      );
      assert.equal(owned[0]!.etag, stolen);

      await store.upsertHubCheckpoint({ ...scope, partitionId: '0', sequenceNumber: 41, offset: '4096' });
      await store.upsertHubCheckpoint({ ...scope, partitionId: '0', sequenceNumber: 42, offset: '8192' });
      await store.upsertHubCheckpoint({ ...scope, partitionId: '1', sequenceNumber: 7, offset: '512' });
      assert.deepEqual(
        (await store.listHubCheckpoints(scope)).sort((a, b) => a.partitionId.localeCompare(b.partitionId)),
        [
          { ...scope, partitionId: '0', sequenceNumber: 42, offset: '8192' },
          { ...scope, partitionId: '1', sequenceNumber: 7, offset: '512' },
        ],
      );
      assert.deepEqual(await store.listHubCheckpoints(other), []);
    });
  });
}

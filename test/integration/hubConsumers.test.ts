import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreCheckpointStore } from '../../src/adapters/storeCheckpointStore.js';
import { processHubBatch } from '../../src/app/hubBatches.js';
import type { ReceivedEvent } from '../../src/ports/hubBatches.js';
import { useAzurite } from '../helpers/azurite.js';
import { signInRecord } from '../helpers/records.js';
import { testServices } from '../helpers/services.js';
import { azuriteStore } from '../helpers/tenant.js';

const azurite = useAzurite();
const NAMESPACE = 'lure-test.servicebus.windows.net';

describe('the local host on real hubs: batches and checkpoints (Azurite)', () => {
  it("ingests a partition's batch through the pipeline and checkpoints its last event; a failed batch is not checkpointed", async () => {
    const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
    const services = await testServices({ store, decoys: [{ id: 'd-user-1', kind: 'user', enabled: true, userPrincipalName: 'svc-backup@contoso.example' }] });
    const checkpointed: ReceivedEvent[] = [];
    const events: ReceivedEvent[] = [
      { body: { records: [signInRecord({ time: '2026-11-28T11:00:00.000Z', userPrincipalName: 'someone@contoso.example' })] } },
      {
        body: JSON.stringify({
          records: [signInRecord({ time: '2026-11-28T11:01:00.000Z', userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.9' })],
        }),
      },
    ];
    const alerts = await processHubBatch(services.ingest, 'entra', events, {
      partitionId: '3',
      updateCheckpoint: (event) => Promise.resolve(void checkpointed.push(event)),
    });
    assert.deepEqual(
      alerts.map((alert) => alert.detection),
      ['decoy.user.signIn'],
    );
    assert.deepEqual(checkpointed, [events[1]]);
    assert.ok((await store.listSignInProgress()).length > 0, 'an Entra partition moves the sign-in progress');

    store.createAlert = () => Promise.reject(new Error('store unavailable'));
    const again: ReceivedEvent[] = [
      { body: { records: [signInRecord({ time: '2026-11-28T12:01:00.000Z', userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.10' })] } },
    ];
    await assert.rejects(
      processHubBatch(services.ingest, 'entra', again, { partitionId: '3', updateCheckpoint: (event) => Promise.resolve(void checkpointed.push(event)) }),
      /store unavailable/,
    );
    assert.equal(checkpointed.length, 1, 'the failed batch stays unchecked, so it is read again');
    assert.deepEqual(
      await processHubBatch(services.ingest, 'exchange', [], {
        partitionId: '0',
        // eslint-disable-next-line @typescript-eslint/require-await -- the AssertionError must come as a rejection, as a failing checkpoint's would
        updateCheckpoint: async () => assert.fail('nothing to checkpoint'),
      }),
      [],
    );
  });

  it("keeps ownership and checkpoints in Lure's tables, as the SDK asks, so a restarted consumer resumes where it stopped", async () => {
    const prefix = azurite.uniquePrefix();
    const first = new StoreCheckpointStore(await azuriteStore(azurite.connectionString(), prefix));
    const claim = { fullyQualifiedNamespace: NAMESPACE, eventHubName: 'entra', consumerGroup: 'lure', partitionId: '0', ownerId: 'laptop-1' };
    const [claimed] = await first.claimOwnership([claim]);
    assert.ok(claimed?.etag !== undefined);
    assert.deepEqual(await first.claimOwnership([{ ...claim, ownerId: 'laptop-2' }]), [], 'a second fresh claim loses');
    const [renewed] = await first.claimOwnership([{ ...claimed }]);
    assert.ok(renewed !== undefined && renewed.etag !== claimed.etag, 'the owner renews at its ETag');
    await first.updateCheckpoint({
      fullyQualifiedNamespace: NAMESPACE,
      eventHubName: 'entra',
      consumerGroup: 'lure',
      partitionId: '0',
      sequenceNumber: 1200,
      offset: '884736',
    });

    const restarted = new StoreCheckpointStore(await azuriteStore(azurite.connectionString(), prefix));
    assert.deepEqual(await restarted.listCheckpoints(NAMESPACE, 'entra', 'lure'), [
      { fullyQualifiedNamespace: NAMESPACE, eventHubName: 'entra', consumerGroup: 'lure', partitionId: '0', sequenceNumber: 1200, offset: '884736' },
    ]);
    const owners = await restarted.listOwnership(NAMESPACE, 'entra', 'lure');
    assert.deepEqual(
      owners.map((owner) => [owner.partitionId, owner.ownerId, owner.etag]),
      [['0', 'laptop-1', renewed.etag]],
    );
    assert.deepEqual(await restarted.listCheckpoints(NAMESPACE, 'exchange', 'lure'), []);
  });
});

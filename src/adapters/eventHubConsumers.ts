import { EventHubConsumerClient, latestEventPosition, type Subscription } from '@azure/event-hubs';
import type { TokenCredential } from '@azure/identity';
import { HUB_NAMES, type HubName } from '../domain/streams.js';
import type { HubBatchHandler } from '../ports/hubBatches.js';
import { StoreCheckpointStore } from './storeCheckpointStore.js';
import type { HubCheckpointStore } from '../ports/store/hubCheckpointStore.js';

export interface HubConsumersOptions {
  readonly connection: { readonly namespace: string; readonly credential: TokenCredential } | { readonly connectionString: string };
  readonly hubs: Readonly<Record<HubName, string>>;
  readonly consumerGroup: string;
  /** Holds ownership and checkpoints, so a restart resumes where the last run stopped. */
  readonly store: HubCheckpointStore;
  readonly onBatch: HubBatchHandler;
  readonly onError: (hub: HubName, message: string) => void;
}

export interface HubConsumers {
  close(): Promise<void>;
}

/**
 * Reads the three hubs with `EventHubConsumerClient` on Lure's consumer group, balancing partitions through a
 * checkpoint store over Lure's own tables. With no checkpoint yet a partition is read from its newest event:
 * the local host checks a deployment from now on, it does not re-read the hub's retention.
 */
export function startHubConsumers(options: HubConsumersOptions): HubConsumers {
  const checkpoints = new StoreCheckpointStore(options.store);
  const running: { client: EventHubConsumerClient; subscription: Subscription }[] = [];
  for (const hub of HUB_NAMES) {
    const name = options.hubs[hub];
    const client =
      'connectionString' in options.connection
        ? new EventHubConsumerClient(options.consumerGroup, options.connection.connectionString, name, checkpoints)
        : new EventHubConsumerClient(options.consumerGroup, options.connection.namespace, name, options.connection.credential, checkpoints);
    const subscription = client.subscribe(
      {
        processEvents: async (events, context) =>
          options.onBatch(hub, events, { partitionId: context.partitionId, updateCheckpoint: (event) => context.updateCheckpoint(event as never) }),
        // A promise the SDK can wait on, though reporting is synchronous (a throw rejects it, as from an async function).
        processError: (error) =>
          new Promise<void>((resolve) => {
            options.onError(hub, error.message);
            resolve();
          }),
      },
      { startPosition: latestEventPosition, maxBatchSize: 100, maxWaitTimeInSeconds: 5 },
    );
    running.push({ client, subscription });
  }
  return {
    async close() {
      await Promise.all(
        running.map(async ({ client, subscription }) => {
          await subscription.close();
          await client.close();
        }),
      );
    },
  };
}

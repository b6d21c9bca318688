import type { Checkpoint, CheckpointStore, PartitionOwnership } from '@azure/event-hubs';
import { ConcurrencyError } from '../ports/store/versioned.js';
import type { HubCheckpointStore } from '../ports/store/hubCheckpointStore.js';

/**
 * The Event Hubs SDK's checkpoint store over Lure's own state store (Table Storage, or Azurite locally), so
 * the local host's consumers share ownership and resume from their checkpoints after a restart. Ownership is
 * claimed with ETags: of two consumers claiming a partition, one wins.
 */
export class StoreCheckpointStore implements CheckpointStore {
  constructor(private readonly store: HubCheckpointStore) {}

  async listOwnership(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<PartitionOwnership[]> {
    const owned = await this.store.listHubOwnerships({ namespace: fullyQualifiedNamespace, hub: eventHubName, consumerGroup });
    return owned.map(({ value, etag }) => ({
      fullyQualifiedNamespace: value.namespace,
      eventHubName: value.hub,
      consumerGroup: value.consumerGroup,
      partitionId: value.partitionId,
      ownerId: value.ownerId,
      lastModifiedTimeInMs: value.lastModifiedTimeInMs,
      etag,
    }));
  }

  async claimOwnership(partitionOwnership: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    const claimed: PartitionOwnership[] = [];
    for (const ownership of partitionOwnership) {
      const lastModifiedTimeInMs = Date.now();
      try {
        const etag = await this.store.claimHubOwnership(
          {
            namespace: ownership.fullyQualifiedNamespace,
            hub: ownership.eventHubName,
            consumerGroup: ownership.consumerGroup,
            partitionId: ownership.partitionId,
            ownerId: ownership.ownerId,
            lastModifiedTimeInMs,
          },
          ownership.etag,
        );
        claimed.push({ ...ownership, lastModifiedTimeInMs, etag });
      } catch (error) {
        // Another consumer got there first: the SDK balances again on its next round.
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
    return claimed;
  }

  async listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<Checkpoint[]> {
    const checkpoints = await this.store.listHubCheckpoints({ namespace: fullyQualifiedNamespace, hub: eventHubName, consumerGroup });
    return checkpoints.map((checkpoint) => ({
      fullyQualifiedNamespace: checkpoint.namespace,
      eventHubName: checkpoint.hub,
      consumerGroup: checkpoint.consumerGroup,
      partitionId: checkpoint.partitionId,
      sequenceNumber: checkpoint.sequenceNumber,
      offset: checkpoint.offset,
    }));
  }

  async updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    await this.store.upsertHubCheckpoint({
      namespace: checkpoint.fullyQualifiedNamespace,
      hub: checkpoint.eventHubName,
      consumerGroup: checkpoint.consumerGroup,
      partitionId: checkpoint.partitionId,
      sequenceNumber: checkpoint.sequenceNumber,
      offset: checkpoint.offset,
    });
  }
}

import type { HubCheckpoint, HubPartitionOwnership, HubScope } from '../../domain/streams.js';
import type { HubCheckpointStore } from '../../ports/store/hubCheckpointStore.js';
import { DocumentMap } from './documentMap.js';

export function memoryHubCheckpointStore(): HubCheckpointStore {
  /** scope and partition → ownership / checkpoint */
  const ownerships = new DocumentMap<HubPartitionOwnership>();
  const checkpoints = new DocumentMap<HubCheckpoint>();
  return {
    async listHubOwnerships(scope) {
      const prefix = hubScopeKey(scope);
      return ownerships
        .entries()
        .filter(({ key }) => key.startsWith(prefix))
        .map(({ value, etag }) => ({ value, etag }));
    },

    async claimHubOwnership(ownership, etag) {
      const key = `${hubScopeKey(ownership)}${ownership.partitionId}`;
      const conflict = `partition ${ownership.partitionId} of ${ownership.hub} was claimed by another consumer`;
      return etag === undefined ? ownerships.create(key, ownership, conflict) : ownerships.update(key, ownership, etag, conflict);
    },

    async listHubCheckpoints(scope) {
      const prefix = hubScopeKey(scope);
      return checkpoints
        .entries()
        .filter(({ key }) => key.startsWith(prefix))
        .map(({ value }) => value);
    },

    async upsertHubCheckpoint(checkpoint) {
      checkpoints.set(`${hubScopeKey(checkpoint)}${checkpoint.partitionId}`, checkpoint);
    },
  };
}

function hubScopeKey(scope: HubScope): string {
  return `${scope.namespace.toLowerCase()}\u0000${scope.hub.toLowerCase()}\u0000${scope.consumerGroup.toLowerCase()}\u0000`;
}

import { odata } from '@azure/data-tables';
import type { HubCheckpoint, HubPartitionOwnership, HubScope } from '../../domain/streams.js';
import type { HubCheckpointStore } from '../../ports/store/hubCheckpointStore.js';
import type { Versioned } from '../../ports/store/versioned.js';
import { type DocumentTable, documentEntity, documentOf } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

/** Event Hubs partition ownership (claimed under ETags) and checkpoints, one partition per hub scope. */
export function tableHubCheckpointStore(table: DocumentTable): HubCheckpointStore {
  return {
    async listHubOwnerships(scope) {
      const owned: Versioned<HubPartitionOwnership>[] = [];
      for await (const entity of table.list(odata`PartitionKey eq ${hubScopePartitionOf(scope)} and kind eq ${'ownership'}`)) {
        owned.push({ value: documentOf(entity) as HubPartitionOwnership, etag: entity.etag });
      }
      return owned;
    },

    async claimHubOwnership(ownership, etag) {
      const entity = documentEntity(hubScopePartitionOf(ownership), `ownership-${encodeKey(ownership.partitionId)}`, ownership, { kind: 'ownership' });
      const conflict = `partition ${ownership.partitionId} of ${ownership.hub} was claimed by another consumer`;
      return etag === undefined ? table.create(entity, conflict) : table.update(entity, etag, conflict);
    },

    async listHubCheckpoints(scope) {
      return table.collectDocuments<HubCheckpoint>(odata`PartitionKey eq ${hubScopePartitionOf(scope)} and kind eq ${'checkpoint'}`);
    },

    async upsertHubCheckpoint(checkpoint) {
      await table.upsert(
        documentEntity(hubScopePartitionOf(checkpoint), `checkpoint-${encodeKey(checkpoint.partitionId)}`, checkpoint, { kind: 'checkpoint' }),
      );
    },
  };
}

/** One partition per namespace, hub and consumer group: a consumer lists its scope in one query. */
function hubScopePartitionOf(scope: HubScope): string {
  return encodeKey(`${scope.namespace.toLowerCase()}|${scope.hub.toLowerCase()}|${scope.consumerGroup.toLowerCase()}`);
}

import type { HubCheckpoint, HubPartitionOwnership, HubScope } from '../../domain/streams.js';
import type { Versioned } from './versioned.js';

/** Partition ownership and checkpoints of Event Hubs consumers (the local host reading real hubs). */
export interface HubCheckpointStore {
  listHubOwnerships(scope: HubScope): Promise<Versioned<HubPartitionOwnership>[]>;
  /**
   * Claims a partition: creates the ownership when `etag` is undefined, else replaces it at that ETag.
   * Returns the new ETag; throws `ConcurrencyError` when another consumer claimed it first.
   */
  claimHubOwnership(ownership: HubPartitionOwnership, etag: string | undefined): Promise<string>;
  listHubCheckpoints(scope: HubScope): Promise<HubCheckpoint[]>;
  upsertHubCheckpoint(checkpoint: HubCheckpoint): Promise<void>;
}

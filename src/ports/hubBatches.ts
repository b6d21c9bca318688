import type { HubName } from '../domain/streams.js';

/** One event as a consumer received it (the SDK's `ReceivedEventData`, as far as Lure reads it). */
export interface ReceivedEvent {
  readonly body: unknown;
}

/** Where a batch came from, and how to record that it was handled. */
export interface HubBatchContext {
  readonly partitionId: string;
  updateCheckpoint(event: ReceivedEvent): Promise<void>;
}

/** What a hub consumer hands each batch to; a rejection leaves the checkpoint where it was. */
export type HubBatchHandler = (hub: HubName, events: readonly ReceivedEvent[], context: HubBatchContext) => Promise<void>;

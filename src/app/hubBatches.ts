import type { Alert } from '../domain/alerts.js';
import type { Services } from '../host/services.js';

export type HubName = 'entra' | 'exchange' | 'token';

/** One event as a consumer received it (the SDK's `ReceivedEventData`, as far as Lure reads it). */
export interface ReceivedEvent {
  readonly body: unknown;
}

/** Where a batch came from, and how to record that it was handled. */
export interface HubBatchContext {
  readonly partitionId: string;
  updateCheckpoint(event: ReceivedEvent): Promise<void>;
}

/**
 * One batch of one partition, as the local host's consumers receive it: through the same pipeline as the
 * Event Hub functions, then checkpointed at its last event. A failure leaves the checkpoint where it was, so
 * after a restart the batch is read again; folding makes that harmless.
 */
export async function processHubBatch(services: Services, hub: HubName, events: readonly ReceivedEvent[], context: HubBatchContext): Promise<readonly Alert[]> {
  if (events.length === 0) return [];
  const report = await services.ingest(
    events.map((event) => event.body),
    `${hub} partition ${context.partitionId}`,
    undefined,
    // Only the Entra hub's partitions carry sign-ins, so only they show how far the sign-in streams have come.
    hub === 'entra' ? { partitionId: context.partitionId } : {},
  );
  await context.updateCheckpoint(events.at(-1)!);
  return report.alerts;
}

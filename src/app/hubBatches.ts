import type { Alert } from '../domain/alerts.js';
import { type HubName, hubOriginOf, signInPartitionOf } from '../domain/streams.js';
import type { HubBatchContext, ReceivedEvent } from '../ports/hubBatches.js';
import type { Ingest } from './ingest.js';

/**
 * One batch of one partition, as the local host's consumers receive it: through the same pipeline as the
 * Event Hub functions, then checkpointed at its last event. A failure leaves the checkpoint where it was, so
 * after a restart the batch is read again; folding makes that harmless.
 */
export async function processHubBatch(ingest: Ingest, hub: HubName, events: readonly ReceivedEvent[], context: HubBatchContext): Promise<readonly Alert[]> {
  const last = events.at(-1);
  if (last === undefined) return [];
  const partitionId = signInPartitionOf(hub, context.partitionId);
  const report = await ingest(
    events.map((event) => event.body),
    hubOriginOf(hub, context.partitionId),
    undefined,
    partitionId === undefined ? {} : { partitionId },
  );
  await context.updateCheckpoint(last);
  return report.alerts;
}

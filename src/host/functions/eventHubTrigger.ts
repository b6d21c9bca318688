import type { EventHubFunctionOptions, InvocationContext, RetryOptions } from '@azure/functions';
import type { Alert } from '../../domain/alerts.js';
import { type HubName, hubOriginOf, signInPartitionOf } from '../../domain/streams.js';
import type { Logger } from '../../ports/logger.js';
import { totalAccepted, totalSkipped } from '../../app/ingestReport.js';
import { getServices } from '../services.js';

/** The app setting that holds each hub's event hub name. */
export const HUB_NAME_SETTINGS: Readonly<Record<HubName, string>> = {
  entra: 'LURE_ENTRA_HUB_NAME',
  exchange: 'LURE_EXCHANGE_HUB_NAME',
  token: 'LURE_TOKEN_HUB_NAME',
};

/**
 * The Event Hubs trigger checkpoints a batch even when the function throws, once its retry policy is done.
 * So the policy retries forever: a store outage makes the partition wait rather than lose events. Bad
 * records never throw (each record's every step runs inside one guard that dead-letters it, see `ingest`), so
 * they cannot hold a partition up.
 */
export const EVENT_HUB_RETRY: RetryOptions = {
  strategy: 'exponentialBackoff',
  maxRetryCount: -1,
  minimumInterval: { seconds: 5 },
  maximumInterval: { minutes: 5 },
};

/** The handler of one hub's trigger: decode the batch, run the pipeline, rethrow store failures. */
export function eventHubHandler(hub: HubName) {
  return async (messages: unknown, context: InvocationContext): Promise<void> => {
    const services = await getServices();
    const batch = Array.isArray(messages) ? messages : [messages];
    const partitionId = partitionIdOf(context);
    const origin = hubOriginOf(hub, partitionId);
    const logger = invocationLogger(context);
    try {
      const signInPartition = signInPartitionOf(hub, partitionId);
      const report = await services.ingest(batch, origin, logger, signInPartition === undefined ? {} : { partitionId: signInPartition });
      logger.info('batch ingested', {
        origin,
        messages: batch.length,
        records: report.read,
        accepted: totalAccepted(report),
        skipped: totalSkipped(report),
        deadLettered: report.deadLettered,
        alerts: report.alerts.length,
        retry: context.retryContext?.retryCount,
      });
      logAlerts(logger, report.alerts);
    } catch (error) {
      logger.error('batch failed; the host retries it', {
        origin,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        retry: context.retryContext?.retryCount,
      });
      throw error;
    }
  };
}

/** Registration options shared by the three triggers. Hub names and the consumer group come from app settings. */
export function eventHubOptions(hub: HubName, handler: ReturnType<typeof eventHubHandler>): EventHubFunctionOptions {
  return {
    connection: 'LURE_EVENTHUB',
    eventHubName: `%${HUB_NAME_SETTINGS[hub]}%`,
    consumerGroup: '%LURE_CONSUMER_GROUP%',
    cardinality: 'many',
    retry: EVENT_HUB_RETRY,
    handler,
  };
}

function partitionIdOf(context: InvocationContext): string | undefined {
  const partitionContext = context.triggerMetadata?.['partitionContext'];
  if (typeof partitionContext === 'object' && partitionContext !== null && 'partitionId' in partitionContext) {
    const partitionId = partitionContext.partitionId;
    if (typeof partitionId === 'string' || typeof partitionId === 'number') return String(partitionId);
  }
  return undefined;
}

/** One line per raised, changed or retracted alert: its identifiers only. A suppressed one is kept, never notified. */
export function logAlerts(logger: Logger, alerts: readonly Alert[]): void {
  for (const alert of alerts) {
    const fields = { id: alert.id, detection: alert.detection, severity: alert.severity, status: alert.status, decoyId: alert.decoyId, count: alert.count };
    if (alert.status === 'suppressed') logger.info('suppressed alert (decoy disabled)', fields);
    else if (alert.status === 'retracted') logger.info('alert retracted (false alarm: its issuance arrived late)', fields);
    else logger.warn('alert', fields);
  }
}

export function invocationLogger(context: InvocationContext): Logger {
  const format = (message: string, fields?: Record<string, unknown>) => (fields === undefined ? message : `${message} ${JSON.stringify(fields)}`);
  return {
    debug: (message, fields) => context.debug(format(message, fields)),
    info: (message, fields) => context.info(format(message, fields)),
    warn: (message, fields) => context.warn(format(message, fields)),
    error: (message, fields) => context.error(format(message, fields)),
  };
}

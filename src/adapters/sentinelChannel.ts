import type { TokenCredential } from '@azure/identity';
import { isAggregateLogsUploadError, LogsIngestionClient } from '@azure/monitor-ingestion';
import { type SentinelRow, sentinelRowOf } from '../alerting/sentinelRow.js';
import type { Alert } from '../domain/alerts.js';
import { type AlertChannel, type Delivery, DeliveryError } from '../ports/alertChannel.js';
import { isRetryableStatus, retryAfterOf } from './retries.js';

/** Where the rows go: a data collection endpoint (or the rule's own), the rule's immutable id and its stream. */
export interface SentinelDestination {
  readonly endpoint: string;
  readonly ruleId: string;
  readonly stream: string;
  /** `https://monitor.azure.com` and its sovereign forms: the token's audience. */
  readonly audience: string;
}

/**
 * Every alert as a row of `LureAlerts_CL` through the Logs Ingestion API, again at each revision, so the
 * table holds its history. The SDK's own retries are off: the outbox retries, with the backoff, `Retry-After`
 * and dead letters every channel has, and its status shows each failure. A test notification is a row too,
 * of the detection `lure.test`.
 */
export class SentinelChannel implements AlertChannel {
  readonly name = 'sentinel' as const;
  private readonly client: LogsIngestionClient;

  constructor(
    private readonly options: {
      readonly destination: SentinelDestination;
      readonly credential: TokenCredential;
      readonly cloud: string;
      readonly tenantId?: string;
      readonly timeoutInMs: number;
    },
  ) {
    this.client = new LogsIngestionClient(options.destination.endpoint, options.credential, {
      audience: options.destination.audience,
      retryOptions: { maxRetries: 0 },
    });
  }

  async send(delivery: Delivery): Promise<'delivered'> {
    const { destination } = this.options;
    const row = delivery.alert === undefined ? this.testRow(delivery) : this.rowOf(delivery.alert);
    try {
      await this.client.upload(destination.ruleId, destination.stream, [row], { abortSignal: AbortSignal.timeout(this.options.timeoutInMs) });
      return 'delivered';
    } catch (error) {
      throw deliveryErrorOf(error, this.options.timeoutInMs);
    }
  }

  private rowOf(alert: Alert): SentinelRow {
    return sentinelRowOf(alert, { cloud: this.options.cloud, ...(this.options.tenantId === undefined ? {} : { tenantId: this.options.tenantId }) });
  }

  private testRow(delivery: Delivery): SentinelRow {
    const now = new Date().toISOString();
    return {
      TimeGenerated: now,
      OccurredAt: now,
      AlertId: delivery.id,
      Revision: 1,
      Detection: 'lure.test',
      Severity: 'low',
      Status: 'resolved',
      AlertTitle: delivery.content.heading,
      Summary: delivery.content.subheading ?? 'A test row: Lure can write to this table.',
      EvidenceCount: 0,
      Evidence: [],
      MitreTechniques: [],
      Cloud: this.options.cloud,
      ...(this.options.tenantId === undefined ? {} : { AadTenantId: this.options.tenantId }),
    };
  }
}

/**
 * The SDK gathers each chunk's failure into one `AggregateLogsUploadError` (whose own message is empty):
 * the first cause says what happened. The service's answer (its error code and message) is kept, as status
 * shows it; the endpoint carries no secret.
 */
function deliveryErrorOf(error: unknown, timeoutInMs: number): DeliveryError {
  const cause = isAggregateLogsUploadError(error) ? error.errors[0]?.cause : error;
  if (isRestError(cause)) {
    const detail = cause.code === undefined ? '' : `: ${cause.code}${cause.message === '' ? '' : ` ${cause.message}`}`;
    return new DeliveryError(
      `HTTP ${cause.statusCode}${detail}`.slice(0, 500),
      isRetryableStatus(cause.statusCode),
      retryAfterOf(cause.response?.headers.get('retry-after')),
    );
  }
  if (cause instanceof Error && (cause.name === 'AbortError' || cause.name === 'TimeoutError'))
    return new DeliveryError(`no answer within ${timeoutInMs} ms`, true);
  // No answer (refused, reset, no token): worth another try.
  return new DeliveryError(cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 500) : 'network error', true);
}

/** The pipeline's `RestError`, known by shape: the class is the SDK's transitive dependency's, not ours. */
function isRestError(error: unknown): error is Error & {
  readonly statusCode: number;
  readonly code?: string;
  readonly response?: { readonly headers: { get(name: string): string | undefined } };
} {
  return error instanceof Error && error.name === 'RestError' && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}

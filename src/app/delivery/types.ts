import type { Config } from '../../config/config.js';
import type { ChannelName } from '../../domain/delivery.js';
import type { CloudName } from '../../keys/clouds.js';
import type { AlertChannel } from '../../ports/alertChannel.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertStore } from '../../ports/store/alertStore.js';
import type { IncidentStore } from '../../ports/store/incidentStore.js';
import type { OutboxStore } from '../../ports/store/outboxStore.js';

export interface AlertDeliveryDeps {
  readonly store: OutboxStore & Pick<AlertStore, 'getAlert'> & Pick<IncidentStore, 'getIncident'>;
  /** The configured channels. */
  readonly channels: Partial<Readonly<Record<ChannelName, AlertChannel>>>;
  readonly clock: Clock;
  readonly settings: Config['delivery'];
  readonly cloud: CloudName;
  readonly logger: Logger;
  /** Paces sends to a channel's rate; injected so tests need not wait. */
  readonly sleep: (ms: number) => Promise<void>;
}

export interface DeliveryReport {
  readonly delivered: number;
  readonly accepted: number;
  /** Failed this time, to be tried again later. */
  readonly retrying: number;
  readonly dead: number;
  /** Follow-ups the incident's post already covered. */
  readonly superseded: number;
  /** Left for a later run: a follow-up waiting for its incident's post, or the inline budget spent. */
  readonly deferred: number;
}

/** How one send ended, as the report counts it. */
export type Outcome = keyof DeliveryReport;

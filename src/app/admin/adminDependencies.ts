import type { Decoy } from '../../domain/decoys.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertStore } from '../../ports/store/alertStore.js';
import type { AuditFeedStore } from '../../ports/store/auditFeedStore.js';
import type { AuditStore } from '../../ports/store/auditStore.js';
import type { DeadLetterStore } from '../../ports/store/deadLetterStore.js';
import type { DecoyStore } from '../../ports/store/decoyStore.js';
import type { IncidentStore } from '../../ports/store/incidentStore.js';
import type { LifecycleStore } from '../../ports/store/lifecycleStore.js';
import type { SigningKeyStore } from '../../ports/store/signingKeyStore.js';
import type { StreamStore } from '../../ports/store/streamStore.js';
import type { TokenIndexStore } from '../../ports/store/tokenIndexStore.js';
import type { AlertDelivery } from '../delivery/alertDelivery.js';
import type { DecoyLifecycles } from '../decoys/decoyLifecycles.js';

/**
 * What the admin routes use, and nothing more. The composition root's services satisfy it as they are, so
 * hosts hand those in; a test can hand in just these.
 */
export interface AdminDependencies {
  /** Reads of every resource the API shows; alert writes (triage) and audit entries. */
  readonly store: AlertStore &
    AuditFeedStore &
    AuditStore &
    DeadLetterStore &
    DecoyStore &
    IncidentStore &
    LifecycleStore &
    SigningKeyStore &
    StreamStore &
    Pick<TokenIndexStore, 'listSignInLateness'>;
  /** Creating, changing, rotating and retiring decoys in the tenant. */
  readonly lifecycles: Pick<DecoyLifecycles, 'create' | 'configure' | 'currentMaterial' | 'retire' | 'rotate'>;
  /** Per channel delivery, for the status report; triage decisions recorded where alerts keep their history. */
  readonly delivery: Pick<AlertDelivery, 'status' | 'record'>;
  readonly clock: Clock;
  /** `LURE_EXPECTED_SOURCES`, as streams: the status report lists those that never delivered. */
  readonly expectedStreams: readonly string[];
  /** Adds one decoy that exists, refusing a taken id or identifier (see `registerDecoy`). */
  registerDecoy(decoy: Decoy): Promise<void>;
}

/** What the API adds around its routes: a log for the failures a caller only gets a reference to. */
export interface AdminApiDependencies extends AdminDependencies {
  readonly logger: Logger;
}

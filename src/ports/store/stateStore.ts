import type { AlertStore } from './alertStore.js';
import type { AuditFeedStore } from './auditFeedStore.js';
import type { AuditStore } from './auditStore.js';
import type { DeadLetterStore } from './deadLetterStore.js';
import type { DecoyStore } from './decoyStore.js';
import type { HubCheckpointStore } from './hubCheckpointStore.js';
import type { IncidentStore } from './incidentStore.js';
import type { LifecycleStore } from './lifecycleStore.js';
import type { MailBaselineStore } from './mailBaselineStore.js';
import type { OutboxStore } from './outboxStore.js';
import type { SigningKeyStore } from './signingKeyStore.js';
import type { StreamStore } from './streamStore.js';
import type { TokenIndexStore } from './tokenIndexStore.js';

/**
 * Lure's state: every aggregate's store, as the composition root builds it. Consumers name only the stores
 * they use. Implemented over Azure Table Storage and in memory; both pass the same contract suite, run per
 * aggregate (`test/contract/store/`). Ids may hold any characters, including `/ \ # ?`, which Table
 * keys forbid: adapters encode keys, never store raw input in them.
 * Transient failures are retried inside the adapter; an error that escapes means the store is unavailable.
 */
export type StateStore = AlertStore &
  AuditFeedStore &
  AuditStore &
  DeadLetterStore &
  DecoyStore &
  HubCheckpointStore &
  IncidentStore &
  LifecycleStore &
  MailBaselineStore &
  OutboxStore &
  SigningKeyStore &
  StreamStore &
  TokenIndexStore;

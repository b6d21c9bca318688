import type { StateStore } from '../../ports/store/stateStore.js';
import { memoryAlertStore } from './memoryAlertStore.js';
import { memoryAuditFeedStore, memoryAuditStore } from './memoryAuditStores.js';
import { memoryDeadLetterStore } from './memoryDeadLetterStore.js';
import { memoryDecoyStore } from './memoryDecoyStore.js';
import { memoryHubCheckpointStore } from './memoryHubCheckpointStore.js';
import { memoryIncidentStore } from './memoryIncidentStore.js';
import { memoryLifecycleStore } from './memoryLifecycleStore.js';
import { memoryMailBaselineStore } from './memoryMailBaselineStore.js';
import { memoryOutboxStore } from './memoryOutboxStore.js';
import { memorySigningKeyStore } from './memorySigningKeyStore.js';
import { memoryStreamStore } from './memoryStreamStore.js';
import { memoryTokenIndexStore } from './memoryTokenIndexStore.js';

/**
 * The state store in memory, for unit tests and `lure replay`: every aggregate's store, each passing the
 * same contract suite as its Table counterpart.
 */
export function memoryStateStore(): StateStore {
  return {
    ...memoryDecoyStore(),
    ...memoryAlertStore(),
    ...memoryIncidentStore(),
    ...memoryOutboxStore(),
    ...memoryLifecycleStore(),
    ...memoryTokenIndexStore(),
    ...memorySigningKeyStore(),
    ...memoryMailBaselineStore(),
    ...memoryStreamStore(),
    ...memoryAuditStore(),
    ...memoryAuditFeedStore(),
    ...memoryHubCheckpointStore(),
    ...memoryDeadLetterStore(),
  };
}

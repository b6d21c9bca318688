import type { StateStore } from '../../../src/ports/store/stateStore.js';
import { alertStoreContract } from './alertStore.contract.js';
import { auditFeedStoreContract } from './auditFeedStore.contract.js';
import { auditStoreContract } from './auditStore.contract.js';
import { deadLetterStoreContract } from './deadLetterStore.contract.js';
import { decoyStoreContract } from './decoyStore.contract.js';
import { hubCheckpointStoreContract } from './hubCheckpointStore.contract.js';
import { incidentStoreContract } from './incidentStore.contract.js';
import { lifecycleStoreContract } from './lifecycleStore.contract.js';
import { mailBaselineStoreContract } from './mailBaselineStore.contract.js';
import { outboxStoreContract } from './outboxStore.contract.js';
import { signingKeyStoreContract } from './signingKeyStore.contract.js';
import { streamStoreContract } from './streamStore.contract.js';
import { tokenIndexStoreContract } from './tokenIndexStore.contract.js';

/** Every aggregate's contract, run against one adapter's stores. */
export function stateStoreContracts(name: string, createStore: () => Promise<StateStore>): void {
  alertStoreContract(name, createStore);
  auditFeedStoreContract(name, createStore);
  auditStoreContract(name, createStore);
  deadLetterStoreContract(name, createStore);
  decoyStoreContract(name, createStore);
  hubCheckpointStoreContract(name, createStore);
  incidentStoreContract(name, createStore);
  lifecycleStoreContract(name, createStore);
  mailBaselineStoreContract(name, createStore);
  outboxStoreContract(name, createStore);
  signingKeyStoreContract(name, createStore);
  streamStoreContract(name, createStore);
  tokenIndexStoreContract(name, createStore);
}

import { MemoryStateStore } from '../../../src/adapters/memoryStateStore.js';
import { stateStoreContract } from '../../contract/stateStore.contract.js';

stateStoreContract('in memory', async () => new MemoryStateStore());

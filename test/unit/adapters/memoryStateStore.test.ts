import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import { stateStoreContracts } from '../../contract/store/stateStore.contract.js';

stateStoreContracts('in memory', () => Promise.resolve(memoryStateStore()));

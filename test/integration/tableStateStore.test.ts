import { TableStateStore } from '../../src/adapters/tableStateStore.js';
import { stateStoreContract } from '../contract/stateStore.contract.js';
import { useAzurite } from '../helpers/azurite.js';

const azurite = useAzurite();

stateStoreContract('Azure Table Storage (Azurite)', () =>
  TableStateStore.connect({ connection: { connectionString: azurite.connectionString() }, tablePrefix: azurite.uniquePrefix() }),
);

import { connectTableStateStore } from '../../src/adapters/tables/tableStateStore.js';
import { stateStoreContracts } from '../contract/store/stateStore.contract.js';
import { useAzurite } from '../helpers/azurite.js';

const azurite = useAzurite();

stateStoreContracts('Azure Table Storage (Azurite)', () =>
  connectTableStateStore({ connection: { connectionString: azurite.connectionString() }, tablePrefix: azurite.uniquePrefix() }),
);

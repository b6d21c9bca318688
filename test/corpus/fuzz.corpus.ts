import { describe, it } from 'node:test';
import { assertMutatedRecordsAccounted, corpusSeedRecords } from '../helpers/mutations.js';
import { CORPUS } from './corpus.js';

describe('ingest never lets mutated real records escape as an exception (shared corpus)', () => {
  it('accounts for every record of mutated corpus records, parsed or as raw text cut anywhere', async () => {
    await assertMutatedRecordsAccounted(corpusSeedRecords(CORPUS), 1500);
  });
});

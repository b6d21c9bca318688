import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { totalAccepted, totalSkipped } from '../../../src/app/ingestReport.js';
import { fixtureDecoys } from '../../helpers/mixedFixture.js';
import { assertMutatedRecordsAccounted, assertNoErrorLogged, seedRecords } from '../../helpers/mutations.js';
import { recordingLogger, testServices } from '../../helpers/services.js';

describe('ingest never lets bad input escape as an exception', () => {
  it('accounts for every record of random JSON, in every framing', async () => {
    const logger = recordingLogger();
    const services = await testServices({ decoys: fixtureDecoys(), logger });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.jsonValue(),
            fc.json(),
            fc.string(),
            fc.uint8Array(),
            fc.jsonValue().map((records) => ({ records })),
          ),
        ),
        async (messages) => {
          const report = await services.ingest(messages, 'fuzz');
          assert.equal(totalAccepted(report) + totalSkipped(report), report.read);
          assertNoErrorLogged(logger);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accounts for every record of mutated real-shaped records (our fixtures), parsed or as raw text cut anywhere', async () => {
    await assertMutatedRecordsAccounted(seedRecords(), 1500);
  });
});

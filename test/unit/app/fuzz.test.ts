import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { totalAccepted, totalSkipped } from '../../../src/app/ingestReport.js';
import { fixtureDecoys } from '../../helpers/mixedFixture.js';
import { type Json, mutate, seedRecords } from '../../helpers/mutations.js';
import { recordingLogger, testServices } from '../../helpers/services.js';

/**
 * The pipeline catches a normalizer's or detection's exception as a last resort (one record lost, an error
 * logged); the fuzz holds them to a higher standard: no error is logged at all.
 */
function assertNoErrorLogged(logger: ReturnType<typeof recordingLogger>): void {
  const errors = logger.lines.filter((line) => line.includes('"level":"error"'));
  assert.deepEqual(errors, []);
}

describe('ingest never lets bad input escape as an exception', () => {
  it('accounts for every record of random JSON, in every framing', async () => {
    const logger = recordingLogger();
    const services = await testServices({ decoys: fixtureDecoys(), logger });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.jsonValue(), fc.json(), fc.string(), fc.uint8Array(), fc.jsonValue().map((records) => ({ records })))),
        async (messages) => {
          const report = await services.ingest(messages, 'fuzz');
          assert.equal(totalAccepted(report) + totalSkipped(report), report.read);
          assertNoErrorLogged(logger);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accounts for every record of mutated real records, parsed or as raw text cut anywhere', async () => {
    const logger = recordingLogger();
    const services = await testServices({ decoys: fixtureDecoys(), logger });
    const seeds = seedRecords();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), fc.infiniteStream(fc.nat()), fc.integer({ min: 1, max: 4 }), fc.boolean(), async (seed, choices, rounds, asText) => {
        let record = seed as Json;
        for (let round = 0; round < rounds; round += 1) record = mutate(record, choices);
        const text = JSON.stringify(record) ?? 'null';
        const message = asText ? text.slice(0, choices.next().value % (text.length + 1)) : { records: [record] };
        const report = await services.ingest([message], 'fuzz');
        assert.equal(totalAccepted(report) + totalSkipped(report), report.read);
        assertNoErrorLogged(logger);
      }),
      { numRuns: 1500 },
    );
  });
});

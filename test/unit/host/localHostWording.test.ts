import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileSummary } from '../../../src/host/local/inboxFile.js';

describe("the local host's line for an ingested inbox file", () => {
  it('counts in words that agree with the number', () => {
    assert.equal(fileSummary(1, 1, 0), '1 record, 1 alert raised or updated, 0 dead-lettered');
    assert.equal(fileSummary(0, 0, 0), '0 records, 0 alerts raised or updated, 0 dead-lettered');
    assert.equal(fileSummary(20, 2, 1), '20 records, 2 alerts raised or updated, 1 dead-lettered');
    assert.equal(fileSummary(20_000, 0, 1_500), '20,000 records, 0 alerts raised or updated, 1,500 dead-lettered');
  });
});

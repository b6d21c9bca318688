import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoyObjectAccessed } from '../../../src/detections/decoyObjectAccessed.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(decoyObjectAccessed.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(decoyObjectAccessed, fixture, decoys);

describe(`${decoyObjectAccessed.id} alert fields`, () => {
  it('names the sub-resource read and targets the decoy object and the request', () => {
    const finding = onlyFinding(decoyObjectAccessed, fixture, "GET /servicePrincipals(appId='<decoy appId>')/owners is high", decoys);
    assert.equal(finding.title, "Read of decoy application 3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c's owners");
    assert.deepEqual(finding.target, {
      objectId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d',
      resource: "https://graph.microsoft.com/v1.0/servicePrincipals(appId='3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c')/owners",
    });
  });

  it('targets the decoy mailbox of a search', () => {
    const finding = onlyFinding(decoyObjectAccessed, fixture, "SearchQueryInitiatedExchange in the decoy user's mailbox is high", decoys);
    assert.deepEqual(finding.target, { mailbox: 'svc-backup@contoso.example', resource: 'SearchQueryInitiatedExchange' });
  });
});

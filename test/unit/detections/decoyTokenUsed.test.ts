import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoyTokenUsed } from '../../../src/detections/decoyTokenUsed.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(decoyTokenUsed.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(decoyTokenUsed, fixture, decoys);

describe(`${decoyTokenUsed.id} alert fields`, () => {
  it('targets the API called and keeps the token header and claims, never the token', () => {
    const finding = onlyFinding(decoyTokenUsed, fixture, "the honeytoken's kid in a full three-segment JWT is critical", decoys);
    assert.deepEqual(finding.target, { resource: 'https://api.contoso.example/payments/v1/transfers?status=pending' });
    assert.equal(finding.token?.kid, 'lure-kid-01');
    assert.equal(finding.evidence.source, 'token');
    assert.match(finding.evidence.id, /^sha256:[0-9a-f]{32}$/);
    assert.ok(!JSON.stringify(finding).includes('eyJ'), 'no JWT segment in the finding');
  });
});

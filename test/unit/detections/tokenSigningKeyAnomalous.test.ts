import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenSigningKeyAnomalous } from '../../../src/detections/tokenSigningKeyAnomalous.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(tokenSigningKeyAnomalous.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(tokenSigningKeyAnomalous, fixture, decoys);

describe(`${tokenSigningKeyAnomalous.id} alert fields`, () => {
  it('keys the alert on the key id and keeps the token claims, never the token', () => {
    const finding = onlyFinding(tokenSigningKeyAnomalous, fixture, 'a token signed with the Storm-0558 key for an organisation tenant is critical', decoys);
    assert.equal(finding.subjectKey, '1LTMzakihiRla_8z2BEJVXeWMqo');
    assert.equal(finding.title, 'Token signed by a known-compromised key (1LTMzakihiRla_8z2BEJVXeWMqo)');
    assert.equal(finding.token?.kid, '1LTMzakihiRla_8z2BEJVXeWMqo');
    assert.equal(finding.token.uniqueTokenId, 'keyCaseUti0000000000001');
    assert.deepEqual(finding.target, { resource: 'https://api.contoso.example/payments/v1/transfers' });
    assert.ok(!JSON.stringify(finding).includes('eyJ'), 'no JWT segment in the finding');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoyApplicationSignIn } from '../../../src/detections/decoyApplicationSignIn.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(decoyApplicationSignIn.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(decoyApplicationSignIn, fixture, decoys);

describe(`${decoyApplicationSignIn.id} alert fields`, () => {
  it('targets the decoy service principal and the resource it asked a token for', () => {
    const finding = onlyFinding(decoyApplicationSignIn, fixture, 'a service principal sign-in with the generation-1 secret names generation 1 of 2', decoys);
    assert.deepEqual(finding.target, { objectId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d', resource: 'Microsoft Graph' });
    assert.equal(finding.title, 'Sign-in as decoy application Backup Connector');
    assert.equal(finding.actor.servicePrincipalId, 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d');
    assert.equal(typeof finding.token?.uniqueTokenId, 'string');
  });

  it('names a failed attempt as an attempt', () => {
    const finding = onlyFinding(decoyApplicationSignIn, fixture, 'a failed client-credential sign-in with a wrong secret is still critical', decoys);
    assert.equal(finding.title, 'Sign-in attempt as decoy application Backup Connector');
  });

  it('targets the Graph request a decoy app made', () => {
    const finding = onlyFinding(decoyApplicationSignIn, fixture, "a Graph call made with the decoy app's own token is critical", decoys);
    assert.equal(finding.target.resource, 'https://graph.microsoft.com/v1.0/users?$top=999&$select=id,userPrincipalName,mail');
    assert.equal(finding.evidence.type, 'MicrosoftGraphActivityLogs');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoyUserSignIn } from '../../../src/detections/decoyUserSignIn.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(decoyUserSignIn.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(decoyUserSignIn, fixture, decoys);

describe(`${decoyUserSignIn.id} alert fields`, () => {
  it('names a failed attempt as an attempt, with the decoy and the resource as target and the caller as actor', () => {
    const finding = onlyFinding(decoyUserSignIn, fixture, 'a failed interactive sign-in with a wrong password is high, and still a hit', decoys);
    assert.equal(finding.title, 'Sign-in attempt as decoy user svc-backup@contoso.example');
    assert.deepEqual(finding.target, { objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44', resource: 'Microsoft Graph' });
    assert.equal(finding.actor.ipAddress, '203.0.113.77');
    assert.deepEqual(finding.evidence, {
      source: 'entra',
      type: 'SignInLogs',
      id: 'ecfa8c82-f304-5fb7-8fa6-9a2ec206b66c',
      time: '2026-11-24T08:14:09.661Z',
    });
  });

  it('carries the token identifiers of a successful sign-in', () => {
    const finding = onlyFinding(decoyUserSignIn, fixture, 'a successful interactive sign-in is critical', decoys);
    assert.equal(finding.title, 'Successful sign-in as decoy user svc-backup@contoso.example');
    assert.equal(typeof finding.token?.uniqueTokenId, 'string');
    assert.equal(typeof finding.token?.sessionId, 'string');
  });

  it('targets the decoy mailbox on a MailboxLogin', () => {
    const finding = onlyFinding(decoyUserSignIn, fixture, "a MailboxLogin to the decoy's mailbox is critical", decoys);
    assert.equal(finding.target.mailbox, 'svc-backup@contoso.example');
    assert.equal(finding.evidence.source, 'exchange');
    assert.equal(finding.evidence.type, 'MailboxLogin');
  });
});

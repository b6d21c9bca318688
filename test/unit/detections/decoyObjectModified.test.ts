import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoyObjectModified } from '../../../src/detections/decoyObjectModified.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(decoyObjectModified.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(decoyObjectModified, fixture, decoys);

describe(`${decoyObjectModified.id} alert fields`, () => {
  it("says in the title when Lure's own identity made the change", () => {
    const finding = onlyFinding(decoyObjectModified, fixture, "a change by Lure's own identity with no rotation journal entry is critical", decoys);
    assert.match(finding.title, /^Lure's own identity changed decoy application 3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c: /);
    assert.equal(finding.actor.appId, '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d');
  });

  it('is high, not critical, for the same change by anyone else', () => {
    const finding = onlyFinding(
      decoyObjectModified,
      fixture,
      "AuditLogs 'Update application – Certificates and secrets management' on the decoy app object is high",
      decoys,
    );
    assert.match(finding.title, /^Change to decoy application 3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c: /);
    assert.equal(finding.target.objectId, 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d');
  });

  it('targets the mailbox that holds the decoy message when its auditing is switched off', () => {
    const finding = onlyFinding(decoyObjectModified, fixture, 'Set-Mailbox -AuditEnabled False on finance-archive (it holds a decoy message) is high', decoys);
    assert.equal(finding.target.mailbox, 'finance-archive@contoso.example');
    assert.equal(finding.target.resource, 'Set-Mailbox on mailbox finance-archive@contoso.example');
  });
});

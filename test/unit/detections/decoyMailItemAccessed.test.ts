import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoyMailItemAccessed } from '../../../src/detections/decoyMailItemAccessed.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(decoyMailItemAccessed.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(decoyMailItemAccessed, fixture, decoys);

describe(`${decoyMailItemAccessed.id} alert fields`, () => {
  it('targets the decoy mailbox and message, with the Exchange token ids as evidence of who read it', () => {
    const finding = onlyFinding(decoyMailItemAccessed, fixture, 'Bind matching by the item Id alone (no InternetMessageId recorded)', decoys);
    assert.deepEqual(finding.target, { mailbox: 'finance-archive@contoso.example', resource: '<lure-7f3a91c2@contoso.example>' });
    assert.equal(finding.title, 'Decoy message <lure-7f3a91c2@contoso.example> in finance-archive@contoso.example was accessed');
    assert.equal(finding.evidence.source, 'exchange');
    assert.equal(finding.evidence.type, 'MailItemsAccessed');
    assert.equal(typeof finding.token?.uniqueTokenId, 'string');
  });

  it('records a Defender-delivered read as defender evidence', () => {
    const finding = onlyFinding(decoyMailItemAccessed, fixture, 'Defender CloudAppEvents MailItemsAccessed (RawEventData) Bind of the decoy is a hit', decoys);
    assert.equal(finding.evidence.source, 'defender');
    assert.equal(finding.evidence.time, '2026-11-24T13:41:19.000Z');
    assert.equal(finding.actor.appId, '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b');
  });
});

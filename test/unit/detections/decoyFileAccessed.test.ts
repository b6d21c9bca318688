import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoyFileAccessed } from '../../../src/detections/decoyFileAccessed.js';
import { describeFixtureCases, loadDetectionFixture, loadFixtureDecoys, onlyFinding } from '../../helpers/detectionFixtures.js';

const fixture = loadDetectionFixture(decoyFileAccessed.id);
const decoys = loadFixtureDecoys();

describeFixtureCases(decoyFileAccessed, fixture, decoys);

describe(`${decoyFileAccessed.id} alert fields`, () => {
  it('targets the file by its URL and list item id, with the SharePoint token ids as evidence of who read it', () => {
    const finding = onlyFinding(decoyFileAccessed, fixture, 'FileCopied of the decoy by a guest', decoys);
    assert.deepEqual(finding.target, {
      objectId: '6f0c2a9e-4b1d-4c8e-9a7f-3e2d1c0b9a81',
      resource: 'https://contoso.sharepoint.com/sites/finance/Shared Documents/Payroll/Q3 payroll export.xlsx',
    });
    assert.equal(finding.title, 'Decoy file Q3 payroll export.xlsx in https://contoso.sharepoint.com/sites/finance was accessed');
    assert.equal(finding.evidence.source, 'exchange');
    assert.equal(finding.evidence.type, 'FileCopied');
    assert.equal(finding.actor.userPrincipalName, 'eve@fabrikam.example');
    assert.equal(typeof finding.token?.uniqueTokenId, 'string');
    assert.equal(typeof finding.token?.sessionId, 'string');
  });

  it('records a Defender-delivered read as defender evidence, at the raw record time', () => {
    const finding = onlyFinding(decoyFileAccessed, fixture, 'Defender CloudAppEvents FileDownloaded (RawEventData) of the decoy is a hit', decoys);
    assert.equal(finding.evidence.source, 'defender');
    assert.equal(finding.actor.ipAddress, '2001:db8:4f::17');
  });

  it('names a decoy registered by its list item id alone by that id', () => {
    const finding = onlyFinding(decoyFileAccessed, fixture, 'SharePoint FileAccessed matched by ListItemUniqueId', decoys);
    assert.deepEqual(finding.target, { objectId: '0b7e5d3c-1a2f-4e6d-8c9b-7a6f5e4d3c21', resource: 'https://contoso.sharepoint.com/sites/it' });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecoyIndex } from '../../../src/decoys/decoyIndex.js';
import { parseDecoyFile } from '../../../src/decoys/parseDecoys.js';

const decoys = parseDecoyFile({
  decoys: [
    { id: 'u', kind: 'user', userPrincipalName: 'Svc-Backup@Contoso.example', objectId: '6F1C2A9E-4B7D-4E21-9A53-0C8D2F1E7B44' },
    { id: 'a', kind: 'application', appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', servicePrincipalId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d' },
    {
      id: 'm',
      kind: 'mailItem',
      mailbox: 'finance@contoso.example',
      internetMessageId: '<x@y>',
      itemId: 'Lg/AA+B==',
      alternateItemIds: ['AAMk1'],
      folderId: 'F1',
      alternateFolderIds: ['AQMkF1'],
      dedicatedFolder: true,
    },
    { id: 'n', kind: 'mailItem', mailbox: 'FINANCE@contoso.example', itemId: 'other', folderId: 'F2' },
    { id: 't', kind: 'token', kid: 'Kid-1', jti: 'jti-1' },
  ],
});
const index = new DecoyIndex(decoys);

describe('DecoyIndex', () => {
  it('matches UPNs and GUIDs in any case', () => {
    assert.equal(index.find('userPrincipalName', 'svc-backup@CONTOSO.example')?.id, 'u');
    assert.equal(index.find('userObjectId', '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44')?.id, 'u');
    assert.equal(index.find('appId', '3C9F8A21-5D4E-4F6A-B1C2-7E8D9F0A1B2C')?.id, 'a');
    assert.equal(index.find('servicePrincipalId', 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d')?.id, 'a');
  });

  it('matches item ids, kid and jti exactly', () => {
    assert.equal(index.find('mailItemId', 'Lg/AA+B==')?.id, 'm');
    assert.equal(index.find('mailItemId', 'lg/aa+b=='), undefined);
    assert.equal(index.find('mailItemId', 'AAMk1')?.id, 'm');
    assert.equal(index.find('tokenKid', 'Kid-1')?.id, 't');
    assert.equal(index.find('tokenKid', 'kid-1'), undefined);
    assert.equal(index.find('tokenJti', 'jti-1')?.id, 't');
  });

  it('matches an InternetMessageId with or without its angle brackets', () => {
    assert.equal(index.find('internetMessageId', '<x@y>')?.id, 'm');
    assert.equal(index.find('internetMessageId', 'x@y')?.id, 'm');
    assert.equal(index.find('internetMessageId', '<X@y>'), undefined);
  });

  it('indexes only dedicated folders for Sync hits', () => {
    assert.equal(index.find('dedicatedFolderId', 'F1')?.id, 'm');
    assert.equal(index.find('dedicatedFolderId', 'AQMkF1')?.id, 'm', 'any form of the folder id');
    assert.equal(index.find('dedicatedFolderId', 'F2'), undefined);
  });

  it('lists the decoys living in a mailbox, any case', () => {
    assert.deepEqual(
      index.inMailbox('finance@CONTOSO.example').map((decoy) => decoy.id),
      ['m', 'n'],
    );
    assert.deepEqual(
      index.inMailbox('svc-backup@contoso.example').map((decoy) => decoy.id),
      ['u'],
    );
    assert.deepEqual(index.inMailbox(undefined), []);
  });

  it('returns the first match among candidates, and nothing for absent values', () => {
    assert.equal(
      index.findAny([
        ['userObjectId', undefined],
        ['userPrincipalName', 'svc-backup@contoso.example'],
      ])?.id,
      'u',
    );
    assert.equal(index.find('appId', undefined), undefined);
    assert.equal(index.size, 5);
  });
});

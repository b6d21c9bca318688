import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecoyValidationError, parseDecoy, parseDecoyFile } from '../../../src/decoys/parseDecoys.js';

const USER = { id: 'd-user-1', kind: 'user', userPrincipalName: 'svc-backup@contoso.example', objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44' };
const APP = { id: 'd-app-1', kind: 'application', appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c' };
const MAIL = {
  id: 'd-mail-1',
  kind: 'mailItem',
  mailbox: 'finance-archive@contoso.example',
  internetMessageId: '<a@b>',
  folderId: 'F/1',
  dedicatedFolder: true,
};
const TOKEN = { id: 'd-token-1', kind: 'token', kid: 'k1' };
const FILE = {
  id: 'd-file-1',
  kind: 'file',
  siteUrl: 'https://contoso.sharepoint.com/sites/finance',
  driveId: 'b!drive',
  itemId: '01ITEM',
  listItemUniqueId: '6f0c2a9e-4b1d-4c8e-9a7f-3e2d1c0b9a81',
  fileName: 'Q3 payroll export.xlsx',
  serverRelativeUrl: '/sites/finance/Shared Documents/Q3 payroll export.xlsx',
};

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DecoyValidationError, String(error));
    return error.field;
  }
  assert.fail('expected a DecoyValidationError');
}

describe('parseDecoyFile', () => {
  it('reads every kind of the DESIGN contract, filling defaults', () => {
    const decoys = parseDecoyFile({ decoys: [USER, APP, MAIL, TOKEN, { ...FILE, siteUrl: `${FILE.siteUrl}/` }] });
    assert.deepEqual(decoys, [
      { ...USER, enabled: true },
      { ...APP, enabled: true, credentialKeyIds: [] },
      { ...MAIL, enabled: true, alternateItemIds: [], alternateFolderIds: [] },
      { ...TOKEN, enabled: true },
      { ...FILE, enabled: true },
    ]);
  });

  it('keeps the optional fields every decoy accepts', () => {
    const [decoy] = parseDecoyFile({ decoys: [{ ...TOKEN, enabled: false, memo: 'planted in repo', rotationIntervalInHours: 168 }] });
    assert.deepEqual(decoy, { ...TOKEN, enabled: false, memo: 'planted in repo', rotationIntervalInHours: 168 });
  });

  for (const [name, input, field] of [
    ['a file without decoys', { decoy: [] }, 'decoys'],
    ['an unknown top-level field', { decoys: [], extra: 1 }, '(file)'],
    ['an entry that is not an object', { decoys: ['x'] }, 'decoys[0]'],
    ['an unknown kind', { decoys: [{ ...USER, kind: 'group' }] }, 'decoys[0].kind'],
    ['a bad UPN', { decoys: [{ ...USER, userPrincipalName: 'svc backup' }] }, 'decoys[0].userPrincipalName'],
    ['a GUID that is not one', { decoys: [APP, { ...APP, id: 'd-app-2', appId: 'not-a-guid' }] }, 'decoys[1].appId'],
    ['a credential key id that is not a GUID', { decoys: [{ ...APP, credentialKeyIds: ['k'] }] }, 'decoys[0].credentialKeyIds[0]'],
    ['an unknown field on a decoy', { decoys: [{ ...TOKEN, secret: 'x' }] }, 'decoys[0]'],
    ['an id with a path separator', { decoys: [{ ...TOKEN, id: '../etc' }] }, 'decoys[0].id'],
    ['a token decoy with neither kid nor jti', { decoys: [{ id: 't', kind: 'token' }] }, 'decoys[0]'],
    ['a mail decoy with no identifier', { decoys: [{ id: 'm', kind: 'mailItem', mailbox: 'a@b.c' }] }, 'decoys[0]'],
    [
      'a dedicated folder without its id',
      { decoys: [{ id: 'm', kind: 'mailItem', mailbox: 'a@b.c', itemId: 'i', dedicatedFolder: true }] },
      'decoys[0].folderId',
    ],
    ['a duplicate id', { decoys: [TOKEN, { ...TOKEN, kid: 'k2' }] }, 'decoys[1].id'],
    ['a file decoy with no id form', { decoys: [{ id: 'f', kind: 'file', siteUrl: FILE.siteUrl, fileName: 'a.xlsx' }] }, 'decoys[0]'],
    ['a file decoy with a drive but no item', { decoys: [{ ...FILE, itemId: undefined }] }, 'decoys[0].itemId'],
    [
      'a file decoy outside its site',
      { decoys: [{ ...FILE, serverRelativeUrl: '/sites/hr/Shared Documents/Q3 payroll export.xlsx' }] },
      'decoys[0].serverRelativeUrl',
    ],
    ['a file decoy on a plain-http site', { decoys: [{ ...FILE, siteUrl: 'http://contoso.sharepoint.com/sites/finance' }] }, 'decoys[0].siteUrl'],
    ['a list item id that is not a GUID', { decoys: [{ ...FILE, listItemUniqueId: 'item-7' }] }, 'decoys[0].listItemUniqueId'],
    [
      'one file URL owned twice (encoded, other case, trailing slash)',
      { decoys: [FILE, { id: 'f2', kind: 'file', siteUrl: FILE.siteUrl, serverRelativeUrl: '/sites/FINANCE/Shared%20Documents/q3 payroll export.xlsx/' }] },
      'decoys[1]',
    ],
    [
      'one UPN owned twice (any case)',
      { decoys: [USER, { ...USER, id: 'd-user-2', objectId: undefined, userPrincipalName: 'SVC-BACKUP@contoso.example' }] },
      'decoys[1]',
    ],
    [
      'one message id owned twice (with and without brackets)',
      { decoys: [MAIL, { id: 'd-mail-2', kind: 'mailItem', mailbox: 'x@contoso.example', internetMessageId: 'a@b' }] },
      'decoys[1]',
    ],
  ] as const) {
    it(`refuses ${name}, naming ${field}`, () => {
      assert.equal(
        fieldOf(() => parseDecoyFile(input)),
        field,
      );
    });
  }

  it('says what is wrong in the message, with the field first', () => {
    assert.throws(() => parseDecoy({ ...APP, appId: 'nope' }), { message: 'decoy.appId: must be a GUID' });
    assert.throws(() => parseDecoy({ ...TOKEN, secret: 'x' }), { message: 'decoy: unknown field(s) secret' });
  });
});

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
    const decoys = parseDecoyFile({ decoys: [USER, APP, MAIL, TOKEN] });
    assert.deepEqual(decoys, [
      { ...USER, enabled: true },
      { ...APP, enabled: true, credentialKeyIds: [] },
      { ...MAIL, enabled: true, alternateItemIds: [], alternateFolderIds: [] },
      { ...TOKEN, enabled: true },
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

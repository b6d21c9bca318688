import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { credentialDisplayNameOf, journalIdIn } from '../../../src/decoys/markers.js';
import { fingerprintOf, hintOf, JOURNAL_ID_PATTERN, newJournalId, newPassword } from '../../../src/decoys/secrets.js';
import { nameOfUserPrincipalName } from '../../../src/decoys/userNames.js';

describe('decoy secrets and markers', () => {
  it('makes passwords of the asked length with every character class, never twice the same', () => {
    const passwords = Array.from({ length: 200 }, () => newPassword());
    assert.equal(new Set(passwords).size, 200);
    for (const password of passwords) {
      assert.equal(password.length, 40);
      for (const pattern of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) assert.match(password, pattern);
      assert.doesNotMatch(password, /['"\\`\s]/, 'safe inside quotes in shells and PowerShell');
    }
    assert.equal(newPassword(64).length, 64);
    assert.throws(() => newPassword(31), /at least 32/);
  });

  it('keeps a SHA-256 fingerprint and a three-character hint, never the secret', () => {
    assert.equal(fingerprintOf('abc'), `sha256:${createHash('sha256').update('abc').digest('hex')}`);
    assert.equal(hintOf('Q1w8Q~secret'), 'Q1w');
  });

  it('marks credentials with the journal id in words an operations team would use, and reads it back', () => {
    const id = newJournalId();
    assert.match(id, JOURNAL_ID_PATTERN);
    const name = credentialDisplayNameOf({ id, startedAt: '2026-11-28T12:00:00.000Z' });
    assert.equal(name, `rotation 2026-11-28 ${id}`);
    assert.doesNotMatch(name, /lure/i, 'nothing tells an intruder the app is a decoy');
    assert.equal(journalIdIn(name), id);
    assert.equal(journalIdIn('planted by hand'), undefined);
    assert.equal(journalIdIn(undefined), undefined);
  });

  it('recovers the name a decoy UPN was made from', () => {
    assert.deepEqual(nameOfUserPrincipalName('dana.whitfield2@contoso.example'), { givenName: 'Dana', surname: 'Whitfield' });
    assert.equal(nameOfUserPrincipalName('svc-backup@contoso.example'), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIRST_PARTY_APPS_WITHOUT_SIGN_INS } from '../../../src/correlation/firstPartyAppsWithoutSignIns.js';

describe('first-party apps whose uses are not judged', () => {
  it('lists each app once, by a lower-case GUID, with its name', () => {
    const ids = FIRST_PARTY_APPS_WITHOUT_SIGN_INS.map((app) => app.appId);
    assert.equal(new Set(ids).size, ids.length, 'no app id twice');
    const names = FIRST_PARTY_APPS_WITHOUT_SIGN_INS.map((app) => app.name);
    assert.equal(new Set(names).size, names.length, 'no name twice');
    for (const { appId, name } of FIRST_PARTY_APPS_WITHOUT_SIGN_INS) {
      assert.match(appId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.ok(name.trim().length > 0);
    }
  });
});

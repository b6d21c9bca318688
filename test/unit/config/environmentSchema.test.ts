import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS, DERIVED_DEFAULTS, parseEnvironment, SETTING_NAMES } from '../../../src/config/environmentSchema.js';

describe('the environment schema', () => {
  it('keeps defaults only for settings it parses, each in one table', () => {
    const defaulted = [...Object.keys(DEFAULTS), ...Object.keys(DERIVED_DEFAULTS)];
    assert.deepEqual(
      defaulted.filter((name) => !(SETTING_NAMES as readonly string[]).includes(name)),
      [],
    );
    assert.equal(new Set(defaulted).size, defaulted.length, 'no setting in both tables');
  });

  // The README shows DEFAULTS; a fallback written anywhere else in the schema would make these differ.
  for (const [name, text] of Object.entries(DEFAULTS)) {
    it(`applies the documented default of ${name} when it is unset`, () => {
      assert.deepEqual(parseEnvironment({ [name]: text }), parseEnvironment({}));
    });
  }

  it('leaves unset the settings documented without a default', () => {
    const parsed: Readonly<Record<string, unknown>> = parseEnvironment({});
    const undefaulted = SETTING_NAMES.filter((name) => !(name in DEFAULTS) && !(name in DERIVED_DEFAULTS));
    for (const name of undefaulted)
      assert.ok(parsed[name] === undefined || (Array.isArray(parsed[name]) && parsed[name].length === 0), `${name} is ${JSON.stringify(parsed[name])}`);
  });

  it('derives the defaults that follow other settings from them', () => {
    assert.equal(parseEnvironment({}).LURE_LOG_FORMAT, 'human');
    assert.equal(parseEnvironment({ WEBSITE_SITE_NAME: 'lure-prod' }).LURE_LOG_FORMAT, 'json');
    assert.equal(parseEnvironment({ LURE_DATA_DIR: '/var/lure' }).LURE_INBOX_DIR, '/var/lure/inbox');
    assert.equal(parseEnvironment({}).LURE_API_APP_ID_URI, undefined);
    assert.equal(
      parseEnvironment({ LURE_API_CLIENT_ID: '8F2E6C4A-1B3D-4E5F-8A9B-0C1D2E3F4A5B' }).LURE_API_APP_ID_URI,
      'api://8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
    );
    assert.equal(parseEnvironment({ LURE_TENANT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }).LURE_AUDIT_PUBLISHER_ID, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/loadConfig.js';

describe('loadConfig', () => {
  it('runs on its embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      store: 'table',
      tablePrefix: 'lure',
      dedupeBucketInMinutes: 60,
      decoyCacheRefreshInSeconds: 30,
      selfPrincipalIds: [],
      local: { dataDir: '.lure', inboxDir: '.lure/inbox', demo: true, tablePort: 0 },
    });
  });

  it('reads every setting it owns', () => {
    const config = loadConfig({
      LURE_STORE: 'table',
      LURE_TABLE_SERVICE_URI: 'https://lurestore.table.core.windows.net',
      AZURE_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      LURE_TABLE_PREFIX: 'lureProd',
      LURE_DEDUPE_BUCKET_IN_MINUTES: '15',
      LURE_DECOY_CACHE_REFRESH_IN_SECONDS: '5',
      LURE_SELF_PRINCIPAL_IDS: ' AAAAAAAA-1111-4222-8333-444444444444 ,bbbbbbbb-1111-4222-8333-444444444444',
      LURE_DATA_DIR: '/var/lure',
      LURE_INBOX_DIR: '/var/inbox',
      LURE_DEMO: 'off',
      LURE_LOCAL_TABLE_PORT: '10002',
    });
    assert.deepEqual(config.table, { serviceUri: 'https://lurestore.table.core.windows.net', managedIdentityClientId: '11111111-2222-4333-8444-555555555555' });
    assert.equal(config.tablePrefix, 'lureProd');
    assert.equal(config.dedupeBucketInMinutes, 15);
    assert.equal(config.decoyCacheRefreshInSeconds, 5);
    assert.deepEqual(config.selfPrincipalIds, ['aaaaaaaa-1111-4222-8333-444444444444', 'bbbbbbbb-1111-4222-8333-444444444444']);
    assert.deepEqual(config.local, { dataDir: '/var/lure', inboxDir: '/var/inbox', demo: false, tablePort: 10002 });
  });

  it('is frozen, so nothing can change it after start', () => {
    const config = loadConfig({ LURE_TABLE_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.local) && Object.isFrozen(config.table));
    assert.throws(() => {
      (config as { tablePrefix: string }).tablePrefix = 'x';
    }, TypeError);
  });

  for (const [setting, value, message] of [
    ['LURE_STORE', 'cosmos', /LURE_STORE: must be table or memory/],
    ['LURE_DEDUPE_BUCKET_IN_MINUTES', '0', /LURE_DEDUPE_BUCKET_IN_MINUTES: must be at least 1/],
    ['LURE_DEDUPE_BUCKET_IN_MINUTES', '1.5', /LURE_DEDUPE_BUCKET_IN_MINUTES: must be a whole number/],
    ['LURE_DECOY_CACHE_REFRESH_IN_SECONDS', '99999', /must be at most 3600/],
    ['LURE_SELF_PRINCIPAL_IDS', 'lure-app', /LURE_SELF_PRINCIPAL_IDS: must be comma-separated GUIDs/],
    ['LURE_TABLE_PREFIX', '9lives', /LURE_TABLE_PREFIX: must start with a letter/],
    ['LURE_TABLE_SERVICE_URI', 'not a url', /LURE_TABLE_SERVICE_URI: must be an http\(s\) URL/],
    ['LURE_DEMO', 'maybe', /LURE_DEMO: must be true or false/],
    ['LURE_LOCAL_TABLE_PORT', '70000', /LURE_LOCAL_TABLE_PORT: must be at most 65535/],
  ] as const) {
    it(`names ${setting} when it is bad (${value})`, () => {
      assert.throws(() => loadConfig({ [setting]: value }), (error: unknown) => error instanceof RangeError && message.test(error.message));
    });
  }

  it('refuses two ways to reach the store at once', () => {
    assert.throws(
      () => loadConfig({ LURE_TABLE_SERVICE_URI: 'https://a.table.core.windows.net', LURE_TABLE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }),
      /not both/,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { FIRST_PARTY_APPS_WITHOUT_SIGN_INS } from '../../../src/correlation/firstPartyAppsWithoutSignIns.js';

describe('loadConfig', () => {
  it('runs on its embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      store: 'table',
      logFormat: 'human',
      tablePrefix: 'lure',
      dedupeBucketInMinutes: 60,
      decoyCacheRefreshInSeconds: 30,
      selfPrincipalIds: [],
      deadLetterRetentionInDays: 30,
      alertRetentionInDays: 400,
      silence: {
        defaultThresholdInMinutes: 120,
        thresholds: new Map([
          ['exchange', 360],
          ['token', 1440],
          ['ManagedIdentitySignInLogs', 1440],
          ['MicrosoftServicePrincipalSignInLogs', 720],
          ['ADFSSignInLogs', 1440],
        ]),
        expected: [],
        firstDeliveryGraceInHours: 24,
      },
      mailBaseline: { learningInDays: 14, maxPairs: 100 },
      issuance: {
        graceInMinutes: 120,
        adaptive: { minGraceInMinutes: 10, factor: 2, quantile: 0.999, historyRecords: 10_000 },
        maxTokenLifetimeInHours: 28,
        indexRetentionInHours: 72,
        gatingCategories: ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs'],
        modes: { graph: 'alert', exchange: 'shadow', sharepoint: 'shadow', token: 'off' },
        unjudgedAppIds: FIRST_PARTY_APPS_WITHOUT_SIGN_INS.map((app) => app.appId),
        cacheSize: 100_000,
      },
      signing: {
        cloud: 'public',
        authorityHost: 'https://login.microsoftonline.com',
        v1IssuerHost: 'https://sts.windows.net',
        appIds: [],
        retirementGraceInHours: 48,
        retiredAlertAfterInHours: 72,
        refreshMinIntervalInMinutes: 10,
      },
      lifecycle: {
        graphBaseUrl: 'https://graph.microsoft.com',
        graphTimeoutInSeconds: 30,
        jobTitles: [
          { jobTitle: 'Backup Operator', department: 'IT Operations' },
          { jobTitle: 'Payroll Specialist', department: 'Finance' },
          { jobTitle: 'Service Desk Lead', department: 'IT Operations' },
          { jobTitle: 'Treasury Analyst', department: 'Finance' },
          { jobTitle: 'Systems Engineer', department: 'Infrastructure' },
        ],
        keptSecrets: 2,
        keptMessages: 1,
        secretLifetimeInDays: 365,
        rotationJitterPercent: 10,
        mailFolderName: 'IT Archive',
        journalRetentionInDays: 30,
      },
      delivery: {
        minSeverity: { teams: 'medium', email: 'high', webhook: 'low', sentinel: 'low' },
        updateWindowInMinutes: 30,
        digestThresholdPerMinute: 10,
        maxAttempts: 12,
        timeoutInSeconds: 10,
        ratesPerSecond: { teams: 2, email: 2, webhook: 10, sentinel: 10 },
        ignore: { ips: [], userAgents: [], appIds: [] },
        inAzure: false,
        retentionInDays: 30,
      },
      eventHubs: { hubs: { entra: 'entra', exchange: 'exchange', token: 'token' }, consumerGroup: 'lure', localConsumerGroup: 'lure-local' },
      auditPoller: { contentTypes: ['Audit.Exchange', 'Audit.AzureActiveDirectory'], host: 'https://manage.office.com', lookbackInHours: 24 },
      api: { audiences: [], delegatedClientIds: ['04b07795-8ddb-461a-bbee-02f9e1bf7b46', '1950a258-227b-4e31-a9cf-717495945fc2'], auditRetentionInDays: 365 },
      local: { apiPort: 7071, dataDir: '.lure', inboxDir: '.lure/inbox', inboxSettleInMs: 1000, demo: true, tablePort: 0 },
    });
  });

  it('writes logs as JSON lines in Azure and as text elsewhere, unless LURE_LOG_FORMAT says', () => {
    assert.equal(loadConfig({}).logFormat, 'human');
    assert.equal(loadConfig({ WEBSITE_SITE_NAME: 'lure-contoso' }).logFormat, 'json');
    assert.equal(loadConfig({ LURE_LOG_FORMAT: 'json' }).logFormat, 'json');
    assert.equal(loadConfig({ WEBSITE_SITE_NAME: 'lure-contoso', LURE_LOG_FORMAT: 'human' }).logFormat, 'human');
    assert.throws(() => loadConfig({ LURE_LOG_FORMAT: 'xml' }), /LURE_LOG_FORMAT: must be json or human/);
  });

  it('reads the delivery settings: channels, thresholds, rates, the ignore list, https in Azure', () => {
    const secret = 's'.repeat(32);
    const { delivery } = loadConfig({
      LURE_TEAMS_WEBHOOK_URL: 'https://prod-01.westeurope.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=abc',
      LURE_EMAIL_SENDER: 'lure-alerts@contoso.example',
      LURE_EMAIL_RECIPIENTS: 'soc@contoso.example, ciso@contoso.example',
      LURE_WEBHOOK_URL: 'https://siem.contoso.example/lure',
      LURE_WEBHOOK_SECRET: secret,
      LURE_EMAIL_MIN_SEVERITY: 'critical',
      LURE_DELIVERY_RATES: 'teams=1',
      LURE_IGNORE_IPS: '203.0.113.7, 198.51.100.0/24, 2001:db8::/32',
      LURE_IGNORE_USER_AGENTS: 'Qualys, Nessus',
    });
    assert.deepEqual(delivery.email, { sender: 'lure-alerts@contoso.example', recipients: ['soc@contoso.example', 'ciso@contoso.example'] });
    assert.deepEqual(delivery.webhook, { url: 'https://siem.contoso.example/lure', secret });
    assert.equal(delivery.minSeverity.email, 'critical');
    assert.deepEqual(delivery.ratesPerSecond, { teams: 1, email: 2, webhook: 10, sentinel: 10 });
    assert.deepEqual(delivery.ignore.ips, ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
    assert.throws(() => loadConfig({ LURE_WEBHOOK_URL: 'https://siem.contoso.example/lure' }), /LURE_WEBHOOK_SECRET: the webhook needs both/);
    assert.throws(
      () => loadConfig({ LURE_WEBHOOK_URL: 'https://x.example', LURE_WEBHOOK_SECRET: 'short' }),
      /LURE_WEBHOOK_SECRET: must be at least 32 characters/,
    );
    assert.throws(() => loadConfig({ LURE_EMAIL_SENDER: 'lure@contoso.example' }), /LURE_EMAIL_RECIPIENTS: e-mail needs both/);
    assert.throws(() => loadConfig({ LURE_IGNORE_IPS: 'not-an-ip' }), /LURE_IGNORE_IPS: must be comma-separated IP addresses or CIDR ranges/);
    assert.throws(() => loadConfig({ LURE_IGNORE_IPS: '10.0.0.0/40' }), /LURE_IGNORE_IPS: must be comma-separated IP addresses or CIDR ranges/);
    assert.throws(
      () => loadConfig({ WEBSITE_SITE_NAME: 'lure-prod', LURE_WEBHOOK_URL: 'HTTP://siem.example/x', LURE_WEBHOOK_SECRET: secret }),
      /LURE_WEBHOOK_URL: must be an https URL/,
      'the scheme in any case',
    );
    const sentinel = {
      LURE_SENTINEL_ENDPOINT: 'https://lure-dcr-a1b2.eastus-1.ingest.monitor.azure.com',
      LURE_SENTINEL_RULE_ID: 'dcr-00112233445566778899aabbccddeeff',
    };
    assert.deepEqual(loadConfig(sentinel).delivery.sentinel, {
      endpoint: sentinel.LURE_SENTINEL_ENDPOINT,
      ruleId: sentinel.LURE_SENTINEL_RULE_ID,
      stream: 'Custom-LureAlerts_CL',
    });
    assert.throws(() => loadConfig({ LURE_SENTINEL_ENDPOINT: sentinel.LURE_SENTINEL_ENDPOINT }), /LURE_SENTINEL_RULE_ID: Sentinel needs both/);
    assert.throws(() => loadConfig({ ...sentinel, LURE_SENTINEL_RULE_ID: 'LureAlerts' }), /LURE_SENTINEL_RULE_ID: must be a data collection rule immutable id/);
    assert.throws(() => loadConfig({ ...sentinel, LURE_SENTINEL_ENDPOINT: 'http://127.0.0.1:1/' }), /LURE_SENTINEL_ENDPOINT: must be an https URL/);
    assert.throws(() => loadConfig({ ...sentinel, LURE_SENTINEL_STREAM: 'LureAlerts_CL' }), /LURE_SENTINEL_STREAM: must be a stream name/);
    assert.throws(() => loadConfig({ LURE_DELIVERY_RATES: 'slack=3' }), /LURE_DELIVERY_RATES: must be channel=requests-per-second pairs/);
    assert.equal(
      loadConfig({ LURE_TEAMS_WEBHOOK_URL: 'http://127.0.0.1:7071/flow' }).delivery.teams?.url,
      'http://127.0.0.1:7071/flow',
      'plain http for local development',
    );
    assert.throws(
      () => loadConfig({ WEBSITE_SITE_NAME: 'lure-prod', LURE_TEAMS_WEBHOOK_URL: 'http://flow.example/x' }),
      /LURE_TEAMS_WEBHOOK_URL: must be an https URL/,
    );
    assert.throws(
      () => loadConfig({ WEBSITE_SITE_NAME: 'lure-prod', LURE_AUTHORITY_HOST: 'http://login.example' }),
      /LURE_AUTHORITY_HOST: must be an https URL/,
      'signing keys only over https in Azure',
    );
    assert.equal(
      loadConfig({ LURE_AUTHORITY_HOST: 'http://127.0.0.1:8080' }).signing.authorityHost,
      'http://127.0.0.1:8080',
      'a loopback login host for development',
    );
    assert.equal(loadConfig({ WEBSITE_SITE_NAME: 'lure-prod' }).delivery.inAzure, true);
  });

  it('reads the lifecycle settings: Graph of the cloud unless overridden, job titles, generations kept', () => {
    assert.equal(loadConfig({ LURE_CLOUD: 'usgovdod' }).lifecycle.graphBaseUrl, 'https://dod-graph.microsoft.us');
    assert.equal(loadConfig({ LURE_CLOUD: 'usgovdod' }).signing.authorityHost, 'https://login.microsoftonline.us');
    assert.equal(loadConfig({ LURE_CLOUD: 'china' }).lifecycle.graphBaseUrl, 'https://microsoftgraph.chinacloudapi.cn');
    assert.equal(loadConfig({ LURE_GRAPH_HOST: 'https://127.0.0.1:9443/' }).lifecycle.graphBaseUrl, 'https://127.0.0.1:9443');
    const { lifecycle } = loadConfig({
      LURE_DECOY_JOB_TITLES: 'Auditor / Finance, DBA/IT',
      LURE_DECOY_USER_DOMAIN: 'Contoso.example',
      LURE_DECOY_KEPT_SECRETS: '3',
    });
    assert.deepEqual(lifecycle.jobTitles, [
      { jobTitle: 'Auditor', department: 'Finance' },
      { jobTitle: 'DBA', department: 'IT' },
    ]);
    assert.equal(lifecycle.userDomain, 'contoso.example');
    assert.equal(lifecycle.keptSecrets, 3);
    assert.throws(() => loadConfig({ LURE_GRAPH_HOST: 'http://127.0.0.1:9443' }), /LURE_GRAPH_HOST: must be an https URL/);
    assert.throws(() => loadConfig({ LURE_DECOY_JOB_TITLES: 'Auditor' }), /LURE_DECOY_JOB_TITLES: must be comma-separated title\/department pairs/);
    assert.throws(() => loadConfig({ LURE_DECOY_KEPT_MESSAGES: '4' }), /LURE_DECOY_KEPT_MESSAGES: must be at most 3/);
    assert.throws(() => loadConfig({ LURE_DECOY_USER_DOMAIN: 'not a domain' }), /LURE_DECOY_USER_DOMAIN: must be a domain name/);
  });

  it('reads the signing-key settings, the cloud choosing the hosts unless overridden', () => {
    const { signing } = loadConfig({
      LURE_CLOUD: 'usgov',
      LURE_TENANT_ID: '0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D',
      LURE_KEY_APP_IDS: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c',
    });
    assert.equal(signing.authorityHost, 'https://login.microsoftonline.us');
    assert.equal(signing.tenantId, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.deepEqual(signing.appIds, ['3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c']);
    assert.equal(loadConfig({ LURE_AUTHORITY_HOST: 'https://127.0.0.1:8443/' }).signing.authorityHost, 'https://127.0.0.1:8443');
    assert.throws(() => loadConfig({ LURE_TENANT_ID: 'contoso.onmicrosoft.com' }), /LURE_TENANT_ID: must be a GUID/);
    assert.throws(() => loadConfig({ LURE_CLOUD: 'germany' }), /LURE_CLOUD: must be public, usgov, usgovdod or china/);
  });

  it("accepts people's tokens through the Azure CLI, PowerShell and the API's own client (the console) by default", () => {
    const api = loadConfig({ LURE_TENANT_ID: '3c6d1f0a-2b4e-4c8d-9e7f-5a1b2c3d4e5f', LURE_API_CLIENT_ID: '8F2E6C4A-1B3D-4E5F-8A9B-0C1D2E3F4A5B' }).api;
    assert.deepEqual(api.delegatedClientIds, [
      '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      '1950a258-227b-4e31-a9cf-717495945fc2',
      '8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
    ]);
    assert.deepEqual(loadConfig({ LURE_API_DELEGATED_CLIENT_IDS: '' }).api.delegatedClientIds, [], 'empty: no delegated client but the console');
  });

  it('reads the expected streams as sources and categories, once each', () => {
    const { silence } = loadConfig({
      LURE_EXPECTED_SOURCES: 'SignInLogs, exchange,MicrosoftGraphActivityLogs,SignInLogs',
      LURE_FIRST_DELIVERY_GRACE_IN_HOURS: '12',
    });
    assert.deepEqual(silence.expected, ['category:SignInLogs', 'source:exchange', 'category:MicrosoftGraphActivityLogs']);
    assert.equal(silence.firstDeliveryGraceInHours, 12);
    assert.deepEqual(loadConfig({}).silence.expected, [], 'nothing is expected unless the deployment says so');
    assert.equal(loadConfig({}).silence.firstDeliveryGraceInHours, 24);
  });

  it('reads the token-issuance settings, adjusting the built-in allowlist', () => {
    const exchange = '00000002-0000-0ff1-ce00-000000000000';
    const extra = 'de8bc8b5-d9f9-48b1-a8ad-b748da725064';
    const { issuance } = loadConfig({
      LURE_ISSUANCE_GRACE_IN_MINUTES: '30',
      LURE_MAX_TOKEN_LIFETIME_IN_HOURS: '30',
      LURE_TOKEN_INDEX_RETENTION_IN_HOURS: '31',
      LURE_ISSUANCE_GATING_CATEGORIES: 'SignInLogs, ManagedIdentitySignInLogs',
      LURE_ISSUANCE_MODE_GRAPH: 'shadow',
      LURE_ISSUANCE_MODE_EXCHANGE: 'alert',
      LURE_ISSUANCE_MODE_SHAREPOINT: 'off',
      LURE_ISSUANCE_MODE_TOKEN: 'shadow',
      LURE_ISSUANCE_ALLOWLIST_APP_IDS: extra.toUpperCase(),
      LURE_ISSUANCE_JUDGE_APP_IDS: exchange,
      LURE_ISSUANCE_CACHE_SIZE: '0',
    });
    assert.equal(issuance.graceInMinutes, 30);
    assert.deepEqual(issuance.gatingCategories, ['SignInLogs', 'ManagedIdentitySignInLogs']);
    assert.deepEqual(issuance.modes, { graph: 'shadow', exchange: 'alert', sharepoint: 'off', token: 'shadow' });
    assert.ok(issuance.unjudgedAppIds.includes(extra));
    assert.ok(!issuance.unjudgedAppIds.includes(exchange));
    assert.equal(issuance.cacheSize, 0);
  });

  it('reads the adaptive grace settings, keeping the minimum within the grace, and names a bad quantile', () => {
    const { issuance } = loadConfig({
      LURE_ISSUANCE_GRACE_IN_MINUTES: '30',
      LURE_ISSUANCE_MIN_GRACE_IN_MINUTES: '45',
      LURE_ISSUANCE_GRACE_FACTOR: '3',
      LURE_ISSUANCE_GRACE_QUANTILE: '.99',
      LURE_ISSUANCE_GRACE_HISTORY_RECORDS: '500',
    });
    assert.deepEqual(issuance.adaptive, { minGraceInMinutes: 30, factor: 3, quantile: 0.99, historyRecords: 500 });
    for (const quantile of ['0', '1.5', 'p99', '99']) {
      assert.throws(() => loadConfig({ LURE_ISSUANCE_GRACE_QUANTILE: quantile }), /LURE_ISSUANCE_GRACE_QUANTILE/, quantile);
    }
  });

  it('reads silence thresholds over the built-in ones', () => {
    const { silence } = loadConfig({ LURE_SILENCE_THRESHOLD_IN_MINUTES: '30', LURE_SILENCE_THRESHOLDS: 'exchange=90, AuditLogs=600' });
    assert.equal(silence.defaultThresholdInMinutes, 30);
    assert.equal(silence.thresholds.get('exchange'), 90);
    assert.equal(silence.thresholds.get('AuditLogs'), 600);
    assert.equal(silence.thresholds.get('token'), 1440);
    assert.throws(() => loadConfig({ LURE_SILENCE_THRESHOLDS: 'exchange:90' }), /LURE_SILENCE_THRESHOLDS: must be name=minutes pairs/);
  });

  it('refuses an index retention shorter than token lifetime plus grace', () => {
    assert.throws(() => loadConfig({ LURE_TOKEN_INDEX_RETENTION_IN_HOURS: '29' }), /LURE_TOKEN_INDEX_RETENTION_IN_HOURS: must be at least 30/);
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
      LURE_INBOX_SETTLE_IN_MILLISECONDS: '250',
      LURE_API_PORT: '0',
      LURE_API_CLIENT_ID: '8F2E6C4A-1B3D-4E5F-8A9B-0C1D2E3F4A5B',
      LURE_AUDIT_RETENTION_IN_DAYS: '730',
    });
    assert.deepEqual(config.table, { serviceUri: 'https://lurestore.table.core.windows.net', managedIdentityClientId: '11111111-2222-4333-8444-555555555555' });
    assert.equal(config.tablePrefix, 'lureProd');
    assert.equal(config.dedupeBucketInMinutes, 15);
    assert.equal(config.decoyCacheRefreshInSeconds, 5);
    assert.deepEqual(config.selfPrincipalIds, ['aaaaaaaa-1111-4222-8333-444444444444', 'bbbbbbbb-1111-4222-8333-444444444444']);
    assert.deepEqual(config.local, { apiPort: 0, dataDir: '/var/lure', inboxDir: '/var/inbox', inboxSettleInMs: 250, demo: false, tablePort: 10002 });
    assert.deepEqual(config.api, {
      clientId: '8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
      audiences: ['8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b', 'api://8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b'],
      delegatedClientIds: ['04b07795-8ddb-461a-bbee-02f9e1bf7b46', '1950a258-227b-4e31-a9cf-717495945fc2', '8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b'],
      auditRetentionInDays: 730,
    });
    assert.deepEqual(
      loadConfig({ LURE_API_CLIENT_ID: '8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b', LURE_API_APP_ID_URI: 'https://contoso.example/lure' }).api.audiences,
      ['8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b', 'https://contoso.example/lure'],
    );
    assert.throws(() => loadConfig({ LURE_API_CLIENT_ID: 'lure-api' }), /LURE_API_CLIENT_ID: must be a GUID/);
    const hubs = loadConfig({
      LURE_CLOUD: 'usgov',
      LURE_TENANT_ID: '0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D',
      LURE_EVENTHUB__fullyQualifiedNamespace: 'Lure-NS.servicebus.usgovcloudapi.net',
      LURE_EXCHANGE_HUB_NAME: 'o365-audit',
      LURE_CONSUMER_GROUP: 'lure-prod',
      LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange',
      LURE_AUDIT_LOOKBACK_IN_HOURS: '48',
    });
    assert.deepEqual(hubs.eventHubs, {
      namespace: 'lure-ns.servicebus.usgovcloudapi.net',
      hubs: { entra: 'entra', exchange: 'o365-audit', token: 'token' },
      consumerGroup: 'lure-prod',
      localConsumerGroup: 'lure-local',
    });
    assert.throws(() => loadConfig({ LURE_LOCAL_CONSUMER_GROUP: 'lure' }), /LURE_LOCAL_CONSUMER_GROUP: must differ from LURE_CONSUMER_GROUP/);
    assert.deepEqual(hubs.auditPoller, {
      contentTypes: ['Audit.Exchange'],
      host: 'https://manage.office365.us',
      publisherId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      lookbackInHours: 48,
    });
    assert.deepEqual(loadConfig({ LURE_AUDIT_CONTENT_TYPES: 'none' }).auditPoller.contentTypes, []);
    assert.equal(loadConfig({ LURE_CLOUD: 'china' }).auditPoller.host, undefined);
    assert.throws(() => loadConfig({ LURE_AUDIT_CONTENT_TYPES: 'DLP.All' }), /LURE_AUDIT_CONTENT_TYPES/);
    assert.throws(() => loadConfig({ LURE_EVENTHUB_CONNECTION_STRING: 'lure' }), /LURE_EVENTHUB_CONNECTION_STRING/);
    assert.throws(() => loadConfig({ LURE_API_APP_ID_URI: 'lure' }), /LURE_API_APP_ID_URI/);
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
    ['LURE_DEDUPE_BUCKET_IN_MINUTES', '1.5', /LURE_DEDUPE_BUCKET_IN_MINUTES: must be a whole number$/],
    ['LURE_DEDUPE_BUCKET_IN_MINUTES', '-5', /LURE_DEDUPE_BUCKET_IN_MINUTES: must not be negative$/],
    ['LURE_DEDUPE_BUCKET_IN_MINUTES', 'ten', /LURE_DEDUPE_BUCKET_IN_MINUTES: must be a number$/],
    ['LURE_DECOY_CACHE_REFRESH_IN_SECONDS', '99999', /must be at most 3600/],
    ['LURE_SELF_PRINCIPAL_IDS', 'lure-app', /LURE_SELF_PRINCIPAL_IDS: must be comma-separated GUIDs/],
    ['LURE_TABLE_PREFIX', '9lives', /LURE_TABLE_PREFIX: must start with a letter/],
    ['LURE_TABLE_SERVICE_URI', 'not a url', /LURE_TABLE_SERVICE_URI: must be an http\(s\) URL/],
    ['LURE_DEMO', 'maybe', /LURE_DEMO: must be true or false/],
    ['LURE_LOCAL_TABLE_PORT', '70000', /LURE_LOCAL_TABLE_PORT: must be at most 65535/],
    ['LURE_MAX_TOKEN_LIFETIME_IN_HOURS', '24', /LURE_MAX_TOKEN_LIFETIME_IN_HOURS: must be at least 28/],
    ['LURE_ISSUANCE_MODE_GRAPH', 'loud', /LURE_ISSUANCE_MODE_GRAPH: must be alert, shadow or off/],
    ['LURE_ISSUANCE_GATING_CATEGORIES', 'SignInLogs,AuditLogs', /LURE_ISSUANCE_GATING_CATEGORIES: must be a comma-separated list of/],
    [
      'LURE_EXPECTED_SOURCES',
      'SignInLogs,SigninLogs',
      /LURE_EXPECTED_SOURCES: must be a comma-separated list of entra, exchange, defender, token and Entra categories/,
    ],
    ['LURE_API_DELEGATED_CLIENT_IDS', 'azure-cli', /LURE_API_DELEGATED_CLIENT_IDS: must be comma-separated GUIDs/],
    ['LURE_FIRST_DELIVERY_GRACE_IN_HOURS', '0', /LURE_FIRST_DELIVERY_GRACE_IN_HOURS: must be at least 1/],
    ['LURE_ISSUANCE_ALLOWLIST_APP_IDS', 'outlook', /LURE_ISSUANCE_ALLOWLIST_APP_IDS: must be comma-separated GUIDs/],
  ] as const) {
    it(`names ${setting} when it is bad (${value})`, () => {
      assert.throws(
        () => loadConfig({ [setting]: value }),
        (error: unknown) => error instanceof RangeError && message.test(error.message),
      );
    });
  }

  it('refuses two ways to reach the store at once', () => {
    assert.throws(
      () => loadConfig({ LURE_TABLE_SERVICE_URI: 'https://a.table.core.windows.net', LURE_TABLE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }),
      /not both/,
    );
  });
});

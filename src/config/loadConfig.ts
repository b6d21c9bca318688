import { FIRST_PARTY_APPS_WITHOUT_SIGN_INS } from '../correlation/firstPartyAppsWithoutSignIns.js';
import { CLOUDS } from '../keys/clouds.js';
import type { Config, TableSettings } from './config.js';
import { MANAGEMENT_API_HOSTS, parseEnvironment } from './environmentSchema.js';

/**
 * Reads Lure's settings from an environment (`process.env`, or `lure replay --config` merged over it).
 * Throws a `RangeError` naming the first bad setting. The result is frozen.
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>): Config {
  const settings = parseEnvironment(environment);
  if (settings.LURE_TABLE_SERVICE_URI !== undefined && settings.LURE_TABLE_CONNECTION_STRING !== undefined) {
    throw new RangeError('setting LURE_TABLE_SERVICE_URI: set it or LURE_TABLE_CONNECTION_STRING, not both');
  }
  const table: TableSettings | undefined =
    settings.LURE_TABLE_CONNECTION_STRING !== undefined
      ? { connectionString: settings.LURE_TABLE_CONNECTION_STRING }
      : settings.LURE_TABLE_SERVICE_URI !== undefined
        ? {
            serviceUri: settings.LURE_TABLE_SERVICE_URI,
            ...(settings.AZURE_CLIENT_ID === undefined ? {} : { managedIdentityClientId: settings.AZURE_CLIENT_ID }),
          }
        : undefined;
  const minimumRetentionInHours = settings.LURE_MAX_TOKEN_LIFETIME_IN_HOURS + Math.ceil(settings.LURE_ISSUANCE_GRACE_IN_MINUTES / 60);
  if (settings.LURE_TOKEN_INDEX_RETENTION_IN_HOURS < minimumRetentionInHours) {
    throw new RangeError(
      `setting LURE_TOKEN_INDEX_RETENTION_IN_HOURS: must be at least ${minimumRetentionInHours} (token lifetime plus grace), or live tokens would be judged unissued`,
    );
  }
  const judged = new Set(settings.LURE_ISSUANCE_JUDGE_APP_IDS);
  const unjudgedAppIds = [
    ...new Set([
      ...FIRST_PARTY_APPS_WITHOUT_SIGN_INS.map((app) => app.appId).filter((appId) => !judged.has(appId)),
      ...settings.LURE_ISSUANCE_ALLOWLIST_APP_IDS,
    ]),
  ];
  const inAzure = settings.WEBSITE_SITE_NAME !== undefined;
  const managementApiHost = settings.LURE_MANAGEMENT_API_HOST ?? MANAGEMENT_API_HOSTS[settings.LURE_CLOUD];
  for (const name of ['LURE_TEAMS_WEBHOOK_URL', 'LURE_WEBHOOK_URL', 'LURE_AUTHORITY_HOST', 'LURE_MANAGEMENT_API_HOST'] as const) {
    const url = settings[name];
    if (inAzure && url !== undefined && new URL(url).protocol !== 'https:')
      throw new RangeError(`setting ${name}: must be an https URL (plain http is for local development only)`);
  }
  if (settings.LURE_LOCAL_CONSUMER_GROUP === settings.LURE_CONSUMER_GROUP) {
    throw new RangeError(
      'setting LURE_LOCAL_CONSUMER_GROUP: must differ from LURE_CONSUMER_GROUP, or the local host and the triggers take partitions from each other',
    );
  }
  if ((settings.LURE_SENTINEL_ENDPOINT === undefined) !== (settings.LURE_SENTINEL_RULE_ID === undefined)) {
    throw new RangeError('setting LURE_SENTINEL_RULE_ID: Sentinel needs both LURE_SENTINEL_ENDPOINT and LURE_SENTINEL_RULE_ID');
  }
  if ((settings.LURE_WEBHOOK_URL === undefined) !== (settings.LURE_WEBHOOK_SECRET === undefined)) {
    throw new RangeError('setting LURE_WEBHOOK_SECRET: the webhook needs both LURE_WEBHOOK_URL and LURE_WEBHOOK_SECRET');
  }
  if ((settings.LURE_EMAIL_SENDER === undefined) !== (settings.LURE_EMAIL_RECIPIENTS.length === 0)) {
    throw new RangeError('setting LURE_EMAIL_RECIPIENTS: e-mail needs both LURE_EMAIL_SENDER and LURE_EMAIL_RECIPIENTS');
  }
  return deepFreeze({
    store: settings.LURE_STORE,
    logFormat: settings.LURE_LOG_FORMAT,
    ...(table === undefined ? {} : { table }),
    tablePrefix: settings.LURE_TABLE_PREFIX,
    dedupeBucketInMinutes: settings.LURE_DEDUPE_BUCKET_IN_MINUTES,
    decoyCacheRefreshInSeconds: settings.LURE_DECOY_CACHE_REFRESH_IN_SECONDS,
    selfPrincipalIds: settings.LURE_SELF_PRINCIPAL_IDS,
    deadLetterRetentionInDays: settings.LURE_DEAD_LETTER_RETENTION_IN_DAYS,
    alertRetentionInDays: settings.LURE_ALERT_RETENTION_IN_DAYS,
    silence: {
      defaultThresholdInMinutes: settings.LURE_SILENCE_THRESHOLD_IN_MINUTES,
      thresholds: settings.LURE_SILENCE_THRESHOLDS,
      expected: settings.LURE_EXPECTED_SOURCES,
      firstDeliveryGraceInHours: settings.LURE_FIRST_DELIVERY_GRACE_IN_HOURS,
    },
    mailBaseline: { learningInDays: settings.LURE_MAIL_BASELINE_LEARNING_IN_DAYS, maxPairs: settings.LURE_MAIL_BASELINE_MAX_PAIRS },
    issuance: {
      graceInMinutes: settings.LURE_ISSUANCE_GRACE_IN_MINUTES,
      adaptive: {
        // A minimum above the grace would be no minimum: the configured grace bounds both.
        minGraceInMinutes: Math.min(settings.LURE_ISSUANCE_MIN_GRACE_IN_MINUTES, settings.LURE_ISSUANCE_GRACE_IN_MINUTES),
        factor: settings.LURE_ISSUANCE_GRACE_FACTOR,
        quantile: settings.LURE_ISSUANCE_GRACE_QUANTILE,
        historyRecords: settings.LURE_ISSUANCE_GRACE_HISTORY_RECORDS,
      },
      maxTokenLifetimeInHours: settings.LURE_MAX_TOKEN_LIFETIME_IN_HOURS,
      indexRetentionInHours: settings.LURE_TOKEN_INDEX_RETENTION_IN_HOURS,
      gatingCategories: settings.LURE_ISSUANCE_GATING_CATEGORIES,
      modes: {
        graph: settings.LURE_ISSUANCE_MODE_GRAPH,
        exchange: settings.LURE_ISSUANCE_MODE_EXCHANGE,
        sharepoint: settings.LURE_ISSUANCE_MODE_SHAREPOINT,
        token: settings.LURE_ISSUANCE_MODE_TOKEN,
      },
      unjudgedAppIds,
      cacheSize: settings.LURE_ISSUANCE_CACHE_SIZE,
    },
    signing: {
      cloud: settings.LURE_CLOUD,
      authorityHost: (settings.LURE_AUTHORITY_HOST ?? CLOUDS[settings.LURE_CLOUD].authorityHost).replace(/\/+$/, ''),
      v1IssuerHost: CLOUDS[settings.LURE_CLOUD].v1IssuerHost,
      ...(settings.LURE_TENANT_ID === undefined ? {} : { tenantId: settings.LURE_TENANT_ID.toLowerCase() }),
      appIds: settings.LURE_KEY_APP_IDS,
      retirementGraceInHours: settings.LURE_KEY_RETIREMENT_GRACE_IN_HOURS,
      retiredAlertAfterInHours: settings.LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS,
      refreshMinIntervalInMinutes: settings.LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES,
    },
    lifecycle: {
      graphBaseUrl: (settings.LURE_GRAPH_HOST ?? CLOUDS[settings.LURE_CLOUD].graphHost).replace(/\/+$/, ''),
      graphTimeoutInSeconds: settings.LURE_GRAPH_TIMEOUT_IN_SECONDS,
      ...(settings.LURE_DECOY_USER_DOMAIN === undefined ? {} : { userDomain: settings.LURE_DECOY_USER_DOMAIN.toLowerCase() }),
      jobTitles: settings.LURE_DECOY_JOB_TITLES,
      keptSecrets: settings.LURE_DECOY_KEPT_SECRETS,
      keptMessages: settings.LURE_DECOY_KEPT_MESSAGES,
      secretLifetimeInDays: settings.LURE_DECOY_SECRET_LIFETIME_IN_DAYS,
      rotationJitterPercent: settings.LURE_DECOY_ROTATION_JITTER_PERCENT,
      mailFolderName: settings.LURE_DECOY_MAIL_FOLDER,
      journalRetentionInDays: settings.LURE_JOURNAL_RETENTION_IN_DAYS,
    },
    delivery: {
      ...(settings.LURE_TEAMS_WEBHOOK_URL === undefined ? {} : { teams: { url: settings.LURE_TEAMS_WEBHOOK_URL } }),
      ...(settings.LURE_EMAIL_SENDER === undefined ? {} : { email: { sender: settings.LURE_EMAIL_SENDER, recipients: settings.LURE_EMAIL_RECIPIENTS } }),
      ...(settings.LURE_WEBHOOK_URL === undefined || settings.LURE_WEBHOOK_SECRET === undefined
        ? {}
        : { webhook: { url: settings.LURE_WEBHOOK_URL, secret: settings.LURE_WEBHOOK_SECRET } }),
      ...(settings.LURE_SENTINEL_ENDPOINT === undefined || settings.LURE_SENTINEL_RULE_ID === undefined
        ? {}
        : { sentinel: { endpoint: settings.LURE_SENTINEL_ENDPOINT, ruleId: settings.LURE_SENTINEL_RULE_ID, stream: settings.LURE_SENTINEL_STREAM } }),
      minSeverity: {
        teams: settings.LURE_TEAMS_MIN_SEVERITY,
        email: settings.LURE_EMAIL_MIN_SEVERITY,
        webhook: settings.LURE_WEBHOOK_MIN_SEVERITY,
        sentinel: settings.LURE_SENTINEL_MIN_SEVERITY,
      },
      updateWindowInMinutes: settings.LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES,
      digestThresholdPerMinute: settings.LURE_DIGEST_THRESHOLD_PER_MINUTE,
      maxAttempts: settings.LURE_DELIVERY_MAX_ATTEMPTS,
      timeoutInSeconds: settings.LURE_DELIVERY_TIMEOUT_IN_SECONDS,
      ratesPerSecond: settings.LURE_DELIVERY_RATES,
      ignore: { ips: settings.LURE_IGNORE_IPS, userAgents: settings.LURE_IGNORE_USER_AGENTS, appIds: settings.LURE_IGNORE_APP_IDS },
      inAzure,
      retentionInDays: settings.LURE_OUTBOX_RETENTION_IN_DAYS,
    },
    eventHubs: {
      ...(settings.LURE_EVENTHUB__fullyQualifiedNamespace === undefined ? {} : { namespace: settings.LURE_EVENTHUB__fullyQualifiedNamespace.toLowerCase() }),
      ...(settings.LURE_EVENTHUB_CONNECTION_STRING === undefined ? {} : { connectionString: settings.LURE_EVENTHUB_CONNECTION_STRING }),
      hubs: { entra: settings.LURE_ENTRA_HUB_NAME, exchange: settings.LURE_EXCHANGE_HUB_NAME, token: settings.LURE_TOKEN_HUB_NAME },
      consumerGroup: settings.LURE_CONSUMER_GROUP,
      localConsumerGroup: settings.LURE_LOCAL_CONSUMER_GROUP,
    },
    auditPoller: {
      contentTypes: settings.LURE_AUDIT_CONTENT_TYPES,
      ...(managementApiHost === undefined ? {} : { host: managementApiHost.replace(/\/+$/, '') }),
      ...(settings.LURE_AUDIT_PUBLISHER_ID === undefined ? {} : { publisherId: settings.LURE_AUDIT_PUBLISHER_ID.toLowerCase() }),
      lookbackInHours: settings.LURE_AUDIT_LOOKBACK_IN_HOURS,
    },
    api: {
      ...(settings.LURE_API_CLIENT_ID === undefined ? {} : { clientId: settings.LURE_API_CLIENT_ID.toLowerCase() }),
      // With a client id the app id URI is always set: its default follows from the id.
      audiences:
        settings.LURE_API_CLIENT_ID === undefined || settings.LURE_API_APP_ID_URI === undefined
          ? []
          : [settings.LURE_API_CLIENT_ID.toLowerCase(), settings.LURE_API_APP_ID_URI],
      delegatedClientIds: [
        ...new Set([
          ...settings.LURE_API_DELEGATED_CLIENT_IDS,
          ...(settings.LURE_API_CLIENT_ID === undefined ? [] : [settings.LURE_API_CLIENT_ID.toLowerCase()]),
        ]),
      ],
      auditRetentionInDays: settings.LURE_AUDIT_RETENTION_IN_DAYS,
    },
    local: {
      apiPort: settings.LURE_API_PORT,
      dataDir: settings.LURE_DATA_DIR,
      inboxDir: settings.LURE_INBOX_DIR,
      inboxSettleInMs: settings.LURE_INBOX_SETTLE_IN_MILLISECONDS,
      demo: settings.LURE_DEMO,
      tablePort: settings.LURE_LOCAL_TABLE_PORT,
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
}

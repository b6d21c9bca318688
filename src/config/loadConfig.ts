import { z } from 'zod';
import { FIRST_PARTY_APPS_WITHOUT_SIGN_INS } from '../correlation/firstPartyAppsWithoutSignIns.js';
import type { IssuanceMode } from '../correlation/tokenIssuance.js';
import { type EntraSignInCategory, SIGN_IN_CATEGORIES } from '../domain/events.js';
import { CHANNELS, type ChannelName } from '../domain/delivery.js';
import { SEVERITIES, type Severity } from '../domain/alerts.js';
import { isIP } from 'node:net';
import { CLOUDS } from '../keys/clouds.js';
import type { Config, TableSettings } from './config.js';

/**
 * Streams that are quiet by nature get longer before they count as silent: the Management Activity API
 * delivers Exchange audit an hour or more late, a gateway may see no tokens at night, and managed
 * identities and ADFS may sign in a few times a day.
 */
const DEFAULT_SILENCE_THRESHOLDS: readonly (readonly [string, number])[] = [
  ['exchange', 360],
  ['token', 1440],
  ['ManagedIdentitySignInLogs', 1440],
  ['MicrosoftServicePrincipalSignInLogs', 720],
  ['ADFSSignInLogs', 1440],
];

/** Where each cloud serves the Management Activity API (GCC, on the public cloud's login, sets its own host). */
const MANAGEMENT_API_HOSTS: Readonly<Record<string, string | undefined>> = {
  public: 'https://manage.office.com',
  usgov: 'https://manage.office365.us',
  usgovdod: 'https://manage.protection.apps.mil',
  china: undefined,
};

/** Management Activity API content types the poller may copy (DLP.All needs another permission and is not Lure's business). */
const AUDIT_CONTENT_TYPES = ['Audit.Exchange', 'Audit.AzureActiveDirectory', 'Audit.SharePoint', 'Audit.General'] as const;

const hubName = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/, 'must be an event hub name')
    .optional()
    .transform((value) => value ?? fallback);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    // Say what is wrong: "-5" is negative, "5.5" not whole, "ten" not a number.
    .refine((text) => !/^-\d+(\.\d+)?$/.test(text), 'must not be negative')
    .refine((text) => !/^\d+\.\d+$/.test(text), 'must be a whole number')
    .regex(/^\d+$/, 'must be a number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback);

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(value)));

const guidList = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((id) => id.trim().toLowerCase()).filter((id) => id !== ''))
  .refine((ids) => ids.every((id) => GUID.test(id)), 'must be comma-separated GUIDs');

const mode = (fallback: IssuanceMode) =>
  z.enum(['alert', 'shadow', 'off'], { message: 'must be alert, shadow or off' }).optional().transform((value) => value ?? fallback);

const signInCategories = z
  .string()
  .optional()
  .transform((value) => (value ?? 'SignInLogs,NonInteractiveUserSignInLogs,ServicePrincipalSignInLogs').split(',').map((name) => name.trim()).filter((name) => name !== ''))
  .refine((names) => names.length > 0 && names.every((name) => (SIGN_IN_CATEGORIES as readonly string[]).includes(name)), `must be a comma-separated list of ${SIGN_IN_CATEGORIES.join(', ')}`)
  .transform((names) => names as EntraSignInCategory[]);

const severity = (fallback: Severity) =>
  z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` }).optional().transform((value) => value ?? fallback);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const environmentSchema = z.object({
  LURE_STORE: z.enum(['table', 'memory'], { message: 'must be table or memory' }).optional().default('table'),
  LURE_LOG_FORMAT: z.enum(['json', 'human'], { message: 'must be json or human' }).optional(),
  LURE_TABLE_SERVICE_URI: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
  LURE_TABLE_CONNECTION_STRING: optionalText,
  AZURE_CLIENT_ID: optionalText,
  LURE_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'must start with a letter and hold only letters and digits (at most 41)')
    .optional()
    .default('lure'),
  LURE_DEDUPE_BUCKET_IN_MINUTES: integer(1, 24 * 60, 60),
  LURE_DECOY_CACHE_REFRESH_IN_SECONDS: integer(0, 3600, 30),
  LURE_SELF_PRINCIPAL_IDS: guidList,
  LURE_DEAD_LETTER_RETENTION_IN_DAYS: integer(1, 3650, 30),
  LURE_SILENCE_THRESHOLD_IN_MINUTES: integer(5, 7 * 24 * 60, 120),
  LURE_SILENCE_THRESHOLDS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '')
        .map((entry) => entry.split('=').map((part) => part.trim())),
    )
    .refine((entries) => entries.every((entry) => entry.length === 2 && /^[A-Za-z]+$/.test(entry[0]!) && /^\d+$/.test(entry[1]!)), 'must be name=minutes pairs, comma-separated')
    .transform((entries) => entries.map(([name, minutes]) => [name!, Number(minutes)] as const)),
  LURE_MAIL_BASELINE_LEARNING_IN_DAYS: integer(0, 365, 14),
  LURE_MAIL_BASELINE_MAX_PAIRS: integer(1, 1000, 100),
  LURE_ISSUANCE_GRACE_IN_MINUTES: integer(5, 24 * 60, 120),
  LURE_MAX_TOKEN_LIFETIME_IN_HOURS: integer(28, 7 * 24, 28),
  LURE_TOKEN_INDEX_RETENTION_IN_HOURS: integer(1, 90 * 24, 72),
  LURE_ISSUANCE_GATING_CATEGORIES: signInCategories,
  LURE_ISSUANCE_MODE_GRAPH: mode('alert'),
  LURE_ISSUANCE_MODE_EXCHANGE: mode('shadow'),
  LURE_ISSUANCE_MODE_TOKEN: mode('off'),
  LURE_ISSUANCE_ALLOWLIST_APP_IDS: guidList,
  LURE_ISSUANCE_JUDGE_APP_IDS: guidList,
  LURE_ISSUANCE_CACHE_SIZE: integer(0, 10_000_000, 100_000),
  LURE_CLOUD: z.enum(['public', 'usgov', 'usgovdod', 'china'], { message: 'must be public, usgov, usgovdod or china' }).optional().default('public'),
  LURE_GRAPH_HOST: optionalText.pipe(z.url({ protocol: /^https$/, message: 'must be an https URL' }).optional()),
  LURE_GRAPH_TIMEOUT_IN_SECONDS: integer(1, 300, 30),
  LURE_DECOY_USER_DOMAIN: optionalText.pipe(z.string().regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'must be a domain name').optional()),
  LURE_DECOY_JOB_TITLES: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? 'Backup Operator/IT Operations,Payroll Specialist/Finance,Service Desk Lead/IT Operations,Treasury Analyst/Finance,Systems Engineer/Infrastructure')
        .split(',')
        .map((entry) => entry.split('/').map((part) => part.trim()))
        .filter((parts) => parts.some((part) => part !== '')),
    )
    .refine((entries) => entries.length > 0 && entries.every((parts) => parts.length === 2 && parts.every((part) => part !== '' && part.length <= 64)), 'must be comma-separated title/department pairs')
    .transform((entries) => entries.map(([jobTitle, department]) => ({ jobTitle: jobTitle!, department: department! }))),
  LURE_DECOY_KEPT_SECRETS: integer(1, 10, 2),
  LURE_DECOY_KEPT_MESSAGES: integer(1, 3, 1),
  LURE_DECOY_SECRET_LIFETIME_IN_DAYS: integer(1, 730, 365),
  LURE_DECOY_ROTATION_JITTER_PERCENT: integer(0, 50, 10),
  LURE_DECOY_MAIL_FOLDER: optionalText.pipe(z.string().max(255).optional()),
  LURE_JOURNAL_RETENTION_IN_DAYS: integer(7, 3650, 30),
  WEBSITE_SITE_NAME: optionalText,
  LURE_TEAMS_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
  LURE_EMAIL_SENDER: optionalText.pipe(z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be a mailbox address').optional()),
  LURE_EMAIL_RECIPIENTS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((address) => address.trim()).filter((address) => address !== ''))
    .refine((addresses) => addresses.every((address) => /^[^\s@]+@[^\s@]+$/.test(address)), 'must be comma-separated mail addresses'),
  LURE_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
  LURE_WEBHOOK_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  LURE_TEAMS_MIN_SEVERITY: severity('medium'),
  LURE_EMAIL_MIN_SEVERITY: severity('high'),
  LURE_WEBHOOK_MIN_SEVERITY: severity('low'),
  LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES: integer(1, 24 * 60, 30),
  LURE_DIGEST_THRESHOLD_PER_MINUTE: integer(1, 10_000, 10),
  LURE_DELIVERY_MAX_ATTEMPTS: integer(1, 100, 12),
  LURE_DELIVERY_TIMEOUT_IN_SECONDS: integer(1, 120, 10),
  LURE_DELIVERY_RATES: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => entry.split('=').map((part) => part.trim())))
    .refine((entries) => entries.every((entry) => entry.length === 2 && (CHANNELS as readonly string[]).includes(entry[0]!) && /^\d+$/.test(entry[1]!) && Number(entry[1]) > 0), `must be channel=requests-per-second pairs (${CHANNELS.join(', ')})`)
    .transform((entries) => Object.fromEntries(entries.map(([name, rate]) => [name!, Number(rate)])) as Partial<Record<ChannelName, number>>),
  LURE_IGNORE_IPS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .refine(
      (entries) =>
        entries.every((entry) => {
          const [address, prefix] = entry.split('/');
          const family = isIP(address!);
          return family !== 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32)));
        }),
      'must be comma-separated IP addresses or CIDR ranges',
    ),
  LURE_IGNORE_USER_AGENTS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')),
  LURE_IGNORE_APP_IDS: guidList,
  LURE_OUTBOX_RETENTION_IN_DAYS: integer(1, 3650, 30),
  LURE_AUTHORITY_HOST: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
  LURE_TENANT_ID: optionalText.pipe(z.string().regex(GUID, 'must be a GUID').optional()),
  LURE_KEY_APP_IDS: guidList,
  LURE_KEY_RETIREMENT_GRACE_IN_HOURS: integer(1, 30 * 24, 48),
  LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS: integer(0, 365 * 24, 72),
  LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES: integer(1, 24 * 60, 10),
  LURE_EVENTHUB__fullyQualifiedNamespace: optionalText.pipe(z.string().regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'must be a namespace host name, e.g. lure-ns.servicebus.windows.net').optional()),
  LURE_EVENTHUB_CONNECTION_STRING: optionalText.pipe(z.string().regex(/^Endpoint=sb:\/\//i, 'must be an Event Hubs connection string (Endpoint=sb://…)').optional()),
  LURE_ENTRA_HUB_NAME: hubName('entra'),
  LURE_EXCHANGE_HUB_NAME: hubName('exchange'),
  LURE_TOKEN_HUB_NAME: hubName('token'),
  LURE_CONSUMER_GROUP: optionalText.pipe(z.string().regex(/^[A-Za-z0-9$][A-Za-z0-9._-]{0,49}$/, 'must be a consumer group name').optional()),
  LURE_LOCAL_CONSUMER_GROUP: optionalText.pipe(z.string().regex(/^[A-Za-z0-9$][A-Za-z0-9._-]{0,49}$/, 'must be a consumer group name').optional()),
  LURE_AUDIT_CONTENT_TYPES: z
    .string()
    .optional()
    .transform((value) => (value ?? 'Audit.Exchange,Audit.AzureActiveDirectory').split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .refine((entries) => (entries.length === 1 && entries[0] === 'none') || entries.every((entry) => (AUDIT_CONTENT_TYPES as readonly string[]).includes(entry)), `must be none or comma-separated content types (${'Audit.Exchange, Audit.AzureActiveDirectory, Audit.SharePoint, Audit.General'})`)
    .transform((entries) => (entries[0] === 'none' ? [] : entries)),
  LURE_MANAGEMENT_API_HOST: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
  LURE_AUDIT_PUBLISHER_ID: optionalText.pipe(z.string().regex(GUID, 'must be a GUID').optional()),
  LURE_AUDIT_LOOKBACK_IN_HOURS: integer(1, 7 * 24 - 1, 24),
  LURE_API_CLIENT_ID: optionalText.pipe(z.string().regex(GUID, 'must be a GUID').optional()),
  LURE_API_APP_ID_URI: optionalText.pipe(z.string().regex(/^(api:\/\/|https:\/\/)\S+$/, 'must be an app id URI (api://… or https://…)').optional()),
  LURE_AUDIT_RETENTION_IN_DAYS: integer(1, 3650, 365),
  LURE_ALERT_RETENTION_IN_DAYS: integer(7, 3650, 400),
  LURE_API_PORT: integer(0, 65535, 7071),
  LURE_DATA_DIR: optionalText,
  LURE_INBOX_DIR: optionalText,
  LURE_INBOX_SETTLE_IN_MILLISECONDS: integer(50, 60_000, 1_000),
  LURE_DEMO: flag(true),
  LURE_LOCAL_TABLE_PORT: integer(0, 65535, 0),
});

/**
 * Reads Lure's settings from an environment (`process.env`, or `lure replay --config` merged over it).
 * Throws a `RangeError` naming the first bad setting. The result is frozen.
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`setting ${String(issue.path[0] ?? '?')}: ${issue.message}`);
  }
  const settings = parsed.data;
  if (settings.LURE_TABLE_SERVICE_URI !== undefined && settings.LURE_TABLE_CONNECTION_STRING !== undefined) {
    throw new RangeError('setting LURE_TABLE_SERVICE_URI: set it or LURE_TABLE_CONNECTION_STRING, not both');
  }
  const table: TableSettings | undefined =
    settings.LURE_TABLE_CONNECTION_STRING !== undefined
      ? { connectionString: settings.LURE_TABLE_CONNECTION_STRING }
      : settings.LURE_TABLE_SERVICE_URI !== undefined
        ? { serviceUri: settings.LURE_TABLE_SERVICE_URI, ...(settings.AZURE_CLIENT_ID === undefined ? {} : { managedIdentityClientId: settings.AZURE_CLIENT_ID }) }
        : undefined;
  const minimumRetentionInHours = settings.LURE_MAX_TOKEN_LIFETIME_IN_HOURS + Math.ceil(settings.LURE_ISSUANCE_GRACE_IN_MINUTES / 60);
  if (settings.LURE_TOKEN_INDEX_RETENTION_IN_HOURS < minimumRetentionInHours) {
    throw new RangeError(
      `setting LURE_TOKEN_INDEX_RETENTION_IN_HOURS: must be at least ${minimumRetentionInHours} (token lifetime plus grace), or live tokens would be judged unissued`,
    );
  }
  const judged = new Set(settings.LURE_ISSUANCE_JUDGE_APP_IDS);
  const unjudgedAppIds = [
    ...new Set([...FIRST_PARTY_APPS_WITHOUT_SIGN_INS.map((app) => app.appId).filter((appId) => !judged.has(appId)), ...settings.LURE_ISSUANCE_ALLOWLIST_APP_IDS]),
  ];
  const dataDir = settings.LURE_DATA_DIR ?? '.lure';
  const inAzure = settings.WEBSITE_SITE_NAME !== undefined;
  for (const name of ['LURE_TEAMS_WEBHOOK_URL', 'LURE_WEBHOOK_URL', 'LURE_AUTHORITY_HOST', 'LURE_MANAGEMENT_API_HOST'] as const) {
    const url = settings[name];
    if (inAzure && url !== undefined && new URL(url).protocol !== 'https:') throw new RangeError(`setting ${name}: must be an https URL (plain http is for local development only)`);
  }
  if ((settings.LURE_LOCAL_CONSUMER_GROUP ?? 'lure-local') === (settings.LURE_CONSUMER_GROUP ?? 'lure')) {
    throw new RangeError('setting LURE_LOCAL_CONSUMER_GROUP: must differ from LURE_CONSUMER_GROUP, or the local host and the triggers take partitions from each other');
  }
  if ((settings.LURE_WEBHOOK_URL === undefined) !== (settings.LURE_WEBHOOK_SECRET === undefined)) {
    throw new RangeError('setting LURE_WEBHOOK_SECRET: the webhook needs both LURE_WEBHOOK_URL and LURE_WEBHOOK_SECRET');
  }
  if ((settings.LURE_EMAIL_SENDER === undefined) !== (settings.LURE_EMAIL_RECIPIENTS.length === 0)) {
    throw new RangeError('setting LURE_EMAIL_RECIPIENTS: e-mail needs both LURE_EMAIL_SENDER and LURE_EMAIL_RECIPIENTS');
  }
  return deepFreeze({
    store: settings.LURE_STORE,
    logFormat: settings.LURE_LOG_FORMAT ?? (inAzure ? 'json' : 'human'),
    ...(table === undefined ? {} : { table }),
    tablePrefix: settings.LURE_TABLE_PREFIX,
    dedupeBucketInMinutes: settings.LURE_DEDUPE_BUCKET_IN_MINUTES,
    decoyCacheRefreshInSeconds: settings.LURE_DECOY_CACHE_REFRESH_IN_SECONDS,
    selfPrincipalIds: settings.LURE_SELF_PRINCIPAL_IDS,
    deadLetterRetentionInDays: settings.LURE_DEAD_LETTER_RETENTION_IN_DAYS,
    alertRetentionInDays: settings.LURE_ALERT_RETENTION_IN_DAYS,
    silence: {
      defaultThresholdInMinutes: settings.LURE_SILENCE_THRESHOLD_IN_MINUTES,
      thresholds: new Map([...DEFAULT_SILENCE_THRESHOLDS, ...settings.LURE_SILENCE_THRESHOLDS]),
    },
    mailBaseline: { learningInDays: settings.LURE_MAIL_BASELINE_LEARNING_IN_DAYS, maxPairs: settings.LURE_MAIL_BASELINE_MAX_PAIRS },
    issuance: {
      graceInMinutes: settings.LURE_ISSUANCE_GRACE_IN_MINUTES,
      maxTokenLifetimeInHours: settings.LURE_MAX_TOKEN_LIFETIME_IN_HOURS,
      indexRetentionInHours: settings.LURE_TOKEN_INDEX_RETENTION_IN_HOURS,
      gatingCategories: settings.LURE_ISSUANCE_GATING_CATEGORIES,
      modes: { graph: settings.LURE_ISSUANCE_MODE_GRAPH, exchange: settings.LURE_ISSUANCE_MODE_EXCHANGE, token: settings.LURE_ISSUANCE_MODE_TOKEN },
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
      mailFolderName: settings.LURE_DECOY_MAIL_FOLDER ?? 'IT Archive',
      journalRetentionInDays: settings.LURE_JOURNAL_RETENTION_IN_DAYS,
    },
    delivery: {
      ...(settings.LURE_TEAMS_WEBHOOK_URL === undefined ? {} : { teams: { url: settings.LURE_TEAMS_WEBHOOK_URL } }),
      ...(settings.LURE_EMAIL_SENDER === undefined ? {} : { email: { sender: settings.LURE_EMAIL_SENDER, recipients: settings.LURE_EMAIL_RECIPIENTS } }),
      ...(settings.LURE_WEBHOOK_URL === undefined || settings.LURE_WEBHOOK_SECRET === undefined ? {} : { webhook: { url: settings.LURE_WEBHOOK_URL, secret: settings.LURE_WEBHOOK_SECRET } }),
      minSeverity: { teams: settings.LURE_TEAMS_MIN_SEVERITY, email: settings.LURE_EMAIL_MIN_SEVERITY, webhook: settings.LURE_WEBHOOK_MIN_SEVERITY },
      updateWindowInMinutes: settings.LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES,
      digestThresholdPerMinute: settings.LURE_DIGEST_THRESHOLD_PER_MINUTE,
      maxAttempts: settings.LURE_DELIVERY_MAX_ATTEMPTS,
      timeoutInSeconds: settings.LURE_DELIVERY_TIMEOUT_IN_SECONDS,
      ratesPerSecond: { teams: 2, email: 2, webhook: 10, ...settings.LURE_DELIVERY_RATES },
      ignore: { ips: settings.LURE_IGNORE_IPS, userAgents: settings.LURE_IGNORE_USER_AGENTS, appIds: settings.LURE_IGNORE_APP_IDS },
      inAzure,
      retentionInDays: settings.LURE_OUTBOX_RETENTION_IN_DAYS,
    },
    eventHubs: {
      ...(settings.LURE_EVENTHUB__fullyQualifiedNamespace === undefined ? {} : { namespace: settings.LURE_EVENTHUB__fullyQualifiedNamespace.toLowerCase() }),
      ...(settings.LURE_EVENTHUB_CONNECTION_STRING === undefined ? {} : { connectionString: settings.LURE_EVENTHUB_CONNECTION_STRING }),
      hubs: { entra: settings.LURE_ENTRA_HUB_NAME, exchange: settings.LURE_EXCHANGE_HUB_NAME, token: settings.LURE_TOKEN_HUB_NAME },
      consumerGroup: settings.LURE_CONSUMER_GROUP ?? 'lure',
      localConsumerGroup: settings.LURE_LOCAL_CONSUMER_GROUP ?? 'lure-local',
    },
    auditPoller: {
      contentTypes: settings.LURE_AUDIT_CONTENT_TYPES,
      ...((settings.LURE_MANAGEMENT_API_HOST ?? MANAGEMENT_API_HOSTS[settings.LURE_CLOUD]) === undefined
        ? {}
        : { host: (settings.LURE_MANAGEMENT_API_HOST ?? MANAGEMENT_API_HOSTS[settings.LURE_CLOUD])!.replace(/\/+$/, '') }),
      ...((settings.LURE_AUDIT_PUBLISHER_ID ?? settings.LURE_TENANT_ID) === undefined ? {} : { publisherId: (settings.LURE_AUDIT_PUBLISHER_ID ?? settings.LURE_TENANT_ID)!.toLowerCase() }),
      lookbackInHours: settings.LURE_AUDIT_LOOKBACK_IN_HOURS,
    },
    api: {
      ...(settings.LURE_API_CLIENT_ID === undefined ? {} : { clientId: settings.LURE_API_CLIENT_ID.toLowerCase() }),
      audiences:
        settings.LURE_API_CLIENT_ID === undefined
          ? []
          : [settings.LURE_API_CLIENT_ID.toLowerCase(), settings.LURE_API_APP_ID_URI ?? `api://${settings.LURE_API_CLIENT_ID.toLowerCase()}`],
      auditRetentionInDays: settings.LURE_AUDIT_RETENTION_IN_DAYS,
    },
    local: {
      apiPort: settings.LURE_API_PORT,
      dataDir,
      inboxDir: settings.LURE_INBOX_DIR ?? `${dataDir}/inbox`,
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

import { isIP } from 'node:net';
import { z } from 'zod';
import type { IssuanceMode } from '../correlation/tokenIssuance.js';
import { SEVERITIES, type Severity } from '../domain/alerts.js';
import { CHANNELS, type ChannelName } from '../domain/delivery.js';
import { type EntraSignInCategory, SIGN_IN_CATEGORIES } from '../domain/events.js';
import { ENTRA_CATEGORIES, EVENT_SOURCES, streamNamed } from '../domain/streams.js';

/**
 * Each setting's default, as the environment text it stands for: parsed by the setting's own rule, and
 * shown as written in the README's settings table and `lure start --help`.
 */
export const DEFAULTS = {
  LURE_STORE: 'table',
  LURE_TABLE_PREFIX: 'lure',
  LURE_DEDUPE_BUCKET_IN_MINUTES: '60',
  LURE_DECOY_CACHE_REFRESH_IN_SECONDS: '30',
  LURE_DEAD_LETTER_RETENTION_IN_DAYS: '30',
  LURE_SILENCE_THRESHOLD_IN_MINUTES: '120',
  // Quiet streams get longer: Exchange audit arrives an hour or more late, a gateway may see no tokens at
  // night, managed identities and ADFS may sign in a few times a day. A value set is read over these.
  // The Management Activity API can take 12 hours to deliver after a subscription starts, Entra up to a day
  // after a new diagnostic setting: a stream expected and never seen is reported after a day.
  LURE_FIRST_DELIVERY_GRACE_IN_HOURS: '24',
  LURE_SILENCE_THRESHOLDS: 'exchange=360,token=1440,ManagedIdentitySignInLogs=1440,MicrosoftServicePrincipalSignInLogs=720,ADFSSignInLogs=1440',
  LURE_MAIL_BASELINE_LEARNING_IN_DAYS: '14',
  LURE_MAIL_BASELINE_MAX_PAIRS: '100',
  LURE_ISSUANCE_GRACE_IN_MINUTES: '120',
  LURE_ISSUANCE_MIN_GRACE_IN_MINUTES: '10',
  LURE_ISSUANCE_GRACE_FACTOR: '2',
  LURE_ISSUANCE_GRACE_QUANTILE: '0.999',
  LURE_ISSUANCE_GRACE_HISTORY_RECORDS: '10000',
  LURE_MAX_TOKEN_LIFETIME_IN_HOURS: '28',
  LURE_TOKEN_INDEX_RETENTION_IN_HOURS: '72',
  LURE_ISSUANCE_GATING_CATEGORIES: 'SignInLogs,NonInteractiveUserSignInLogs,ServicePrincipalSignInLogs',
  LURE_ISSUANCE_MODE_GRAPH: 'alert',
  LURE_ISSUANCE_MODE_EXCHANGE: 'shadow',
  LURE_ISSUANCE_MODE_SHAREPOINT: 'shadow',
  LURE_ISSUANCE_MODE_TOKEN: 'off',
  LURE_ISSUANCE_CACHE_SIZE: '100000',
  LURE_CLOUD: 'public',
  LURE_GRAPH_TIMEOUT_IN_SECONDS: '30',
  LURE_DECOY_JOB_TITLES:
    'Backup Operator/IT Operations,Payroll Specialist/Finance,Service Desk Lead/IT Operations,Treasury Analyst/Finance,Systems Engineer/Infrastructure',
  LURE_DECOY_KEPT_SECRETS: '2',
  LURE_DECOY_KEPT_MESSAGES: '1',
  LURE_DECOY_SECRET_LIFETIME_IN_DAYS: '365',
  LURE_DECOY_ROTATION_JITTER_PERCENT: '10',
  LURE_DECOY_MAIL_FOLDER: 'IT Archive',
  LURE_JOURNAL_RETENTION_IN_DAYS: '30',
  LURE_TEAMS_MIN_SEVERITY: 'medium',
  LURE_EMAIL_MIN_SEVERITY: 'high',
  LURE_WEBHOOK_MIN_SEVERITY: 'low',
  LURE_SENTINEL_MIN_SEVERITY: 'low',
  LURE_SENTINEL_STREAM: 'Custom-LureAlerts_CL',
  LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES: '30',
  LURE_DIGEST_THRESHOLD_PER_MINUTE: '10',
  LURE_DELIVERY_MAX_ATTEMPTS: '12',
  LURE_DELIVERY_TIMEOUT_IN_SECONDS: '10',
  // A value set is read over these, so naming one channel keeps the others' rates.
  LURE_DELIVERY_RATES: 'teams=2,email=2,webhook=10,sentinel=10',
  LURE_OUTBOX_RETENTION_IN_DAYS: '30',
  LURE_KEY_RETIREMENT_GRACE_IN_HOURS: '48',
  LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS: '72',
  LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES: '10',
  LURE_ENTRA_HUB_NAME: 'entra',
  LURE_EXCHANGE_HUB_NAME: 'exchange',
  LURE_TOKEN_HUB_NAME: 'token',
  LURE_CONSUMER_GROUP: 'lure',
  LURE_LOCAL_CONSUMER_GROUP: 'lure-local',
  LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange,Audit.AzureActiveDirectory',
  LURE_AUDIT_LOOKBACK_IN_HOURS: '24',
  LURE_AUDIT_RETENTION_IN_DAYS: '365',
  LURE_ALERT_RETENTION_IN_DAYS: '400',
  LURE_API_PORT: '7071',
  // The Azure CLI and Azure PowerShell: the clients infra/entra/main.bicep pre-authorises for the API's scope.
  LURE_API_DELEGATED_CLIENT_IDS: '04b07795-8ddb-461a-bbee-02f9e1bf7b46,1950a258-227b-4e31-a9cf-717495945fc2',
  LURE_DATA_DIR: '.lure',
  LURE_INBOX_SETTLE_IN_MILLISECONDS: '1000',
  LURE_DEMO: 'true',
  LURE_LOCAL_TABLE_PORT: '0',
} as const;

/** Defaults that follow from other settings, as the README words them; `withDerivedDefaults` applies them. */
export const DERIVED_DEFAULTS = {
  LURE_LOG_FORMAT: 'human (json in Azure)',
  LURE_API_APP_ID_URI: 'api://<LURE_API_CLIENT_ID>',
  LURE_INBOX_DIR: '<LURE_DATA_DIR>/inbox',
  LURE_AUDIT_PUBLISHER_ID: '<LURE_TENANT_ID>',
} as const;

/** Where each cloud serves the Management Activity API, unless LURE_MANAGEMENT_API_HOST says (GCC, on the public cloud's login, must). */
export const MANAGEMENT_API_HOSTS: Readonly<Record<string, string | undefined>> = {
  public: 'https://manage.office.com',
  usgov: 'https://manage.office365.us',
  usgovdod: 'https://manage.protection.apps.mil',
  china: undefined,
};

/** Management Activity API content types the poller may copy (DLP.All needs another permission and is not Lure's business). */
const AUDIT_CONTENT_TYPES = ['Audit.Exchange', 'Audit.AzureActiveDirectory', 'Audit.SharePoint', 'Audit.General'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAILBOX = /^[^\s@]+@[^\s@]+$/;
const HOST_NAME = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** The setting's text, or its default when it is unset; a blank value is judged by the setting's rule. */
const unsetOr = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => value ?? fallback);

/** Unset and blank alike mean "not given". */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** The setting's text, or its default when it is unset or blank. */
const blankOr = (fallback: string) => optionalText.transform((value) => value ?? fallback);

const optionalHttpUrl = optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());
const optionalGuid = optionalText.pipe(z.string().regex(GUID, 'must be a GUID').optional());
const commaSeparated = (text: string) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
const optionalList = z
  .string()
  .optional()
  .transform((value) => commaSeparated(value ?? ''));

const integer = (min: number, max: number, fallback: string) =>
  unsetOr(fallback).pipe(
    z
      .string()
      .trim()
      // Say what is wrong: "-5" is negative, "5.5" not whole, "ten" not a number.
      .refine((text) => !/^-\d+(\.\d+)?$/.test(text), 'must not be negative')
      .refine((text) => !/^\d+\.\d+$/.test(text), 'must be a whole number')
      .regex(/^\d+$/, 'must be a number')
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
  );

/** A share in (0, 1], written as a decimal: `0.999`. */
const fraction = (fallback: string) =>
  unsetOr(fallback).pipe(
    z
      .string()
      .trim()
      .regex(/^(0?\.\d+|1(\.0+)?)$/, 'must be a decimal above 0 and at most 1, e.g. 0.999')
      .transform(Number)
      .pipe(z.number().gt(0, 'must be above 0').max(1, 'must be at most 1')),
  );

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
    .optional()
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value ?? fallback));

const guidList = optionalList
  .transform((ids) => ids.map((id) => id.toLowerCase()))
  .refine((ids) => ids.every((id) => GUID.test(id)), 'must be comma-separated GUIDs');

const mode = (fallback: IssuanceMode) => z.enum(['alert', 'shadow', 'off'], { error: 'must be alert, shadow or off' }).optional().default(fallback);

const severity = (fallback: Severity) =>
  z
    .enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` })
    .optional()
    .default(fallback);

const hubName = (fallback: string) =>
  unsetOr(fallback).pipe(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/, 'must be an event hub name'),
  );

const consumerGroup = (fallback: string) => blankOr(fallback).pipe(z.string().regex(/^[A-Za-z0-9$][A-Za-z0-9._-]{0,49}$/, 'must be a consumer group name'));

/** Whether a split entry has exactly two parts. The refinements below check it; the transforms after them narrow with it (dropping nothing). */
const isPair = (parts: readonly string[]): parts is [string, string] => parts.length === 2;

/** `name=number` pairs, comma-separated: the names and numbers each rule allows. */
const pairs = (isName: (name: string) => boolean, isNumber: (text: string) => boolean, message: string) =>
  optionalList
    .transform((entries) => entries.map((entry) => entry.split('=').map((part) => part.trim())))
    .refine((entries) => entries.every((entry) => isPair(entry) && isName(entry[0]) && isNumber(entry[1])), message)
    .transform((entries) => entries.filter(isPair).map(([name, value]) => [name, Number(value)] as const));

const silenceThresholds = pairs(
  (name) => /^[A-Za-z]+$/.test(name),
  (text) => /^\d+$/.test(text),
  'must be name=minutes pairs, comma-separated',
);
const BUILT_IN_SILENCE_THRESHOLDS = silenceThresholds.parse(DEFAULTS.LURE_SILENCE_THRESHOLDS);

const channelRates = pairs(
  (name) => (CHANNELS as readonly string[]).includes(name),
  (text) => /^\d+$/.test(text) && Number(text) > 0,
  `must be channel=requests-per-second pairs (${CHANNELS.join(', ')})`,
).transform((entries) => Object.fromEntries(entries) as Partial<Record<ChannelName, number>>);
const BUILT_IN_CHANNEL_RATES = channelRates.parse(DEFAULTS.LURE_DELIVERY_RATES) as Record<ChannelName, number>;

const ipRanges = optionalList.refine(
  (entries) =>
    entries.every((entry) => {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      return family !== 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32)));
    }),
  'must be comma-separated IP addresses or CIDR ranges',
);

const expectedStreams = optionalList
  .refine(
    (names) => names.every((name) => streamNamed(name) !== undefined),
    `must be a comma-separated list of ${EVENT_SOURCES.join(', ')} and Entra categories (${ENTRA_CATEGORIES.join(', ')})`,
  )
  .transform((names) => [...new Set(names.flatMap((name) => streamNamed(name)?.stream ?? []))]);

const delegatedClientIds = unsetOr(DEFAULTS.LURE_API_DELEGATED_CLIENT_IDS)
  .transform((text) => commaSeparated(text).map((id) => id.toLowerCase()))
  .refine((ids) => ids.every((id) => GUID.test(id)), 'must be comma-separated GUIDs');

const signInCategories = unsetOr(DEFAULTS.LURE_ISSUANCE_GATING_CATEGORIES)
  .transform(commaSeparated)
  .refine(
    (names) => names.length > 0 && names.every((name) => (SIGN_IN_CATEGORIES as readonly string[]).includes(name)),
    `must be a comma-separated list of ${SIGN_IN_CATEGORIES.join(', ')}`,
  )
  .transform((names) => names as EntraSignInCategory[]);

const jobTitles = unsetOr(DEFAULTS.LURE_DECOY_JOB_TITLES)
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.split('/').map((part) => part.trim()))
      .filter((parts) => parts.some((part) => part !== '')),
  )
  .refine(
    (entries) => entries.length > 0 && entries.every((parts) => isPair(parts) && parts.every((part) => part !== '' && part.length <= 64)),
    'must be comma-separated title/department pairs',
  )
  .transform((entries) => entries.filter(isPair).map(([jobTitle, department]) => ({ jobTitle, department })));

const auditContentTypes = unsetOr(DEFAULTS.LURE_AUDIT_CONTENT_TYPES)
  .transform(commaSeparated)
  .refine(
    (entries) => (entries.length === 1 && entries[0] === 'none') || entries.every((entry) => (AUDIT_CONTENT_TYPES as readonly string[]).includes(entry)),
    `must be none or comma-separated content types (${AUDIT_CONTENT_TYPES.join(', ')})`,
  )
  .transform((entries) => (entries[0] === 'none' ? [] : entries));

const settingsSchema = z.object({
  LURE_STORE: z.enum(['table', 'memory'], { error: 'must be table or memory' }).optional().default(DEFAULTS.LURE_STORE),
  LURE_LOG_FORMAT: z.enum(['json', 'human'], { error: 'must be json or human' }).optional(),
  LURE_TABLE_SERVICE_URI: optionalHttpUrl,
  LURE_TABLE_CONNECTION_STRING: optionalText,
  AZURE_CLIENT_ID: optionalText,
  LURE_TABLE_PREFIX: unsetOr(DEFAULTS.LURE_TABLE_PREFIX).pipe(
    z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'must start with a letter and hold only letters and digits (at most 41)'),
  ),
  LURE_DEDUPE_BUCKET_IN_MINUTES: integer(1, 24 * 60, DEFAULTS.LURE_DEDUPE_BUCKET_IN_MINUTES),
  LURE_DECOY_CACHE_REFRESH_IN_SECONDS: integer(0, 3600, DEFAULTS.LURE_DECOY_CACHE_REFRESH_IN_SECONDS),
  LURE_SELF_PRINCIPAL_IDS: guidList,
  LURE_DEAD_LETTER_RETENTION_IN_DAYS: integer(1, 3650, DEFAULTS.LURE_DEAD_LETTER_RETENTION_IN_DAYS),
  LURE_SILENCE_THRESHOLD_IN_MINUTES: integer(5, 7 * 24 * 60, DEFAULTS.LURE_SILENCE_THRESHOLD_IN_MINUTES),
  LURE_EXPECTED_SOURCES: expectedStreams,
  LURE_FIRST_DELIVERY_GRACE_IN_HOURS: integer(1, 14 * 24, DEFAULTS.LURE_FIRST_DELIVERY_GRACE_IN_HOURS),
  LURE_SILENCE_THRESHOLDS: silenceThresholds.transform((given): ReadonlyMap<string, number> => new Map([...BUILT_IN_SILENCE_THRESHOLDS, ...given])),
  LURE_MAIL_BASELINE_LEARNING_IN_DAYS: integer(0, 365, DEFAULTS.LURE_MAIL_BASELINE_LEARNING_IN_DAYS),
  LURE_MAIL_BASELINE_MAX_PAIRS: integer(1, 1000, DEFAULTS.LURE_MAIL_BASELINE_MAX_PAIRS),
  LURE_ISSUANCE_GRACE_IN_MINUTES: integer(5, 24 * 60, DEFAULTS.LURE_ISSUANCE_GRACE_IN_MINUTES),
  LURE_ISSUANCE_MIN_GRACE_IN_MINUTES: integer(1, 24 * 60, DEFAULTS.LURE_ISSUANCE_MIN_GRACE_IN_MINUTES),
  LURE_ISSUANCE_GRACE_FACTOR: integer(1, 20, DEFAULTS.LURE_ISSUANCE_GRACE_FACTOR),
  LURE_ISSUANCE_GRACE_QUANTILE: fraction(DEFAULTS.LURE_ISSUANCE_GRACE_QUANTILE),
  LURE_ISSUANCE_GRACE_HISTORY_RECORDS: integer(1, 1_000_000_000, DEFAULTS.LURE_ISSUANCE_GRACE_HISTORY_RECORDS),
  LURE_MAX_TOKEN_LIFETIME_IN_HOURS: integer(28, 7 * 24, DEFAULTS.LURE_MAX_TOKEN_LIFETIME_IN_HOURS),
  LURE_TOKEN_INDEX_RETENTION_IN_HOURS: integer(1, 90 * 24, DEFAULTS.LURE_TOKEN_INDEX_RETENTION_IN_HOURS),
  LURE_ISSUANCE_GATING_CATEGORIES: signInCategories,
  LURE_ISSUANCE_MODE_GRAPH: mode(DEFAULTS.LURE_ISSUANCE_MODE_GRAPH),
  LURE_ISSUANCE_MODE_EXCHANGE: mode(DEFAULTS.LURE_ISSUANCE_MODE_EXCHANGE),
  LURE_ISSUANCE_MODE_SHAREPOINT: mode(DEFAULTS.LURE_ISSUANCE_MODE_SHAREPOINT),
  LURE_ISSUANCE_MODE_TOKEN: mode(DEFAULTS.LURE_ISSUANCE_MODE_TOKEN),
  LURE_ISSUANCE_ALLOWLIST_APP_IDS: guidList,
  LURE_ISSUANCE_JUDGE_APP_IDS: guidList,
  LURE_ISSUANCE_CACHE_SIZE: integer(0, 10_000_000, DEFAULTS.LURE_ISSUANCE_CACHE_SIZE),
  LURE_CLOUD: z.enum(['public', 'usgov', 'usgovdod', 'china'], { error: 'must be public, usgov, usgovdod or china' }).optional().default(DEFAULTS.LURE_CLOUD),
  LURE_GRAPH_HOST: optionalText.pipe(z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional()),
  LURE_GRAPH_TIMEOUT_IN_SECONDS: integer(1, 300, DEFAULTS.LURE_GRAPH_TIMEOUT_IN_SECONDS),
  LURE_DECOY_USER_DOMAIN: optionalText.pipe(z.string().regex(HOST_NAME, 'must be a domain name').optional()),
  LURE_DECOY_JOB_TITLES: jobTitles,
  LURE_DECOY_KEPT_SECRETS: integer(1, 10, DEFAULTS.LURE_DECOY_KEPT_SECRETS),
  LURE_DECOY_KEPT_MESSAGES: integer(1, 3, DEFAULTS.LURE_DECOY_KEPT_MESSAGES),
  LURE_DECOY_SECRET_LIFETIME_IN_DAYS: integer(1, 730, DEFAULTS.LURE_DECOY_SECRET_LIFETIME_IN_DAYS),
  LURE_DECOY_ROTATION_JITTER_PERCENT: integer(0, 50, DEFAULTS.LURE_DECOY_ROTATION_JITTER_PERCENT),
  LURE_DECOY_MAIL_FOLDER: blankOr(DEFAULTS.LURE_DECOY_MAIL_FOLDER).pipe(z.string().max(255)),
  LURE_JOURNAL_RETENTION_IN_DAYS: integer(7, 3650, DEFAULTS.LURE_JOURNAL_RETENTION_IN_DAYS),
  WEBSITE_SITE_NAME: optionalText,
  LURE_TEAMS_WEBHOOK_URL: optionalHttpUrl,
  LURE_EMAIL_SENDER: optionalText.pipe(z.string().regex(MAILBOX, 'must be a mailbox address').optional()),
  LURE_EMAIL_RECIPIENTS: optionalList.refine((addresses) => addresses.every((address) => MAILBOX.test(address)), 'must be comma-separated mail addresses'),
  LURE_WEBHOOK_URL: optionalHttpUrl,
  LURE_WEBHOOK_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  LURE_TEAMS_MIN_SEVERITY: severity(DEFAULTS.LURE_TEAMS_MIN_SEVERITY),
  LURE_EMAIL_MIN_SEVERITY: severity(DEFAULTS.LURE_EMAIL_MIN_SEVERITY),
  LURE_WEBHOOK_MIN_SEVERITY: severity(DEFAULTS.LURE_WEBHOOK_MIN_SEVERITY),
  LURE_SENTINEL_ENDPOINT: optionalText.pipe(
    z.url({ protocol: /^https$/, error: "must be an https URL (a data collection endpoint or the rule's logs ingestion endpoint)" }).optional(),
  ),
  LURE_SENTINEL_RULE_ID: optionalText.pipe(
    z
      .string()
      .regex(/^dcr-[0-9a-f]{32}$/, 'must be a data collection rule immutable id (dcr- and 32 hex digits)')
      .optional(),
  ),
  LURE_SENTINEL_STREAM: blankOr(DEFAULTS.LURE_SENTINEL_STREAM).pipe(
    z.string().regex(/^Custom-[A-Za-z0-9_]+$/, 'must be a stream name: Custom- and letters, digits or _'),
  ),
  LURE_SENTINEL_MIN_SEVERITY: severity(DEFAULTS.LURE_SENTINEL_MIN_SEVERITY),
  LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES: integer(1, 24 * 60, DEFAULTS.LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES),
  LURE_DIGEST_THRESHOLD_PER_MINUTE: integer(1, 10_000, DEFAULTS.LURE_DIGEST_THRESHOLD_PER_MINUTE),
  LURE_DELIVERY_MAX_ATTEMPTS: integer(1, 100, DEFAULTS.LURE_DELIVERY_MAX_ATTEMPTS),
  LURE_DELIVERY_TIMEOUT_IN_SECONDS: integer(1, 120, DEFAULTS.LURE_DELIVERY_TIMEOUT_IN_SECONDS),
  LURE_DELIVERY_RATES: channelRates.transform((given) => ({ ...BUILT_IN_CHANNEL_RATES, ...given })),
  LURE_IGNORE_IPS: ipRanges,
  LURE_IGNORE_USER_AGENTS: optionalList,
  LURE_IGNORE_APP_IDS: guidList,
  LURE_OUTBOX_RETENTION_IN_DAYS: integer(1, 3650, DEFAULTS.LURE_OUTBOX_RETENTION_IN_DAYS),
  LURE_AUTHORITY_HOST: optionalHttpUrl,
  LURE_TENANT_ID: optionalGuid,
  LURE_KEY_APP_IDS: guidList,
  LURE_KEY_RETIREMENT_GRACE_IN_HOURS: integer(1, 30 * 24, DEFAULTS.LURE_KEY_RETIREMENT_GRACE_IN_HOURS),
  LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS: integer(0, 365 * 24, DEFAULTS.LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS),
  LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES: integer(1, 24 * 60, DEFAULTS.LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES),
  LURE_EVENTHUB__fullyQualifiedNamespace: optionalText.pipe(
    z.string().regex(HOST_NAME, 'must be a namespace host name, e.g. lure-ns.servicebus.windows.net').optional(),
  ),
  LURE_EVENTHUB_CONNECTION_STRING: optionalText.pipe(
    z
      .string()
      .regex(/^Endpoint=sb:\/\//i, 'must be an Event Hubs connection string (Endpoint=sb://…)')
      .optional(),
  ),
  LURE_ENTRA_HUB_NAME: hubName(DEFAULTS.LURE_ENTRA_HUB_NAME),
  LURE_EXCHANGE_HUB_NAME: hubName(DEFAULTS.LURE_EXCHANGE_HUB_NAME),
  LURE_TOKEN_HUB_NAME: hubName(DEFAULTS.LURE_TOKEN_HUB_NAME),
  LURE_CONSUMER_GROUP: consumerGroup(DEFAULTS.LURE_CONSUMER_GROUP),
  LURE_LOCAL_CONSUMER_GROUP: consumerGroup(DEFAULTS.LURE_LOCAL_CONSUMER_GROUP),
  LURE_AUDIT_CONTENT_TYPES: auditContentTypes,
  LURE_MANAGEMENT_API_HOST: optionalHttpUrl,
  LURE_AUDIT_PUBLISHER_ID: optionalGuid,
  LURE_AUDIT_LOOKBACK_IN_HOURS: integer(1, 7 * 24 - 1, DEFAULTS.LURE_AUDIT_LOOKBACK_IN_HOURS),
  LURE_API_CLIENT_ID: optionalGuid,
  LURE_API_DELEGATED_CLIENT_IDS: delegatedClientIds,
  LURE_API_APP_ID_URI: optionalText.pipe(
    z
      .string()
      .regex(/^(api:\/\/|https:\/\/)\S+$/, 'must be an app id URI (api://… or https://…)')
      .optional(),
  ),
  LURE_AUDIT_RETENTION_IN_DAYS: integer(1, 3650, DEFAULTS.LURE_AUDIT_RETENTION_IN_DAYS),
  LURE_ALERT_RETENTION_IN_DAYS: integer(7, 3650, DEFAULTS.LURE_ALERT_RETENTION_IN_DAYS),
  LURE_API_PORT: integer(0, 65535, DEFAULTS.LURE_API_PORT),
  LURE_DATA_DIR: blankOr(DEFAULTS.LURE_DATA_DIR),
  LURE_INBOX_DIR: optionalText,
  LURE_INBOX_SETTLE_IN_MILLISECONDS: integer(50, 60_000, DEFAULTS.LURE_INBOX_SETTLE_IN_MILLISECONDS),
  LURE_DEMO: flag(DEFAULTS.LURE_DEMO),
  LURE_LOCAL_TABLE_PORT: integer(0, 65535, DEFAULTS.LURE_LOCAL_TABLE_PORT),
});

export type SettingName = keyof typeof settingsSchema.shape;
/** Every setting Lure reads, in the schema's order. */
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as SettingName[];

/** The settings `DERIVED_DEFAULTS` describes, each filled in from the ones it follows when unset. */
function withDerivedDefaults(settings: z.output<typeof settingsSchema>) {
  return {
    ...settings,
    LURE_LOG_FORMAT: settings.LURE_LOG_FORMAT ?? (settings.WEBSITE_SITE_NAME === undefined ? ('human' as const) : ('json' as const)),
    LURE_API_APP_ID_URI:
      settings.LURE_API_APP_ID_URI ?? (settings.LURE_API_CLIENT_ID === undefined ? undefined : `api://${settings.LURE_API_CLIENT_ID.toLowerCase()}`),
    LURE_INBOX_DIR: settings.LURE_INBOX_DIR ?? `${settings.LURE_DATA_DIR}/inbox`,
    LURE_AUDIT_PUBLISHER_ID: settings.LURE_AUDIT_PUBLISHER_ID ?? settings.LURE_TENANT_ID,
  };
}

const environmentSchema = settingsSchema.transform(withDerivedDefaults);

/** Every setting, parsed and with its default applied; undefined (or empty) only where there is no default. */
export type Environment = z.output<typeof environmentSchema>;

/** Parses an environment. Throws a `RangeError` naming the first bad setting. */
export function parseEnvironment(environment: Readonly<Record<string, string | undefined>>): Environment {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a failed safeParse always has an issue
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`setting ${String(issue.path[0] ?? '?')}: ${issue.message}`);
  }
  return parsed.data;
}

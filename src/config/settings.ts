import { DEFAULTS, DERIVED_DEFAULTS, type SettingName } from './environmentSchema.js';

/**
 * Every setting Lure or its Functions host reads, with its default and meaning. The README's settings
 * table is checked against this list by a test, so the two cannot drift.
 */
export interface SettingDescription {
  readonly name: string;
  /** The default as written in the README, or `—` when there is none; taken from the environment schema. */
  readonly defaultValue: string;
  readonly description: string;
  /** `lure`: parsed by `loadConfig`; `host`: read by the Azure Functions host from app settings. */
  readonly readBy: 'lure' | 'host';
}

/** Lure's own settings must be ones its schema parses; the host's are not Lure's to default. */
type DescribedSetting =
  | { readonly name: SettingName; readonly readBy: 'lure'; readonly description: string }
  | { readonly name: string; readonly readBy: 'host'; readonly description: string };

const DESCRIBED_SETTINGS: readonly DescribedSetting[] = [
  {
    name: 'LURE_STORE',
    readBy: 'lure',
    description: '`table` (Azure Table Storage or Azurite) or `memory` (state lost on exit; `lure replay` uses it unless told otherwise).',
  },
  {
    name: 'LURE_LOG_FORMAT',
    readBy: 'lure',
    description:
      'How Lure writes log lines on stderr: `json` (one object per line, for log collectors; the default in Azure) or `human` (`lure: warn: message (field=value)`; the default elsewhere). `npm start` writes its status lines the same way, so the stream is never mixed.',
  },
  {
    name: 'LURE_TABLE_SERVICE_URI',
    readBy: 'lure',
    description: 'Table endpoint in Azure, e.g. `https://<account>.table.core.windows.net`; reached with the managed identity (`AZURE_CLIENT_ID`).',
  },
  {
    name: 'LURE_TABLE_CONNECTION_STRING',
    readBy: 'lure',
    description: 'A Table Storage connection string instead (Azurite, development). With neither, `npm start` runs an embedded Azurite.',
  },
  { name: 'AZURE_CLIENT_ID', readBy: 'lure', description: 'Client id of the user-assigned managed identity Lure runs as (read by `@azure/identity`).' },
  { name: 'LURE_TABLE_PREFIX', readBy: 'lure', description: "Prefix of Lure's table names (letters and digits), so instances can share an account." },
  {
    name: 'LURE_DEDUPE_BUCKET_IN_MINUTES',
    readBy: 'lure',
    description: 'Width of the fixed event-time buckets within which repeated hits of one actor on one decoy fold into one alert.',
  },
  {
    name: 'LURE_DECOY_CACHE_REFRESH_IN_SECONDS',
    readBy: 'lure',
    description: 'How long the decoy list is cached between store reads; changes made outside Lure show within this time.',
  },
  {
    name: 'LURE_SELF_PRINCIPAL_IDS',
    readBy: 'lure',
    description:
      "Comma-separated object ids and app id of Lure's own identity: its reads of decoys are not hits, its unjournaled changes to decoys are critical.",
  },
  {
    name: 'LURE_DEAD_LETTER_RETENTION_IN_DAYS',
    readBy: 'lure',
    description: 'Dead-lettered records are kept this long, then pruned by the `pruneState` timer.',
  },
  {
    name: 'LURE_SILENCE_THRESHOLD_IN_MINUTES',
    readBy: 'lure',
    description: 'A source or Entra category that has delivered before and then nothing for this long raises `source.silent` (arrival time).',
  },
  {
    name: 'LURE_EXPECTED_SOURCES',
    readBy: 'lure',
    description:
      'Sources (`entra`, `exchange`, `defender`, `token`) and Entra categories (`SignInLogs`, …) that must deliver, comma-separated: one that has never delivered `LURE_FIRST_DELIVERY_GRACE_IN_HOURS` after Lure began expecting it raises `source.silent`, naming the likely cause. Bicep sets what it configured; empty expects nothing.',
  },
  {
    name: 'LURE_FIRST_DELIVERY_GRACE_IN_HOURS',
    readBy: 'lure',
    description: 'How long an expected stream may go without its first record (the Management Activity API can take 12 hours, a new diagnostic setting a day).',
  },
  {
    name: 'LURE_SILENCE_THRESHOLDS',
    readBy: 'lure',
    description: 'Thresholds by source or category (`name=minutes`, comma-separated), over the built-in ones listed here.',
  },
  {
    name: 'LURE_MAIL_BASELINE_LEARNING_IN_DAYS',
    readBy: 'lure',
    description:
      "From a mailbox's first MailItemsAccessed record, every app reading it is learned silently this long; after, an app never seen for it raises `mail.appId.firstSeen`.",
  },
  { name: 'LURE_MAIL_BASELINE_MAX_PAIRS', readBy: 'lure', description: 'AppId/ClientAppId pairs kept per mailbox (the least recently seen go first).' },
  {
    name: 'LURE_ISSUANCE_GRACE_IN_MINUTES',
    readBy: 'lure',
    description:
      'How long after a token was issued (event time) its sign-in record may still arrive before an unissued use raises `token.issuance.missing`: the grace until the sign-in streams have history, and the most the adaptive grace grows to.',
  },
  {
    name: 'LURE_ISSUANCE_MIN_GRACE_IN_MINUTES',
    readBy: 'lure',
    description: 'The least the adaptive grace shrinks to, however prompt the sign-in streams are.',
  },
  {
    name: 'LURE_ISSUANCE_GRACE_FACTOR',
    readBy: 'lure',
    description: 'The adaptive grace is this many times the observed lateness quantile of the streams that issue the token.',
  },
  {
    name: 'LURE_ISSUANCE_GRACE_QUANTILE',
    readBy: 'lure',
    description: 'The quantile of observed sign-in lateness (last 7 days, every instance) the adaptive grace is built on.',
  },
  {
    name: 'LURE_ISSUANCE_GRACE_HISTORY_RECORDS',
    readBy: 'lure',
    description: 'Sign-ins a stream must have shown (last 7 days) before its lateness is trusted over `LURE_ISSUANCE_GRACE_IN_MINUTES`.',
  },
  {
    name: 'LURE_MAX_TOKEN_LIFETIME_IN_HOURS',
    readBy: 'lure',
    description: 'The longest-lived token (CAE access tokens live up to 28 hours; at least 28): a use with no issue time may carry a token this old.',
  },
  {
    name: 'LURE_TOKEN_INDEX_RETENTION_IN_HOURS',
    readBy: 'lure',
    description: 'How long token issuances stay in the index; at least lifetime plus grace. Exchange audit arrives hours late: keep a margin for it.',
  },
  {
    name: 'LURE_ISSUANCE_GATING_CATEGORIES',
    readBy: 'lure',
    description:
      "Sign-in categories whose progress must pass a check's due time before it is judged (those of them that have delivered). Every category is indexed; list here only the ones that flow steadily.",
  },
  { name: 'LURE_ISSUANCE_MODE_GRAPH', readBy: 'lure', description: 'Graph token uses: `alert`, `shadow` (judge and count matches, raise nothing) or `off`.' },
  {
    name: 'LURE_ISSUANCE_MODE_EXCHANGE',
    readBy: 'lure',
    description: 'Exchange token uses (`AppAccessContext.UniqueTokenId`): `shadow` until your match rate shows they line up with sign-in logs, then `alert`.',
  },
  {
    name: 'LURE_ISSUANCE_MODE_SHAREPOINT',
    readBy: 'lure',
    description: 'SharePoint and OneDrive token uses (`AppAccessContext.UniqueTokenId`): `shadow` until your match rate shows they line up, then `alert`.',
  },
  {
    name: 'LURE_ISSUANCE_MODE_TOKEN',
    readBy: 'lure',
    description: 'Token observations carrying `uti`: off by default, as a gateway may see tokens issued to other tenants.',
  },
  {
    name: 'LURE_ISSUANCE_ALLOWLIST_APP_IDS',
    readBy: 'lure',
    description: 'More app ids (comma-separated) whose uses are never judged, beyond the built-in first-party list.',
  },
  {
    name: 'LURE_ISSUANCE_JUDGE_APP_IDS',
    readBy: 'lure',
    description: 'Built-in first-party app ids to judge after all (once shadow stats show their uses match).',
  },
  {
    name: 'LURE_ISSUANCE_CACHE_SIZE',
    readBy: 'lure',
    description: 'Token ids recently indexed by this instance kept in memory, so a use is matched without a store round trip.',
  },
  {
    name: 'LURE_TENANT_ID',
    readBy: 'lure',
    description:
      "The organisation tenant Lure protects. With it, the `refreshSigningKeys` timer fetches the tenant's, the consumer and configured apps' signing keys; without it, keys come only from `lure replay --jwks` files.",
  },
  {
    name: 'LURE_CLOUD',
    readBy: 'lure',
    description:
      "`public`, `usgov` (GCC High, L4), `usgovdod` (L5) or `china`: where keys are published, which token issuers are Entra's, and which Graph manages decoys.",
  },
  {
    name: 'LURE_GRAPH_HOST',
    readBy: 'lure',
    description: "Overrides the cloud's Graph host (testing): `https://…` only, as the Graph client sends its token over https alone.",
  },
  {
    name: 'LURE_GRAPH_TIMEOUT_IN_SECONDS',
    readBy: 'lure',
    description: 'Each Graph attempt is abandoned after this long and retried (with 429/5xx, honouring `Retry-After`).',
  },
  {
    name: 'LURE_DECOY_USER_DOMAIN',
    readBy: 'lure',
    description: 'Domain of the decoy users Lure creates when a request names no UPN (a verified domain of the tenant).',
  },
  {
    name: 'LURE_DECOY_JOB_TITLES',
    readBy: 'lure',
    description: 'Job title/department pairs (comma-separated) decoy users are given at random, with a name from the built-in lists.',
  },
  {
    name: 'LURE_DECOY_KEPT_SECRETS',
    readBy: 'lure',
    description:
      'Client-secret generations kept on a decoy app, current included: 2 keeps the previous one, so a lure planted last week still works and attributes.',
  },
  {
    name: 'LURE_DECOY_KEPT_MESSAGES',
    readBy: 'lure',
    description: 'Decoy messages kept per mail decoy (1–3), current included; rotation removes the oldest beyond it.',
  },
  { name: 'LURE_DECOY_SECRET_LIFETIME_IN_DAYS', readBy: 'lure', description: 'Expiry of the client secrets Lure adds to decoy apps.' },
  {
    name: 'LURE_DECOY_ROTATION_JITTER_PERCENT',
    readBy: 'lure',
    description: 'A decoy rotates after its interval plus up to this share of it, at random, so rotations never line up.',
  },
  {
    name: 'LURE_DECOY_MAIL_FOLDER',
    readBy: 'lure',
    description: 'Folder (under the mailbox root; created if missing) for decoy messages when a request names none. It must hold nothing but decoys.',
  },
  {
    name: 'LURE_JOURNAL_RETENTION_IN_DAYS',
    readBy: 'lure',
    description: "Finished rotation-journal entries are kept this long (at least 7): late audit records of Lure's own changes must still find theirs.",
  },
  { name: 'LURE_AUTHORITY_HOST', readBy: 'lure', description: "Overrides the cloud's login host for key sets and v2 issuers (testing, private clouds)." },
  { name: 'LURE_KEY_APP_IDS', readBy: 'lure', description: 'App ids (comma-separated) whose own signing keys (`…/discovery/keys?appid=`) are fetched too.' },
  {
    name: 'LURE_KEY_RETIREMENT_GRACE_IN_HOURS',
    readBy: 'lure',
    description: "A key missing from its set's fetches for longer than this is retired (the published sets flap between fetches).",
  },
  {
    name: 'LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS',
    readBy: 'lure',
    description: 'A token signed by a key retired longer than this before the token was seen raises `token.signingKey.anomalous`.',
  },
  {
    name: 'LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES',
    readBy: 'lure',
    description: 'A token naming an unknown key triggers a refresh of the key sets at most this often.',
  },
  {
    name: 'LURE_TEAMS_WEBHOOK_URL',
    readBy: 'lure',
    description: 'Teams: a Power Automate Workflows "When a Teams webhook request is received" URL. A secret (it carries `sig=`): keep it in Key Vault.',
  },
  {
    name: 'LURE_EMAIL_SENDER',
    readBy: 'lure',
    description: 'E-mail: the mailbox alerts are sent from, through Graph `sendMail` (scope Lure to it with Exchange RBAC for Applications).',
  },
  { name: 'LURE_EMAIL_RECIPIENTS', readBy: 'lure', description: 'E-mail: comma-separated addresses alerts go to.' },
  {
    name: 'LURE_WEBHOOK_URL',
    readBy: 'lure',
    description:
      'Webhook for a SIEM or SOAR: every alert as its alert JSON (README "Alerts"), signed. In Azure it must be https and not a private or loopback address.',
  },
  {
    name: 'LURE_WEBHOOK_SECRET',
    readBy: 'lure',
    description: 'Webhook: the HMAC-SHA256 key (at least 32 characters) the receiver verifies `Lure-Signature` with.',
  },
  {
    name: 'LURE_TEAMS_MIN_SEVERITY',
    readBy: 'lure',
    description: 'Teams: incidents below this severity are not posted (`low`, `medium`, `high`, `critical`).',
  },
  { name: 'LURE_EMAIL_MIN_SEVERITY', readBy: 'lure', description: 'E-mail: incidents below this severity are not mailed.' },
  { name: 'LURE_WEBHOOK_MIN_SEVERITY', readBy: 'lure', description: 'Webhook: alerts below this severity are not sent.' },
  {
    name: 'LURE_SENTINEL_ENDPOINT',
    readBy: 'lure',
    description:
      "Sentinel: the Logs Ingestion endpoint, the data collection rule's own (`logsIngestion`) or a data collection endpoint's. With `LURE_SENTINEL_RULE_ID`, every alert is written to `LureAlerts_CL` as Lure's identity (Monitoring Metrics Publisher on the rule).",
  },
  { name: 'LURE_SENTINEL_RULE_ID', readBy: 'lure', description: "Sentinel: the data collection rule's immutable id (`dcr-` and 32 hex digits)." },
  { name: 'LURE_SENTINEL_STREAM', readBy: 'lure', description: "Sentinel: the rule's input stream." },
  { name: 'LURE_SENTINEL_MIN_SEVERITY', readBy: 'lure', description: 'Sentinel: alerts below this severity are not written.' },
  {
    name: 'LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES',
    readBy: 'lure',
    description: 'Teams and e-mail: after an incident is posted, its later alerts post one follow-up per window at most.',
  },
  {
    name: 'LURE_DIGEST_THRESHOLD_PER_MINUTE',
    readBy: 'lure',
    description: 'Teams and e-mail: more notifications than this raised in one minute go out as one digest.',
  },
  {
    name: 'LURE_DELIVERY_MAX_ATTEMPTS',
    readBy: 'lure',
    description: 'Attempts per notification and channel (exponential backoff with jitter, honouring `Retry-After`) before it is marked dead.',
  },
  { name: 'LURE_DELIVERY_TIMEOUT_IN_SECONDS', readBy: 'lure', description: 'Each delivery attempt is abandoned after this long.' },
  {
    name: 'LURE_DELIVERY_RATES',
    readBy: 'lure',
    description: 'Requests per second per channel (`channel=rate`, comma-separated); Teams throttles above about 4.',
  },
  {
    name: 'LURE_IGNORE_IPS',
    readBy: 'lure',
    description: 'IP addresses or CIDR ranges (comma-separated) whose alerts are recorded but never notified (a scanner you run, say).',
  },
  {
    name: 'LURE_IGNORE_USER_AGENTS',
    readBy: 'lure',
    description:
      'Whole user agents (comma-separated, case-insensitive) whose alerts are recorded but never notified. Not substrings: an attacker could put one in theirs.',
  },
  { name: 'LURE_IGNORE_APP_IDS', readBy: 'lure', description: 'App ids (comma-separated) whose alerts are recorded but never notified.' },
  {
    name: 'LURE_OUTBOX_RETENTION_IN_DAYS',
    readBy: 'lure',
    description: 'Completed outbox entries (delivered, accepted, dead, digested) are kept this long for the status report.',
  },
  {
    name: 'WEBSITE_SITE_NAME',
    readBy: 'lure',
    description:
      'Set by Azure Functions. When present Lure knows it runs in Azure: destinations must be https and the webhook may not point at a private address.',
  },
  {
    name: 'LURE_API_CLIENT_ID',
    readBy: 'lure',
    description:
      'Admin API: client id of the Lure API app registration (v2 tokens, app roles `Lure.Admin` and `Lure.Reader`). With `LURE_TENANT_ID`, tokens of that tenant for this API are accepted; without both, the API answers 503 in Azure.',
  },
  {
    name: 'LURE_API_DELEGATED_CLIENT_IDS',
    readBy: 'lure',
    description:
      "Admin API: clients whose delegated tokens (a person's, with `scp`) are accepted, comma-separated; the API's own client id (the console) always is. A person's token through any other app is refused (403), even with a role: consent phishing cannot reach the API.",
  },
  { name: 'LURE_API_APP_ID_URI', readBy: 'lure', description: 'Admin API: the app id URI, accepted as a token audience besides the client id.' },
  {
    name: 'LURE_ALERT_RETENTION_IN_DAYS',
    readBy: 'lure',
    description:
      'Alerts whose evidence began longer ago than this, and incidents quiet for as long, are pruned (keep at least as long as your investigations reach back).',
  },
  { name: 'LURE_AUDIT_RETENTION_IN_DAYS', readBy: 'lure', description: 'Admin audit-trail entries (who changed what through the API) are kept this long.' },
  {
    name: 'LURE_API_PORT',
    readBy: 'lure',
    description:
      'Local host: the admin API listens on `http://127.0.0.1:<port>/api` (0 picks a free port). It accepts tokens from `npx lure dev-token`; never used in Azure.',
  },
  { name: 'LURE_DATA_DIR', readBy: 'lure', description: 'Local host (`npm start`): where the embedded Azurite keeps its data. Git ignores `.lure/`.' },
  {
    name: 'LURE_INBOX_SETTLE_IN_MILLISECONDS',
    readBy: 'lure',
    description:
      'Local host: how long an inbox file must stay the same size before it is read. A file whose last record is cut short waits for the rest whatever this says; write files as `*.partial` (or a dot-file) and rename them in to be sure.',
  },
  {
    name: 'LURE_INBOX_DIR',
    readBy: 'lure',
    description: 'Local host: folder watched for event files (any framing); each file is ingested, then moved to `processed/`.',
  },
  {
    name: 'LURE_DEMO',
    readBy: 'lure',
    description: 'Local host: on first start with no decoys, load the demo decoys and drop the demo scenario into the inbox.',
  },
  { name: 'LURE_LOCAL_TABLE_PORT', readBy: 'lure', description: 'Local host: port of the embedded Azurite Table service (0 picks a free port).' },
  {
    name: 'LURE_EVENTHUB__fullyQualifiedNamespace',
    readBy: 'lure',
    description:
      'Event Hubs namespace, e.g. `<ns>.servicebus.windows.net`: the three triggers read it (identity-based connection), the audit poller and `lure send` write to it with the managed identity (`AZURE_CLIENT_ID`).',
  },
  { name: 'LURE_EVENTHUB__credential', readBy: 'host', description: '`managedidentity` for the trigger connection.' },
  { name: 'LURE_EVENTHUB__clientId', readBy: 'host', description: 'Client id of the user-assigned identity for the trigger connection.' },
  {
    name: 'LURE_TOKEN_CHECK_SCHEDULE',
    readBy: 'host',
    description:
      'NCRONTAB schedule (six fields) of the `resolveTokenChecks` timer, which judges due token checks; the deployment sets `0 * * * * *` (every minute). The local host judges every minute and after each file.',
  },
  {
    name: 'LURE_EVENTHUB_CONNECTION_STRING',
    readBy: 'lure',
    description:
      'Outside Azure (a laptop, a test namespace): an Event Hubs connection string instead of the namespace and an identity, for `lure send` and the audit poller. Never set by the deployment.',
  },
  { name: 'LURE_ENTRA_HUB_NAME', readBy: 'lure', description: 'Event hub carrying Entra diagnostic records (sign-ins, audit, Graph activity).' },
  {
    name: 'LURE_EXCHANGE_HUB_NAME',
    readBy: 'lure',
    description: 'Event hub carrying Exchange audit (Management Activity API records from the poller, or Defender streaming).',
  },
  { name: 'LURE_TOKEN_HUB_NAME', readBy: 'lure', description: 'Event hub carrying TokenObservation records from API gateways.' },
  { name: 'LURE_CONSUMER_GROUP', readBy: 'lure', description: 'Consumer group Lure reads the three hubs with (its own, so other readers are unaffected).' },
  {
    name: 'LURE_LOCAL_CONSUMER_GROUP',
    readBy: 'lure',
    description:
      "Local host: the consumer group `npm start` reads real hubs with. Never the triggers' own: two readers of one group take partitions from each other. The deployment creates it.",
  },
  {
    name: 'LURE_AUDIT_CONTENT_TYPES',
    readBy: 'lure',
    description:
      'Management Activity API content types the `pollAuditContent` timer copies to the Exchange hub; `Audit.SharePoint` is added by itself while a decoy file is registered (list it to poll it always); `none` switches the poller off (for tenants streaming from Defender XDR instead). It runs only with `LURE_TENANT_ID` and an Event Hubs namespace.',
  },
  {
    name: 'LURE_MANAGEMENT_API_HOST',
    readBy: 'lure',
    description:
      "The Management Activity API host; by default the cloud's (`https://manage.office.com`, GCC High `https://manage.office365.us`, DoD `https://manage.protection.apps.mil`). GCC tenants set `https://manage-gcc.office.com`.",
  },
  {
    name: 'LURE_AUDIT_PUBLISHER_ID',
    readBy: 'lure',
    description: 'The `PublisherIdentifier` sent with every Management Activity API call (its throttling quota is counted per publisher).',
  },
  {
    name: 'LURE_AUDIT_LOOKBACK_IN_HOURS',
    readBy: 'lure',
    description: 'Each poll lists the content published this far back again (content arrives late and out of order); content already copied is skipped by id.',
  },
  {
    name: 'AzureWebJobsStorage__blobServiceUri',
    readBy: 'host',
    description:
      "Functions host storage (leases, Event Hubs checkpoints, timers), reached with the managed identity; a URI in the cloud's own suffix, never an account name (from which the Event Hubs extension assumes the public cloud).",
  },
  {
    name: 'AzureWebJobsStorage__queueServiceUri',
    readBy: 'host',
    description: "The same account's queue service URI, so no part of the host guesses a suffix.",
  },
  {
    name: 'AzureWebJobsStorage__tableServiceUri',
    readBy: 'host',
    description: "The same account's table service URI, so no part of the host guesses a suffix.",
  },
  { name: 'AzureWebJobsStorage__credential', readBy: 'host', description: '`managedidentity` for host storage.' },
  { name: 'AzureWebJobsStorage__clientId', readBy: 'host', description: 'Client id of the user-assigned identity for host storage.' },
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', readBy: 'host', description: 'Application Insights the host sends logs and metrics to.' },
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    readBy: 'host',
    description: '`ClientId=<identity client id>;Authorization=AAD`: telemetry is sent with the managed identity (local authentication is off).',
  },
];

const documentedDefaults: Readonly<Record<string, string | undefined>> = { ...DEFAULTS, ...DERIVED_DEFAULTS };

export const SETTINGS: readonly SettingDescription[] = DESCRIBED_SETTINGS.map((setting) => ({
  ...setting,
  defaultValue: (setting.readBy === 'lure' ? documentedDefaults[setting.name] : undefined) ?? '—',
}));

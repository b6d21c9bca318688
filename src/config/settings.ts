/**
 * Every setting Lure or its Functions host reads, with its default and meaning. The README's settings
 * table is checked against this list by a test, so the two cannot drift.
 */
export interface SettingDescription {
  readonly name: string;
  /** The default as written in the README, or `—` when there is none. */
  readonly defaultValue: string;
  readonly description: string;
  /** `lure`: parsed by `loadConfig`; `host`: read by the Azure Functions host from app settings. */
  readonly readBy: 'lure' | 'host';
}

export const SETTINGS: readonly SettingDescription[] = [
  { name: 'LURE_STORE', defaultValue: 'table', readBy: 'lure', description: '`table` (Azure Table Storage or Azurite) or `memory` (state lost on exit; `lure replay` uses it unless told otherwise).' },
  { name: 'LURE_TABLE_SERVICE_URI', defaultValue: '—', readBy: 'lure', description: 'Table endpoint in Azure, e.g. `https://<account>.table.core.windows.net`; reached with the managed identity (`AZURE_CLIENT_ID`).' },
  { name: 'LURE_TABLE_CONNECTION_STRING', defaultValue: '—', readBy: 'lure', description: 'A Table Storage connection string instead (Azurite, development). With neither, `npm start` runs an embedded Azurite.' },
  { name: 'AZURE_CLIENT_ID', defaultValue: '—', readBy: 'lure', description: 'Client id of the user-assigned managed identity Lure runs as (read by `@azure/identity`).' },
  { name: 'LURE_TABLE_PREFIX', defaultValue: 'lure', readBy: 'lure', description: 'Prefix of Lure\'s table names (letters and digits), so instances can share an account.' },
  { name: 'LURE_DEDUPE_BUCKET_IN_MINUTES', defaultValue: '60', readBy: 'lure', description: 'Width of the fixed event-time buckets within which repeated hits of one actor on one decoy fold into one alert.' },
  { name: 'LURE_DECOY_CACHE_REFRESH_IN_SECONDS', defaultValue: '30', readBy: 'lure', description: 'How long the decoy list is cached between store reads; changes made outside Lure show within this time.' },
  { name: 'LURE_SELF_PRINCIPAL_IDS', defaultValue: '—', readBy: 'lure', description: 'Comma-separated object ids and app id of Lure\'s own identity: its reads of decoys are not hits, its unjournaled changes to decoys are critical.' },
  { name: 'LURE_DEAD_LETTER_RETENTION_IN_DAYS', defaultValue: '30', readBy: 'lure', description: 'Dead-lettered records are kept this long, then pruned by the `pruneState` timer.' },
  { name: 'LURE_SILENCE_THRESHOLD_IN_MINUTES', defaultValue: '120', readBy: 'lure', description: 'A source or Entra category that has delivered before and then nothing for this long raises `source.silent` (arrival time).' },
  { name: 'LURE_SILENCE_THRESHOLDS', defaultValue: 'exchange=360,token=1440,ManagedIdentitySignInLogs=1440,MicrosoftServicePrincipalSignInLogs=720,ADFSSignInLogs=1440', readBy: 'lure', description: 'Thresholds by source or category (`name=minutes`, comma-separated), over the built-in ones listed here.' },
  { name: 'LURE_MAIL_BASELINE_LEARNING_IN_DAYS', defaultValue: '14', readBy: 'lure', description: 'From a mailbox\'s first MailItemsAccessed record, every app reading it is learned silently this long; after, an app never seen for it raises `mail.appId.firstSeen`.' },
  { name: 'LURE_MAIL_BASELINE_MAX_PAIRS', defaultValue: '100', readBy: 'lure', description: 'AppId/ClientAppId pairs kept per mailbox (the least recently seen go first).' },
  { name: 'LURE_ISSUANCE_GRACE_IN_MINUTES', defaultValue: '120', readBy: 'lure', description: 'How long after a token was issued (event time) its sign-in record may still arrive before an unissued use raises `token.issuance.missing`.' },
  { name: 'LURE_MAX_TOKEN_LIFETIME_IN_HOURS', defaultValue: '28', readBy: 'lure', description: 'The longest-lived token (CAE access tokens live up to 28 hours; at least 28): a use with no issue time may carry a token this old.' },
  { name: 'LURE_TOKEN_INDEX_RETENTION_IN_HOURS', defaultValue: '72', readBy: 'lure', description: 'How long token issuances stay in the index; at least lifetime plus grace. Exchange audit arrives hours late: keep a margin for it.' },
  { name: 'LURE_ISSUANCE_GATING_CATEGORIES', defaultValue: 'SignInLogs,NonInteractiveUserSignInLogs,ServicePrincipalSignInLogs', readBy: 'lure', description: 'Sign-in categories whose progress must pass a check\'s due time before it is judged (those of them that have delivered). Every category is indexed; list here only the ones that flow steadily.' },
  { name: 'LURE_ISSUANCE_MODE_GRAPH', defaultValue: 'alert', readBy: 'lure', description: 'Graph token uses: `alert`, `shadow` (judge and count matches, raise nothing) or `off`.' },
  { name: 'LURE_ISSUANCE_MODE_EXCHANGE', defaultValue: 'shadow', readBy: 'lure', description: 'Exchange token uses (`AppAccessContext.UniqueTokenId`): `shadow` until your match rate shows they line up with sign-in logs, then `alert`.' },
  { name: 'LURE_ISSUANCE_MODE_TOKEN', defaultValue: 'off', readBy: 'lure', description: 'Token observations carrying `uti`: off by default, as a gateway may see tokens issued to other tenants.' },
  { name: 'LURE_ISSUANCE_ALLOWLIST_APP_IDS', defaultValue: '—', readBy: 'lure', description: 'More app ids (comma-separated) whose uses are never judged, beyond the built-in first-party list.' },
  { name: 'LURE_ISSUANCE_JUDGE_APP_IDS', defaultValue: '—', readBy: 'lure', description: 'Built-in first-party app ids to judge after all (once shadow stats show their uses match).' },
  { name: 'LURE_ISSUANCE_CACHE_SIZE', defaultValue: '100000', readBy: 'lure', description: 'Token ids recently indexed by this instance kept in memory, so a use is matched without a store round trip.' },
  { name: 'LURE_TENANT_ID', defaultValue: '—', readBy: 'lure', description: 'The organisation tenant Lure protects. With it, the `refreshSigningKeys` timer fetches the tenant\'s, the consumer and configured apps\' signing keys; without it, keys come only from `lure replay --jwks` files.' },
  { name: 'LURE_CLOUD', defaultValue: 'public', readBy: 'lure', description: '`public`, `usgov` (GCC High, L4), `usgovdod` (L5) or `china`: where keys are published, which token issuers are Entra\'s, and which Graph manages decoys.' },
  { name: 'LURE_GRAPH_HOST', defaultValue: '—', readBy: 'lure', description: 'Overrides the cloud\'s Graph host (testing): `https://…` only, as the Graph client sends its token over https alone.' },
  { name: 'LURE_GRAPH_TIMEOUT_IN_SECONDS', defaultValue: '30', readBy: 'lure', description: 'Each Graph attempt is abandoned after this long and retried (with 429/5xx, honouring `Retry-After`).' },
  { name: 'LURE_DECOY_USER_DOMAIN', defaultValue: '—', readBy: 'lure', description: 'Domain of the decoy users Lure creates when a request names no UPN (a verified domain of the tenant).' },
  { name: 'LURE_DECOY_JOB_TITLES', defaultValue: 'Backup Operator/IT Operations,Payroll Specialist/Finance,Service Desk Lead/IT Operations,Treasury Analyst/Finance,Systems Engineer/Infrastructure', readBy: 'lure', description: 'Job title/department pairs (comma-separated) decoy users are given at random, with a name from the built-in lists.' },
  { name: 'LURE_DECOY_KEPT_SECRETS', defaultValue: '2', readBy: 'lure', description: 'Client-secret generations kept on a decoy app, current included: 2 keeps the previous one, so a lure planted last week still works and attributes.' },
  { name: 'LURE_DECOY_KEPT_MESSAGES', defaultValue: '1', readBy: 'lure', description: 'Decoy messages kept per mail decoy (1–3), current included; rotation removes the oldest beyond it.' },
  { name: 'LURE_DECOY_SECRET_LIFETIME_IN_DAYS', defaultValue: '365', readBy: 'lure', description: 'Expiry of the client secrets Lure adds to decoy apps.' },
  { name: 'LURE_DECOY_ROTATION_JITTER_PERCENT', defaultValue: '10', readBy: 'lure', description: 'A decoy rotates after its interval plus up to this share of it, at random, so rotations never line up.' },
  { name: 'LURE_DECOY_MAIL_FOLDER', defaultValue: 'IT Archive', readBy: 'lure', description: 'Folder (under the mailbox root; created if missing) for decoy messages when a request names none. It must hold nothing but decoys.' },
  { name: 'LURE_JOURNAL_RETENTION_IN_DAYS', defaultValue: '30', readBy: 'lure', description: 'Finished rotation-journal entries are kept this long (at least 7): late audit records of Lure\'s own changes must still find theirs.' },
  { name: 'LURE_AUTHORITY_HOST', defaultValue: '—', readBy: 'lure', description: 'Overrides the cloud\'s login host for key sets and v2 issuers (testing, private clouds).' },
  { name: 'LURE_KEY_APP_IDS', defaultValue: '—', readBy: 'lure', description: 'App ids (comma-separated) whose own signing keys (`…/discovery/keys?appid=`) are fetched too.' },
  { name: 'LURE_KEY_RETIREMENT_GRACE_IN_HOURS', defaultValue: '48', readBy: 'lure', description: 'A key missing from its set\'s fetches for longer than this is retired (the published sets flap between fetches).' },
  { name: 'LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS', defaultValue: '72', readBy: 'lure', description: 'A token signed by a key retired longer than this before the token was seen raises `token.signingKey.anomalous`.' },
  { name: 'LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES', defaultValue: '10', readBy: 'lure', description: 'A token naming an unknown key triggers a refresh of the key sets at most this often.' },
  { name: 'LURE_DATA_DIR', defaultValue: '.lure', readBy: 'lure', description: 'Local host (`npm start`): where the embedded Azurite keeps its data. Git ignores `.lure/`.' },
  { name: 'LURE_INBOX_DIR', defaultValue: '`<LURE_DATA_DIR>/inbox`', readBy: 'lure', description: 'Local host: folder watched for event files (any framing); each file is ingested, then moved to `processed/`.' },
  { name: 'LURE_DEMO', defaultValue: 'true', readBy: 'lure', description: 'Local host: on first start with no decoys, load the demo decoys and drop the demo scenario into the inbox.' },
  { name: 'LURE_LOCAL_TABLE_PORT', defaultValue: '0', readBy: 'lure', description: 'Local host: port of the embedded Azurite Table service (0 picks a free port).' },
  { name: 'LURE_EVENTHUB__fullyQualifiedNamespace', defaultValue: '—', readBy: 'host', description: 'Event Hubs namespace the three triggers read, e.g. `<ns>.servicebus.windows.net` (identity-based connection).' },
  { name: 'LURE_EVENTHUB__credential', defaultValue: '—', readBy: 'host', description: '`managedidentity` for the trigger connection.' },
  { name: 'LURE_EVENTHUB__clientId', defaultValue: '—', readBy: 'host', description: 'Client id of the user-assigned identity for the trigger connection.' },
  { name: 'LURE_ENTRA_HUB_NAME', defaultValue: '—', readBy: 'host', description: 'Event hub carrying Entra diagnostic records (sign-ins, audit, Graph activity).' },
  { name: 'LURE_EXCHANGE_HUB_NAME', defaultValue: '—', readBy: 'host', description: 'Event hub carrying Exchange audit (Management Activity API records or Defender streaming).' },
  { name: 'LURE_TOKEN_HUB_NAME', defaultValue: '—', readBy: 'host', description: 'Event hub carrying TokenObservation records from API gateways.' },
  { name: 'LURE_CONSUMER_GROUP', defaultValue: '—', readBy: 'host', description: 'Consumer group Lure reads the three hubs with (its own, so other readers are unaffected).' },
];

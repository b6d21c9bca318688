import type { HubName } from '../domain/streams.js';
import type { LifecycleSettings } from '../domain/lifecycle.js';
import type { IssuanceMode } from '../correlation/tokenIssuance.js';
import type { ChannelName } from '../domain/delivery.js';
import type { Severity } from '../domain/alerts.js';
import type { EntraSignInCategory } from '../domain/events.js';
import type { TokenUseSource } from '../domain/tokens.js';
import type { CloudName } from '../keys/clouds.js';

/** How to reach Table Storage, when it is the store. */
export type TableSettings = { readonly connectionString: string } | { readonly serviceUri: string; readonly managedIdentityClientId?: string };

/** Lure's configuration: parsed once from the environment, validated, frozen. Nothing reads `process.env` after. */
export interface Config {
  readonly store: 'table' | 'memory';
  /** How log lines are written: JSON lines (Azure, log collectors) or plain text for a person. */
  readonly logFormat: 'json' | 'human';
  /** Undefined when no Table settings are given: the local host then runs an embedded Azurite. */
  readonly table?: TableSettings;
  readonly tablePrefix: string;
  readonly dedupeBucketInMinutes: number;
  readonly decoyCacheRefreshInSeconds: number;
  /** Lower-cased. */
  readonly selfPrincipalIds: readonly string[];
  /** Dead letters older than this are pruned. */
  readonly deadLetterRetentionInDays: number;
  /** Alerts and incidents are kept this long after their evidence. */
  readonly alertRetentionInDays: number;
  readonly silence: {
    readonly defaultThresholdInMinutes: number;
    /** Thresholds by stream (`SignInLogs`) or source (`exchange`), in minutes. */
    readonly thresholds: ReadonlyMap<string, number>;
    /** Streams (`category:SignInLogs`, `source:exchange`) that must deliver even if they never have. */
    readonly expected: readonly string[];
    /** How long an expected stream may stay without its first record, from when Lure began expecting it. */
    readonly firstDeliveryGraceInHours: number;
  };
  readonly mailBaseline: {
    /** From a mailbox's first MailItemsAccessed record, how long every reading app is learned silently. */
    readonly learningInDays: number;
    /** App pairs kept per mailbox; the least recently seen go first. */
    readonly maxPairs: number;
  };
  readonly issuance: {
    /** How long after a token's issue time its sign-in record may arrive; the most the adaptive grace grows to. */
    readonly graceInMinutes: number;
    /**
     * The grace that follows the lateness the sign-in streams show: `factor` × the `quantile` of it, never
     * below `minGraceInMinutes`, once a stream has shown `historyRecords` records (else `graceInMinutes`).
     */
    readonly adaptive: { readonly minGraceInMinutes: number; readonly factor: number; readonly quantile: number; readonly historyRecords: number };
    /** The longest a token lives (CAE access tokens: 28 hours); uses without `iat` may be this old. */
    readonly maxTokenLifetimeInHours: number;
    /** How long issuances stay indexed; never shorter than lifetime + grace. */
    readonly indexRetentionInHours: number;
    /** Sign-in categories whose progress gates judgement (those that have delivered). */
    readonly gatingCategories: readonly EntraSignInCategory[];
    readonly modes: Readonly<Record<TokenUseSource, IssuanceMode>>;
    /** Lower-cased app ids whose uses are never judged (built-in first-party list, adjusted by settings). */
    readonly unjudgedAppIds: readonly string[];
    /** Recently indexed token ids kept in memory, to match uses without a store round trip. */
    readonly cacheSize: number;
  };
  readonly signing: {
    readonly cloud: CloudName;
    /** Where keys are published and which host v2 tokens' `iss` names (overridable for tests). */
    readonly authorityHost: string;
    readonly v1IssuerHost: string;
    /** The organisation tenant; without it no key set is fetched (keys come only from files). */
    readonly tenantId?: string;
    readonly appIds: readonly string[];
    readonly retirementGraceInHours: number;
    readonly retiredAlertAfterInHours: number;
    readonly refreshMinIntervalInMinutes: number;
  };
  /** Decoy lifecycles through Microsoft Graph. */
  readonly lifecycle: LifecycleSettings;

  /** Where alerts go, and how much of them. */
  readonly delivery: {
    /** A Power Automate Workflows "when a Teams webhook request is received" URL (a secret: it carries `sig=`). */
    readonly teams?: { readonly url: string };
    /** Sent through Graph `sendMail` from this mailbox. */
    readonly email?: { readonly sender: string; readonly recipients: readonly string[] };
    /** Every alert, signed with HMAC-SHA256 under `secret`. */
    readonly webhook?: { readonly url: string; readonly secret: string };
    /** Every alert, at each revision, as a row of `LureAlerts_CL` through the Logs Ingestion API, as Lure's identity. */
    readonly sentinel?: { readonly endpoint: string; readonly ruleId: string; readonly stream: string };
    readonly minSeverity: Readonly<Record<ChannelName, Severity>>;
    /** After an incident is posted, later alerts in it post one follow-up per window at most. */
    readonly updateWindowInMinutes: number;
    /** More notifications than this for a channel in one minute are sent as one digest. */
    readonly digestThresholdPerMinute: number;
    readonly maxAttempts: number;
    readonly timeoutInSeconds: number;
    readonly ratesPerSecond: Readonly<Record<ChannelName, number>>;
    /** Alerts whose actor matches are recorded but never notified. */
    readonly ignore: { readonly ips: readonly string[]; readonly userAgents: readonly string[]; readonly appIds: readonly string[] };
    /** Running in Azure Functions: destinations must be https, and the webhook may not point at a private address. */
    readonly inAzure: boolean;
    readonly retentionInDays: number;
  };
  /** The three Event Hubs: where the audit poller and `lure send` write, and what the triggers read. */
  readonly eventHubs: {
    /** `<ns>.servicebus.windows.net`, reached with the managed identity (`AZURE_CLIENT_ID`). */
    readonly namespace?: string;
    /** Outside Azure: a connection string instead. */
    readonly connectionString?: string;
    readonly hubs: Readonly<Record<HubName, string>>;
    readonly consumerGroup: string;
    /** What the local host reads with: never the triggers' group. */
    readonly localConsumerGroup: string;
  };
  /** The Management Activity API poller (Exchange and Entra audit into the Exchange hub). */
  readonly auditPoller: {
    /** Empty: the poller is off. */
    readonly contentTypes: readonly string[];
    /** Undefined when the cloud has no default (China) and none is set: the poller is off. */
    readonly host?: string;
    readonly publisherId?: string;
    readonly lookbackInHours: number;
  };
  /** The admin API: who may call it. */
  readonly api: {
    /** The API app registration's client id; without it (and LURE_TENANT_ID) the API refuses every call in Azure. */
    readonly clientId?: string;
    /** Accepted token audiences: the client id and the app id URI. */
    readonly audiences: readonly string[];
    /** Clients whose delegated tokens (a person's, with `scp`) are accepted, lower-cased: the configured ones and the API's own (the console). */
    readonly delegatedClientIds: readonly string[];
    /** Audit-trail entries are kept this long. */
    readonly auditRetentionInDays: number;
  };
  readonly local: {
    /** The local host serves the admin API on 127.0.0.1 at this port (0: any free port). */
    readonly apiPort: number;
    readonly dataDir: string;
    readonly inboxDir: string;
    /** How long an inbox file's size must hold before it is read. */
    readonly inboxSettleInMs: number;
    readonly demo: boolean;
    readonly tablePort: number;
  };
}

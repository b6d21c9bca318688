import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { GraphDirectory } from '../adapters/graph/graphDirectory.js';
import { HttpKeySource } from '../adapters/httpKeySource.js';
import { consoleLogger } from '../adapters/consoleLogger.js';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/loadConfig.js';
import { CLOUDS } from '../keys/clouds.js';
import type { Decoy } from '../domain/decoys.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Directory } from '../ports/directory.js';
import { isSelfActor } from '../detections/decoyFinding.js';
import { DecoyLifecycles } from '../app/decoys/decoyLifecycles.js';
import type { AlertFolding, DeliverAlerts } from '../app/persistAlerts.js';
import { rotateDecoys, type RotateDecoysReport } from '../app/decoys/rotateDecoys.js';
import { AlertDelivery, type DeliveryReport } from '../app/delivery/alertDelivery.js';
import { EmailChannel, TeamsChannel, WebhookChannel } from '../adapters/httpChannels.js';
import { SentinelChannel } from '../adapters/sentinelChannel.js';
import type { AlertChannel } from '../ports/alertChannel.js';
import type { ChannelName } from '../domain/delivery.js';
import { DecoyRegistry } from '../app/decoys/decoyRegistry.js';
import { importDecoys, registerDecoy } from '../app/decoys/decoyRegistration.js';
import { type Ingest, ingestMessages } from '../app/ingest.js';
import { type KeyRefreshReport, KeyRegistry } from '../app/keyRegistry.js';
import { MailBaselineTracker } from '../app/mailBaselineTracker.js';
import { type SourceCheckReport, StreamTracker } from '../app/streamTracker.js';
import { type PruneReport, pruneState } from '../app/pruneState.js';
import { AuditPoller, type AuditPollReport } from '../app/auditPoller.js';
import { ManagementActivityApi } from '../adapters/managementActivityApi.js';
import { realSleep } from '../adapters/retries.js';
import { EventHubPublisher } from '../adapters/eventHubPublisher.js';
import type { AuditFeed } from '../ports/auditFeed.js';
import type { EventPublisher } from '../ports/eventPublisher.js';
import { type TokenResolveReport, TokenTracker } from '../app/tokenTracker.js';
import type { StateStore } from '../ports/store/stateStore.js';
import { memoryStateStore } from '../adapters/memory/memoryStateStore.js';
import { connectTableStateStore } from '../adapters/tables/tableStateStore.js';

/** Everything a trigger, the local host or the CLI needs, built once from the configuration. */
export interface Services {
  readonly config: Config;
  readonly store: StateStore;
  readonly decoys: DecoyRegistry;
  readonly tokens: TokenTracker;
  readonly signingKeys: KeyRegistry;
  /** Creates, rotates and retires decoys in the tenant. */
  readonly lifecycles: DecoyLifecycles;
  /** Sends alerts to Teams, e-mail and the webhook through the outbox. */
  readonly delivery: AlertDelivery;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `LURE_EXPECTED_SOURCES`, as streams (`category:SignInLogs`). */
  readonly expectedStreams: readonly string[];
  /** Runs messages through the pipeline (see `ingestMessages`). */
  readonly ingest: Ingest;
  /** Judges pending token checks (see `TokenTracker.resolve`). */
  resolveTokenChecks(options?: { readonly force?: boolean }): Promise<TokenResolveReport>;
  /** Fetches the published signing keys (see `KeyRegistry.refresh`). */
  refreshSigningKeys(): Promise<KeyRefreshReport>;
  /** Raises or clears `source.silent` (see `StreamTracker.check`). */
  checkSources(): Promise<SourceCheckReport>;
  /** The delivery timer's run: every outbox entry whose next attempt is due (see `AlertDelivery.deliverDue`). */
  deliverAlerts(): Promise<DeliveryReport>;
  /** The rotation timer's run (see `DecoyLifecycles.rotateDue`); hand-planted decoys that fall due raise `decoy.rotation.due`. */
  rotateDecoys(): Promise<RotateDecoysReport>;
  /** Drops what is past its retention (see `pruneState`). */
  prune(): Promise<PruneReport>;
  /**
   * The audit poller's run (see `AuditPoller.poll`): the Management Activity API into the Exchange hub. Off
   * (`skipped` says why) without a tenant, content types, the API host or an Event Hubs namespace.
   */
  pollAuditContent(): Promise<AuditPollReport | { readonly skipped: string }>;
  /** Where events are published (the audit poller, `lure send`); undefined without Event Hubs settings. */
  readonly publisher: EventPublisher | undefined;
  /** Adds or replaces decoys, refusing any that would share an id or identifier with another (see `importDecoys`). */
  importDecoys(decoys: readonly Decoy[]): Promise<void>;
  /** Adds one new decoy, atomically refusing a taken id or identifier (see `registerDecoy`). */
  registerDecoy(decoy: Decoy): Promise<void>;
}

export interface ServiceOverrides {
  readonly store?: StateStore;
  /** The tenant's directory (tests: a Graph adapter pointed at a fake); by default Graph with the managed identity, when LURE_TENANT_ID is set. */
  readonly directory?: Directory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How delivery waits to keep a channel under its rate (tests need not wait). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The Management Activity API (tests: a client pointed at a fake). */
  readonly auditFeed?: AuditFeed;
  /** Where events go (tests: a fake hub). */
  readonly publisher?: EventPublisher;
  /** Lure's own identity for Azure Monitor (tests: a client credential on a fake login host); by default `identityOf(config)`. */
  readonly identity?: TokenCredential;
}

/** The composition root: the one place adapters are chosen and wired. */
export async function buildServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? consoleLogger({ format: config.logFormat });
  const store = overrides.store ?? (await createStore(config));
  const decoys = new DecoyRegistry(store, clock, config.decoyCacheRefreshInSeconds * 1000);
  const selfPrincipalIds = new Set(config.selfPrincipalIds);
  const { signing } = config;
  const directory = overrides.directory ?? (signing.tenantId === undefined ? undefined : graphDirectoryOf(config));
  const delivery = new AlertDelivery({
    store,
    channels: channelsOf(config, directory, clock, overrides.identity),
    clock,
    settings: config.delivery,
    cloud: signing.cloud,
    logger,
    sleep: overrides.sleep ?? realSleep,
  });
  const folding: AlertFolding = { dedupeBucketInMinutes: config.dedupeBucketInMinutes };
  const deliver: DeliverAlerts = (alerts, changed) => delivery.notify(alerts, changed);
  const tokens = new TokenTracker(store, config.issuance, clock, folding, deliver);
  const keySource =
    signing.tenantId === undefined
      ? undefined
      : new HttpKeySource({ authorityHost: signing.authorityHost, tenantId: signing.tenantId, appIds: signing.appIds, clock });
  const signingKeys = new KeyRegistry(store, keySource, clock, {
    retirementGraceInHours: signing.retirementGraceInHours,
    refreshMinIntervalInMinutes: signing.refreshMinIntervalInMinutes,
    cacheRefreshInMs: config.decoyCacheRefreshInSeconds * 1000,
  });
  const mailBaselines = new MailBaselineTracker(store, { ...config.mailBaseline, cachedMailboxes: 50_000 }, (event) =>
    isSelfActor(event.actor, selfPrincipalIds),
  );
  const streams = new StreamTracker(store, config.silence, clock, folding, deliver);
  const lifecycles = new DecoyLifecycles({
    store,
    directory,
    clock,
    settings: config.lifecycle,
    ...(signing.tenantId === undefined ? {} : { tenantId: signing.tenantId }),
    selfPrincipalIds: config.selfPrincipalIds,
    logger,
    decoysChanged: () => decoys.invalidate(),
  });
  const publisher = overrides.publisher ?? publisherOf(config);
  const auditFeed = overrides.auditFeed ?? auditFeedOf(config);
  const auditPoller =
    auditFeed === undefined || publisher === undefined || config.auditPoller.contentTypes.length === 0
      ? undefined
      : new AuditPoller({
          store,
          feed: auditFeed,
          publisher,
          hub: config.eventHubs.hubs.exchange,
          clock,
          settings: config.auditPoller,
          fileDecoysExist: async () => (await decoys.current()).decoys.some((decoy) => decoy.kind === 'file'),
          logger,
        });
  const issuers = { authorityHost: signing.authorityHost, v1IssuerHost: signing.v1IssuerHost, retiredAlertAfterInHours: signing.retiredAlertAfterInHours };
  return {
    config,
    store,
    decoys,
    tokens,
    signingKeys,
    lifecycles,
    delivery,
    clock,
    logger,
    ingest: (messages, origin, callLogger, options) =>
      ingestMessages(
        { store, decoys, tokens, mailBaselines, streams, signingKeys, issuers, clock, logger: callLogger ?? logger, folding, deliver, selfPrincipalIds },
        messages,
        origin,
        options,
      ),
    refreshSigningKeys: () => signingKeys.refresh(),
    expectedStreams: config.silence.expected,
    checkSources: () => streams.check(),
    resolveTokenChecks: (options) => tokens.resolve({ force: options?.force ?? false }),
    prune: () => pruneState(store, config, clock),
    deliverAlerts: () => delivery.deliverDue(),
    publisher,
    pollAuditContent: async () => auditPoller?.poll() ?? { skipped: auditPollerOffBecause(config, auditFeed, publisher) },
    rotateDecoys: () => rotateDecoys({ lifecycles, store, folding, deliver, clock, logger }),
    importDecoys: (incoming) => importDecoys(store, incoming, () => decoys.invalidate()),
    registerDecoy: (decoy) => registerDecoy(store, decoy, () => decoys.invalidate()),
  };
}

/** The channels the settings configure. E-mail goes through Graph, so it needs the tenant's directory. */
function channelsOf(
  config: Config,
  directory: Directory | undefined,
  clock: Clock,
  identity: TokenCredential | undefined,
): Partial<Record<ChannelName, AlertChannel>> {
  const { delivery, signing } = config;
  const timeoutInMs = delivery.timeoutInSeconds * 1000;
  if (delivery.email !== undefined && directory === undefined)
    throw new RangeError('setting LURE_EMAIL_SENDER: e-mail is sent through Graph, which needs LURE_TENANT_ID');
  return {
    ...(delivery.teams === undefined ? {} : { teams: new TeamsChannel({ url: delivery.teams.url, timeoutInMs, refusePrivateAddresses: delivery.inAzure }) }),
    ...(delivery.email === undefined || directory === undefined
      ? {}
      : { email: new EmailChannel({ directory, sender: delivery.email.sender, recipients: delivery.email.recipients }) }),
    ...(delivery.webhook === undefined
      ? {}
      : {
          webhook: new WebhookChannel({
            url: delivery.webhook.url,
            secret: delivery.webhook.secret,
            timeoutInMs,
            refusePrivateAddresses: delivery.inAzure,
            clock,
          }),
        }),
    ...(delivery.sentinel === undefined
      ? {}
      : {
          sentinel: new SentinelChannel({
            destination: { ...delivery.sentinel, audience: CLOUDS[signing.cloud].monitorAudience },
            credential: identity ?? identityOf(config),
            cloud: signing.cloud,
            ...(signing.tenantId === undefined ? {} : { tenantId: signing.tenantId }),
            timeoutInMs,
          }),
        }),
  };
}

/** Event Hubs with the managed identity in Azure, or a connection string elsewhere; none without either. */
function publisherOf(config: Config): EventPublisher | undefined {
  const { eventHubs } = config;
  if (eventHubs.connectionString !== undefined) return new EventHubPublisher({ connectionString: eventHubs.connectionString });
  if (eventHubs.namespace === undefined) return undefined;
  return new EventHubPublisher({ namespace: eventHubs.namespace, credential: identityOf(config) });
}

/** The Management Activity API of the cloud, as Lure's identity; none without a tenant or a host. */
function auditFeedOf(config: Config): AuditFeed | undefined {
  const { auditPoller, signing } = config;
  if (signing.tenantId === undefined || auditPoller.host === undefined || auditPoller.publisherId === undefined) return undefined;
  return new ManagementActivityApi({
    host: auditPoller.host,
    tenantId: signing.tenantId,
    publisherId: auditPoller.publisherId,
    credential: identityOf(config),
  });
}

function auditPollerOffBecause(config: Config, feed: AuditFeed | undefined, publisher: EventPublisher | undefined): string {
  if (config.auditPoller.contentTypes.length === 0) return 'LURE_AUDIT_CONTENT_TYPES is none';
  if (config.signing.tenantId === undefined) return 'no LURE_TENANT_ID';
  if (feed === undefined) return 'no Management Activity API host for this cloud (set LURE_MANAGEMENT_API_HOST)';
  if (publisher === undefined) return 'no Event Hubs namespace (LURE_EVENTHUB__fullyQualifiedNamespace)';
  return 'off';
}

/** Lure's own identity: the user-assigned managed identity in Azure, any `DefaultAzureCredential` source locally. */
export function identityOf(config: Config): TokenCredential {
  return credentialOf(config, config.table !== undefined && 'managedIdentityClientId' in config.table ? config.table.managedIdentityClientId : undefined);
}

/** `DefaultAzureCredential` on the cloud's login host, as a given user-assigned identity when there is one. */
function credentialOf(config: Config, managedIdentityClientId: string | undefined): TokenCredential {
  return new DefaultAzureCredential({
    authorityHost: config.signing.authorityHost,
    // A login host other than the cloud's own (a test double) cannot be validated against Microsoft's list.
    disableInstanceDiscovery: config.signing.authorityHost !== CLOUDS[config.signing.cloud].authorityHost,
    ...(managedIdentityClientId === undefined ? {} : { managedIdentityClientId }),
  });
}

/**
 * Graph as whoever runs `lure setup` (`DefaultAzureCredential`: an administrator's `az login` on a laptop),
 * for the tenant steps Lure itself must not be able to take.
 */
export function tenantAdministrationOf(config: Config): GraphDirectory {
  return new GraphDirectory({
    baseUrl: config.lifecycle.graphBaseUrl,
    credential: credentialOf(config, undefined),
    timeoutInMs: config.lifecycle.graphTimeoutInSeconds * 1000,
  });
}

/** Graph of the configured cloud, with the managed identity in Azure (any `DefaultAzureCredential` source locally). */
function graphDirectoryOf(config: Config): Directory {
  return new GraphDirectory({
    baseUrl: config.lifecycle.graphBaseUrl,
    credential: identityOf(config),
    timeoutInMs: config.lifecycle.graphTimeoutInSeconds * 1000,
  });
}

async function createStore(config: Config): Promise<StateStore> {
  if (config.store === 'memory') return memoryStateStore();
  const table = config.table;
  if (table === undefined) {
    throw new RangeError('setting LURE_TABLE_SERVICE_URI: set it (or LURE_TABLE_CONNECTION_STRING), or use `npm start`, which embeds Azurite');
  }
  return connectTableStateStore({
    tablePrefix: config.tablePrefix,
    connection:
      'connectionString' in table
        ? table
        : { serviceUri: table.serviceUri, credential: new DefaultAzureCredential({ managedIdentityClientId: table.managedIdentityClientId }) },
  });
}

let shared: Promise<Services> | undefined;

/** The services of this process: built on first use from `process.env`, unless `useServices` set them. */
export function getServices(): Promise<Services> {
  shared ??= buildServices(loadConfig(process.env)).catch((error: unknown) => {
    // A failed start (say, the store unreachable) must not be cached: the next invocation tries again.
    shared = undefined;
    throw error;
  });
  return shared;
}

/** Installs the services triggers use: the local host's (embedded Azurite), or a test's. */
export function useServices(services: Services | undefined): void {
  shared = services === undefined ? undefined : Promise.resolve(services);
}

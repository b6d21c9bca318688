import { odata, type TableEntity, TableClient, type TableServiceClientOptions, type TableTransactionResponse, type TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { Incident, StoredAlert } from '../domain/alerts.js';
import type { Decoy } from '../domain/decoys.js';
import type { DecoyLifecycle, JournalEntry } from '../domain/lifecycle.js';
import type { OutboxEntry } from '../domain/delivery.js';
import { parseDecoy } from '../decoys/parseDecoys.js';
import type { KeySetFetch, SigningKey } from '../domain/signingKeys.js';
import type { AuditEntry } from '../domain/audit.js';
import type { AuditFeedState, CopiedAuditContent } from '../domain/auditFeed.js';
import type { HubCheckpoint, HubPartitionOwnership, HubScope, StreamArrival, StreamCount, StreamState } from '../domain/streams.js';
import type { EventSource } from '../domain/events.js';
import type { IssuanceLookup, PendingTokenCheck, SignInProgress, TokenIssuance, TokenMatchCount, TokenUseSource } from '../domain/tokens.js';
import { encodeKey, fromChunks, toChunks } from './tableKeys.js';
import type { MailAppBaseline } from '../domain/mailBaselines.js';
import type { DeadLetter } from '../domain/deadLetters.js';
import { ConcurrencyError, type Versioned } from '../ports/store/versioned.js';
import { MAX_DECOYS_PER_WRITE } from '../ports/store/decoyStore.js';
import type { AlertFilter } from '../ports/store/alertStore.js';
import type { StateStore } from '../ports/store/stateStore.js';
import { checkKeyOf, dueBucketOf, issuanceHourOf, issuanceHoursBetween, sumMatchCounts } from './storeSchemes.js';

/** How to reach Table Storage: a connection string (Azurite, local) or an endpoint and an Entra credential (Azure). */
export type TableConnection =
  | { readonly connectionString: string }
  | { readonly serviceUri: string; readonly credential: TokenCredential };

export interface TableStateStoreOptions {
  readonly connection: TableConnection;
  /** Prefix of every table name, so several Lure instances can share an account. */
  readonly tablePrefix: string;
  /** Retries of transient failures (throttling, 5xx, network) inside the SDK, with exponential backoff honouring Retry-After. */
  readonly retry?: { readonly maxRetries?: number; readonly retryDelayInMs?: number; readonly maxRetryDelayInMs?: number };
  /** Called once per HTTP request sent to Table Storage (retries included): for counting round trips. */
  readonly onRequest?: () => void;
}

const TABLE_SUFFIXES = {
  decoys: 'Decoys',
  alerts: 'Alerts',
  deadLetters: 'DeadLetters',
  tokenIssuances: 'TokenIssuances',
  tokenChecks: 'TokenChecks',
  signInProgress: 'SignInProgress',
  tokenMatches: 'TokenMatches',
  signingKeys: 'SigningKeys',
  mailBaselines: 'MailBaselines',
  incidents: 'Incidents',
  incidentKeys: 'IncidentKeys',
  streams: 'Streams',
  lifecycles: 'Lifecycles',
  outbox: 'Outbox',
  audit: 'Audit',
  auditFeed: 'AuditFeed',
  hubCheckpoints: 'HubCheckpoints',
  streamCounts: 'StreamCounts',
} as const;
type TableName = keyof typeof TABLE_SUFFIXES;

/** Entity group transactions take at most 100 entities, all in one partition. */
const MAX_TRANSACTION_SIZE = 100;
/** A pipeline policy of the Table client, as its options type it. */
type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

const DECOY_PARTITION = 'decoy';
/** The row whose ETag is the decoy registry's version (decoy rows are `b…`/`h…`, so it cannot clash). */
const REGISTRY_VERSION_ROW = 'version';
const KEY_PARTITION = 'key';
const BASELINE_ROW = 'baseline';
const STREAM_PARTITION = 'stream';
const FETCH_PARTITION = 'fetch';
const LIFECYCLE_PARTITION = 'lifecycle';
const JOURNAL_PARTITION = 'journal';
const FEED_STATE_PARTITION = 'state';
/** A filter may hold at most 15 comparisons: one for the partition, fourteen token ids. */
const ROW_KEYS_PER_QUERY = 14;
/** Attempts at a forward-only progress update racing another writer. */
const MAX_PROGRESS_ATTEMPTS = 8;

/**
 * The state store over Azure Table Storage (`@azure/data-tables`): Azurite locally and in tests, a
 * storage account with a managed identity in Azure. Keys are encoded (`encodeKey`); documents are JSON
 * split into chunks; alerts use ETags for optimistic concurrency; dead letters are written in batches.
 */
export class TableStateStore implements StateStore {
  private constructor(private readonly tables: Readonly<Record<TableName, TableClient>>) {}

  /** Connects and creates the tables if they do not exist yet. */
  static async connect(options: TableStateStoreOptions): Promise<TableStateStore> {
    const counting: PipelinePolicy | undefined = options.onRequest && {
      name: 'lureRequestCounter',
      sendRequest: (request, next) => {
        options.onRequest!();
        return next(request);
      },
    };
    const clientOptions: TableServiceClientOptions = {
      retryOptions: { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 30_000, ...options.retry },
      ...(counting === undefined ? {} : { additionalPolicies: [{ policy: counting, position: 'perRetry' as const }] }),
    };
    const connection = options.connection;
    const client = (name: TableName): TableClient => {
      const tableName = `${options.tablePrefix}${TABLE_SUFFIXES[name]}`;
      if ('connectionString' in connection) {
        return TableClient.fromConnectionString(connection.connectionString, tableName, {
          ...clientOptions,
          allowInsecureConnection: connection.connectionString.includes('http://'),
        });
      }
      return new TableClient(connection.serviceUri, tableName, connection.credential, clientOptions);
    };
    const tables = Object.fromEntries(Object.keys(TABLE_SUFFIXES).map((name) => [name, client(name as TableName)])) as Record<TableName, TableClient>;
    await Promise.all(Object.values(tables).map((table) => table.createTable()));
    return new TableStateStore(tables);
  }

  async listDecoys(): Promise<Decoy[]> {
    const decoys: Decoy[] = [];
    for await (const entity of this.tables.decoys.listEntities<Record<string, unknown>>()) {
      if (entity.rowKey === REGISTRY_VERSION_ROW) continue;
      decoys.push(parseDecoy(JSON.parse(fromChunks('doc', entity))));
    }
    return decoys;
  }

  async getDecoyRegistry(): Promise<Versioned<readonly Decoy[]>> {
    // The version first: a write after this read changes it, so the list (read after) can only be newer.
    const version = (await getOrUndefined(this.tables.decoys, DECOY_PARTITION, REGISTRY_VERSION_ROW)) ?? (await this.createRegistryVersion());
    return { value: await this.listDecoys(), etag: version.etag };
  }

  async upsertDecoys(decoys: readonly Decoy[], version: string): Promise<string> {
    if (decoys.length > MAX_DECOYS_PER_WRITE) throw new RangeError(`at most ${MAX_DECOYS_PER_WRITE} decoys at a time`);
    const actions: TransactionAction[] = decoys.map((decoy) => ['upsert', decoyEntityOf(decoy), 'Replace']);
    actions.push(['update', registryVersionEntity(), 'Replace', { etag: version }]);
    try {
      return etagOfAction(await this.tables.decoys.submitTransaction(actions), actions.length - 1);
    } catch (error) {
      if (statusCodeOf(error) === 412 || statusCodeOf(error) === 404) throw new ConcurrencyError('the decoy registry changed since it was read');
      throw error;
    }
  }

  async getDecoy(id: string): Promise<Versioned<Decoy> | undefined> {
    const entity = await getOrUndefined(this.tables.decoys, DECOY_PARTITION, encodeKey(id));
    return entity && { value: parseDecoy(JSON.parse(fromChunks('doc', entity))), etag: entity.etag };
  }

  // Every decoy write moves the registry's version in the same transaction (see getDecoyRegistry).

  async upsertDecoy(decoy: Decoy): Promise<void> {
    await this.tables.decoys.submitTransaction([['upsert', decoyEntityOf(decoy), 'Replace'], ['upsert', registryVersionEntity(), 'Replace']]);
  }

  async updateDecoy(decoy: Decoy, etag: string): Promise<string> {
    try {
      const response = await this.tables.decoys.submitTransaction([
        ['update', decoyEntityOf(decoy), 'Replace', { etag }],
        ['upsert', registryVersionEntity(), 'Replace'],
      ]);
      return etagOfAction(response, 0);
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) throw new ConcurrencyError(`decoy ${decoy.id} changed since it was read`);
      throw error;
    }
  }

  async deleteDecoy(id: string): Promise<void> {
    try {
      await this.tables.decoys.submitTransaction([
        ['delete', { partitionKey: DECOY_PARTITION, rowKey: encodeKey(id) }],
        ['upsert', registryVersionEntity(), 'Replace'],
      ]);
    } catch (error) {
      // Nothing to delete: nothing changed, and the registry keeps its version.
      if (statusCodeOf(error) !== 404) throw error;
    }
  }

  private async createRegistryVersion(): Promise<{ etag: string }> {
    try {
      return { etag: etagOf(await this.tables.decoys.createEntity(registryVersionEntity())) };
    } catch (error) {
      // Another instance made it first: read theirs.
      if (statusCodeOf(error) !== 409) throw error;
      const created = await getOrUndefined(this.tables.decoys, DECOY_PARTITION, REGISTRY_VERSION_ROW);
      if (created === undefined) throw new Error('the decoy registry version row vanished while it was created');
      return created;
    }
  }

  async getAlert(id: string): Promise<Versioned<StoredAlert> | undefined> {
    const entity = await getOrUndefined(this.tables.alerts, alertPartitionOf(id), encodeKey(id));
    return entity && { value: storedAlertOf(entity), etag: entity.etag };
  }

  async createAlert(alert: StoredAlert): Promise<void> {
    try {
      await this.tables.alerts.createEntity(alertEntityOf(alert));
    } catch (error) {
      if (statusCodeOf(error) === 409) throw new ConcurrencyError(`alert ${alert.alert.id} already exists`);
      throw error;
    }
  }

  async updateAlert(alert: StoredAlert, etag: string): Promise<void> {
    try {
      await this.tables.alerts.updateEntity(alertEntityOf(alert), 'Replace', { etag });
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) throw new ConcurrencyError(`alert ${alert.alert.id} changed since it was read`);
      throw error;
    }
  }

  async *listAlerts(filter: AlertFilter = {}): AsyncIterable<StoredAlert> {
    // The queryable copies on each entity let the service filter; the document is the truth.
    const conditions = [
      filter.status === undefined ? undefined : odata`status eq ${filter.status}`,
      filter.severity === undefined ? undefined : odata`severity eq ${filter.severity}`,
      filter.detection === undefined ? undefined : odata`detection eq ${filter.detection}`,
      filter.occurredFrom === undefined ? undefined : odata`occurredAt ge ${filter.occurredFrom}`,
      filter.occurredTo === undefined ? undefined : odata`occurredAt lt ${filter.occurredTo}`,
    ].filter((condition): condition is string => condition !== undefined);
    const queryOptions = conditions.length === 0 ? {} : { queryOptions: { filter: conditions.join(' and ') } };
    for await (const entity of this.tables.alerts.listEntities<Record<string, unknown>>(queryOptions)) yield storedAlertOf(entity);
  }

  async listHubOwnerships(scope: HubScope): Promise<Versioned<HubPartitionOwnership>[]> {
    const owned: Versioned<HubPartitionOwnership>[] = [];
    const filter = odata`PartitionKey eq ${hubScopePartitionOf(scope)} and kind eq ${'ownership'}`;
    for await (const entity of this.tables.hubCheckpoints.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      owned.push({ value: JSON.parse(fromChunks('doc', entity)) as HubPartitionOwnership, etag: entity.etag });
    }
    return owned;
  }

  async claimHubOwnership(ownership: HubPartitionOwnership, etag: string | undefined): Promise<string> {
    const entity = { partitionKey: hubScopePartitionOf(ownership), rowKey: `ownership-${encodeKey(ownership.partitionId)}`, kind: 'ownership', ...toChunks('doc', JSON.stringify(ownership)) };
    try {
      return etagOf(etag === undefined ? await this.tables.hubCheckpoints.createEntity(entity) : await this.tables.hubCheckpoints.updateEntity(entity, 'Replace', { etag }));
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 409 || status === 412 || status === 404) throw new ConcurrencyError(`partition ${ownership.partitionId} of ${ownership.hub} was claimed by another consumer`);
      throw error;
    }
  }

  async listHubCheckpoints(scope: HubScope): Promise<HubCheckpoint[]> {
    const checkpoints: HubCheckpoint[] = [];
    const filter = odata`PartitionKey eq ${hubScopePartitionOf(scope)} and kind eq ${'checkpoint'}`;
    for await (const entity of this.tables.hubCheckpoints.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) checkpoints.push(JSON.parse(fromChunks('doc', entity)) as HubCheckpoint);
    return checkpoints;
  }

  async upsertHubCheckpoint(checkpoint: HubCheckpoint): Promise<void> {
    await this.tables.hubCheckpoints.upsertEntity(
      { partitionKey: hubScopePartitionOf(checkpoint), rowKey: `checkpoint-${encodeKey(checkpoint.partitionId)}`, kind: 'checkpoint', ...toChunks('doc', JSON.stringify(checkpoint)) },
      'Replace',
    );
  }

  async getAuditFeedState(contentType: string): Promise<AuditFeedState | undefined> {
    const entity = await getOrUndefined(this.tables.auditFeed, FEED_STATE_PARTITION, encodeKey(contentType));
    return entity && (JSON.parse(fromChunks('doc', entity)) as AuditFeedState);
  }

  async upsertAuditFeedState(state: AuditFeedState): Promise<void> {
    await this.tables.auditFeed.upsertEntity({ partitionKey: FEED_STATE_PARTITION, rowKey: encodeKey(state.contentType), ...toChunks('doc', JSON.stringify(state)) }, 'Replace');
  }

  async listCopiedAuditContent(contentType: string, since: string): Promise<Set<string>> {
    const ids = new Set<string>();
    const filter = odata`PartitionKey eq ${copiedPartitionOf(contentType)} and contentCreated ge ${since}`;
    for await (const entity of this.tables.auditFeed.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['contentId'] } })) {
      if (typeof entity['contentId'] === 'string') ids.add(entity['contentId']);
    }
    return ids;
  }

  async upsertCopiedAuditContent(contents: readonly CopiedAuditContent[]): Promise<void> {
    await writeInTransactions(
      this.tables.auditFeed,
      contents.map((content) => ({ partitionKey: copiedPartitionOf(content.contentType), rowKey: encodeKey(content.contentId), contentId: content.contentId, contentCreated: content.contentCreated })),
      'upsert',
    );
  }

  async deleteCopiedAuditContentBefore(before: string): Promise<number> {
    const stale: TableEntity[] = [];
    const filter = odata`PartitionKey ne ${FEED_STATE_PARTITION} and contentCreated lt ${before}`;
    for await (const entity of this.tables.auditFeed.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      if (entity.partitionKey !== undefined && entity.rowKey !== undefined) stale.push({ partitionKey: entity.partitionKey, rowKey: entity.rowKey });
    }
    await writeInTransactions(this.tables.auditFeed, stale, 'delete');
    return stale.length;
  }

  async deleteAlertsBefore(before: string): Promise<number> {
    return deleteMatching(this.tables.alerts, odata`occurredAt lt ${before}`);
  }

  async deleteIncidentsBefore(before: string): Promise<number> {
    await deleteMatching(this.tables.incidentKeys, odata`lastOccurredAt lt ${before}`);
    return deleteMatching(this.tables.incidents, odata`lastOccurredAt lt ${before}`);
  }

  async createAuditEntry(entry: AuditEntry): Promise<void> {
    await this.tables.audit.upsertEntity({ partitionKey: deadLetterDayOf(entry.at), rowKey: encodeKey(`${entry.at}|${entry.id}`), at: entry.at, ...toChunks('doc', JSON.stringify(entry)) }, 'Replace');
  }

  async *listAuditEntries(range: { readonly from?: string; readonly to?: string } = {}): AsyncIterable<AuditEntry> {
    const conditions = [
      range.from === undefined ? undefined : odata`PartitionKey ge ${deadLetterDayOf(range.from)} and at ge ${range.from}`,
      range.to === undefined ? undefined : odata`PartitionKey le ${deadLetterDayOf(range.to)} and at lt ${range.to}`,
    ].filter((condition): condition is string => condition !== undefined);
    const queryOptions = conditions.length === 0 ? {} : { queryOptions: { filter: conditions.join(' and ') } };
    for await (const entity of this.tables.audit.listEntities<Record<string, unknown>>(queryOptions)) yield JSON.parse(fromChunks('doc', entity)) as AuditEntry;
  }

  async deleteAuditEntriesBefore(before: string): Promise<number> {
    return deletePartitionsBefore(this.tables.audit, deadLetterDayOf(before));
  }

  async upsertDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    await writeInTransactions(
      this.tables.deadLetters,
      letters.map((letter) => ({
        partitionKey: deadLetterDayOf(letter.receivedAt),
        rowKey: encodeKey(letter.id),
        reason: letter.reason,
        ...toChunks('doc', JSON.stringify(letter)),
      })),
      'upsert',
    );
  }

  async *listDeadLetters(): AsyncIterable<DeadLetter> {
    for await (const entity of this.tables.deadLetters.listEntities<Record<string, unknown>>()) {
      yield JSON.parse(fromChunks('doc', entity)) as DeadLetter;
    }
  }

  async deleteDeadLettersBefore(before: string): Promise<number> {
    return deletePartitionsBefore(this.tables.deadLetters, deadLetterDayOf(before));
  }

  async upsertTokenIssuances(issuances: readonly TokenIssuance[]): Promise<void> {
    await writeInTransactions(
      this.tables.tokenIssuances,
      issuances.map((issuance) => ({
        partitionKey: issuanceHourOf(issuance.issuedAt),
        rowKey: encodeKey(issuance.uti),
        issuedAt: issuance.issuedAt,
        category: issuance.category,
        ...(issuance.tenantId === undefined ? {} : { tenantId: issuance.tenantId }),
      })),
      'upsert',
    );
  }

  async findTokenIssuances(lookups: readonly IssuanceLookup[]): Promise<Set<string>> {
    const byHour = new Map<string, Map<string, string>>();
    for (const { uti, from, to } of lookups) {
      for (const hour of issuanceHoursBetween(from, to)) {
        const keys = byHour.get(hour) ?? new Map<string, string>();
        keys.set(encodeKey(uti), uti);
        byHour.set(hour, keys);
      }
    }
    const found = new Set<string>();
    for (const [hour, keys] of byHour) {
      const rowKeys = [...keys.keys()];
      for (let offset = 0; offset < rowKeys.length; offset += ROW_KEYS_PER_QUERY) {
        const slice = rowKeys.slice(offset, offset + ROW_KEYS_PER_QUERY);
        const filter = `${odata`PartitionKey eq ${hour}`} and (${slice.map((rowKey) => odata`RowKey eq ${rowKey}`).join(' or ')})`;
        const entities = this.tables.tokenIssuances.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['RowKey'] } });
        for await (const entity of entities) {
          const uti = keys.get(entity.rowKey ?? '');
          if (uti !== undefined) found.add(uti);
        }
      }
    }
    return found;
  }

  async deleteTokenIssuancesBefore(before: string): Promise<number> {
    const stale: TableEntity[] = [];
    const filter = odata`PartitionKey lt ${issuanceHourOf(before)}`;
    for await (const entity of this.tables.tokenIssuances.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      if (entity.partitionKey !== undefined && entity.rowKey !== undefined) stale.push({ partitionKey: entity.partitionKey, rowKey: entity.rowKey });
    }
    await writeInTransactions(this.tables.tokenIssuances, stale, 'delete');
    return stale.length;
  }

  async advanceSignInProgress(progress: readonly SignInProgress[]): Promise<void> {
    const byTenant = new Map<string, SignInProgress[]>();
    for (const entry of progress) byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
    for (const [tenantId, entries] of byTenant) {
      // One read of the tenant's partition and one transaction, whatever the number of categories; a race
      // with another writer (409 or 412) re-reads and tries again.
      const partitionKey = encodeKey(tenantId);
      for (let attempt = 1; ; attempt += 1) {
        const current = new Map<string, Record<string, unknown> & { etag: string }>();
        for await (const entity of this.tables.signInProgress.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })) {
          if (typeof entity['category'] === 'string') current.set(entity['category'], entity as Record<string, unknown> & { etag: string });
        }
        const actions: TransactionAction[] = [];
        for (const entry of entries) {
          const existing = current.get(entry.category);
          // Partition progress rows are named after partitions, which may hold any characters: keys are encoded.
          if (existing === undefined) actions.push(['create', { partitionKey, rowKey: encodeKey(entry.category), ...entry }]);
          else if (typeof existing['watermark'] !== 'string' || entry.watermark > existing['watermark']) {
            actions.push(['update', { partitionKey, rowKey: encodeKey(entry.category), watermark: entry.watermark }, 'Merge', { etag: existing.etag }]);
          }
        }
        if (actions.length === 0) break;
        try {
          await this.tables.signInProgress.submitTransaction(actions);
          break;
        } catch (error) {
          const status = statusCodeOf(error);
          if ((status !== 409 && status !== 412) || attempt >= MAX_PROGRESS_ATTEMPTS) throw error;
        }
      }
    }
  }

  async listSignInProgress(): Promise<SignInProgress[]> {
    const progress: SignInProgress[] = [];
    for await (const entity of this.tables.signInProgress.listEntities<Record<string, unknown>>()) {
      const { tenantId, category, firstEventTime, watermark } = entity;
      if (typeof tenantId === 'string' && typeof category === 'string' && typeof firstEventTime === 'string' && typeof watermark === 'string') {
        progress.push({ tenantId, category: category as SignInProgress['category'], firstEventTime, watermark });
      }
    }
    return progress;
  }

  async upsertPendingTokenChecks(checks: readonly PendingTokenCheck[]): Promise<void> {
    await writeInTransactions(
      this.tables.tokenChecks,
      checks.map((check) => ({ partitionKey: dueBucketOf(check.dueAt), rowKey: encodeKey(checkKeyOf(check)), ...toChunks('doc', JSON.stringify(check)) })),
      'upsert',
    );
  }

  async *listPendingTokenChecks(dueBy: string): AsyncIterable<PendingTokenCheck> {
    const filter = odata`PartitionKey le ${dueBucketOf(dueBy)}`;
    for await (const entity of this.tables.tokenChecks.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      yield JSON.parse(fromChunks('doc', entity)) as PendingTokenCheck;
    }
  }

  async deletePendingTokenChecks(checks: readonly PendingTokenCheck[]): Promise<void> {
    await writeInTransactions(
      this.tables.tokenChecks,
      checks.map((check) => ({ partitionKey: dueBucketOf(check.dueAt), rowKey: encodeKey(checkKeyOf(check)) })),
      'delete',
    );
  }

  async upsertTokenMatchCounts(writerId: string, counts: readonly TokenMatchCount[], updatedAt: string): Promise<void> {
    await writeInTransactions(
      this.tables.tokenMatches,
      counts.map((count) => ({
        partitionKey: count.source,
        rowKey: encodeKey(`${count.appId}\u0000${writerId}`),
        appId: count.appId,
        matched: count.matched,
        unmatched: count.unmatched,
        updatedAt,
      })),
      'upsert',
    );
  }

  async deleteTokenMatchCountsBefore(before: string): Promise<number> {
    const stale: TableEntity[] = [];
    const filter = odata`updatedAt lt ${before}`;
    for await (const entity of this.tables.tokenMatches.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      if (entity.partitionKey !== undefined && entity.rowKey !== undefined) stale.push({ partitionKey: entity.partitionKey, rowKey: entity.rowKey });
    }
    await writeInTransactions(this.tables.tokenMatches, stale, 'delete');
    return stale.length;
  }

  async getDecoyLifecycle(decoyId: string): Promise<DecoyLifecycle | undefined> {
    const entity = await getOrUndefined(this.tables.lifecycles, LIFECYCLE_PARTITION, encodeKey(decoyId));
    return entity && (JSON.parse(fromChunks('doc', entity)) as DecoyLifecycle);
  }

  async listDecoyLifecycles(): Promise<DecoyLifecycle[]> {
    return this.listDocuments<DecoyLifecycle>(this.tables.lifecycles, LIFECYCLE_PARTITION);
  }

  async upsertDecoyLifecycle(lifecycle: DecoyLifecycle): Promise<void> {
    await this.tables.lifecycles.upsertEntity({ partitionKey: LIFECYCLE_PARTITION, rowKey: encodeKey(lifecycle.decoyId), ...toChunks('doc', JSON.stringify(lifecycle)) }, 'Replace');
  }

  async deleteDecoyLifecycle(decoyId: string): Promise<void> {
    await deleteIfPresent(this.tables.lifecycles, LIFECYCLE_PARTITION, encodeKey(decoyId));
  }

  async createJournalEntry(entry: JournalEntry): Promise<string> {
    try {
      return (await this.tables.lifecycles.createEntity(journalEntityOf(entry))).etag ?? '';
    } catch (error) {
      if (statusCodeOf(error) === 409) throw new ConcurrencyError(`journal entry ${entry.id} already exists`);
      throw error;
    }
  }

  async updateJournalEntry(entry: JournalEntry, etag: string): Promise<string> {
    try {
      return (await this.tables.lifecycles.updateEntity(journalEntityOf(entry), 'Replace', { etag })).etag ?? '';
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) throw new ConcurrencyError(`journal entry ${entry.id} changed since it was read`);
      throw error;
    }
  }

  async getJournalEntry(id: string): Promise<Versioned<JournalEntry> | undefined> {
    const entity = await getOrUndefined(this.tables.lifecycles, JOURNAL_PARTITION, encodeKey(id));
    return entity && { value: JSON.parse(fromChunks('doc', entity)) as JournalEntry, etag: entity.etag };
  }

  async listJournalEntries(since: string): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    const filter = odata`PartitionKey eq ${JOURNAL_PARTITION} and (step ne ${'finished'} or updatedAt ge ${since})`;
    for await (const entity of this.tables.lifecycles.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      entries.push(JSON.parse(fromChunks('doc', entity)) as JournalEntry);
    }
    return entries;
  }

  async deleteJournalEntriesBefore(before: string): Promise<number> {
    const stale: TableEntity[] = [];
    const filter = odata`PartitionKey eq ${JOURNAL_PARTITION} and step eq ${'finished'} and updatedAt lt ${before}`;
    for await (const entity of this.tables.lifecycles.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      if (entity.partitionKey !== undefined && entity.rowKey !== undefined) stale.push({ partitionKey: entity.partitionKey, rowKey: entity.rowKey });
    }
    await writeInTransactions(this.tables.lifecycles, stale, 'delete');
    return stale.length;
  }

  async createOutboxEntry(entry: OutboxEntry): Promise<boolean> {
    try {
      await this.tables.outbox.createEntity(outboxEntityOf(entry));
      return true;
    } catch (error) {
      if (statusCodeOf(error) === 409) return false;
      throw error;
    }
  }

  async getOutboxEntry(id: string): Promise<Versioned<OutboxEntry> | undefined> {
    const entity = await getOrUndefined(this.tables.outbox, outboxPartitionOf(id), encodeKey(id));
    return entity && { value: JSON.parse(fromChunks('doc', entity)) as OutboxEntry, etag: entity.etag };
  }

  async updateOutboxEntry(entry: OutboxEntry, etag: string): Promise<string> {
    try {
      return (await this.tables.outbox.updateEntity(outboxEntityOf(entry), 'Replace', { etag })).etag ?? '';
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) throw new ConcurrencyError(`outbox entry ${entry.id} changed since it was read`);
      throw error;
    }
  }

  async listDueOutboxEntries(dueBy: string): Promise<Versioned<OutboxEntry>[]> {
    const due: Versioned<OutboxEntry>[] = [];
    const filter = odata`status eq ${'pending'} and nextAttemptAt le ${dueBy}`;
    for await (const entity of this.tables.outbox.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      due.push({ value: JSON.parse(fromChunks('doc', entity)) as OutboxEntry, etag: entity.etag });
    }
    return due;
  }

  async *listOutboxEntries(): AsyncIterable<OutboxEntry> {
    for await (const entity of this.tables.outbox.listEntities<Record<string, unknown>>()) yield JSON.parse(fromChunks('doc', entity)) as OutboxEntry;
  }

  async deleteOutboxEntriesBefore(before: string): Promise<number> {
    const stale: TableEntity[] = [];
    const filter = odata`status ne ${'pending'} and completedAt lt ${before}`;
    for await (const entity of this.tables.outbox.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      if (entity.partitionKey !== undefined && entity.rowKey !== undefined) stale.push({ partitionKey: entity.partitionKey, rowKey: entity.rowKey });
    }
    await writeInTransactions(this.tables.outbox, stale, 'delete');
    return stale.length;
  }

  async listSigningKeys(): Promise<SigningKey[]> {
    return this.listDocuments<SigningKey>(this.tables.signingKeys, KEY_PARTITION);
  }

  async upsertSigningKeys(keys: readonly SigningKey[]): Promise<void> {
    await writeInTransactions(
      this.tables.signingKeys,
      keys.map((key) => ({ partitionKey: KEY_PARTITION, rowKey: encodeKey(key.kid), ...toChunks('doc', JSON.stringify(key)) })),
      'upsert',
    );
  }

  async listKeySetFetches(): Promise<KeySetFetch[]> {
    return this.listDocuments<KeySetFetch>(this.tables.signingKeys, FETCH_PARTITION);
  }

  async upsertKeySetFetches(fetches: readonly KeySetFetch[]): Promise<void> {
    await writeInTransactions(
      this.tables.signingKeys,
      fetches.map((fetch) => ({ partitionKey: FETCH_PARTITION, rowKey: encodeKey(fetch.set), ...toChunks('doc', JSON.stringify(fetch)) })),
      'upsert',
    );
  }

  async getMailBaseline(mailbox: string): Promise<Versioned<MailAppBaseline> | undefined> {
    const entity = await getOrUndefined(this.tables.mailBaselines, encodeKey(mailbox), BASELINE_ROW);
    return entity && { value: JSON.parse(fromChunks('doc', entity)) as MailAppBaseline, etag: entity.etag };
  }

  async createMailBaseline(baseline: MailAppBaseline): Promise<string> {
    try {
      return etagOf(await this.tables.mailBaselines.createEntity({ partitionKey: encodeKey(baseline.mailbox), rowKey: BASELINE_ROW, ...toChunks('doc', JSON.stringify(baseline)) }));
    } catch (error) {
      if (statusCodeOf(error) === 409) throw new ConcurrencyError(`mailbox ${baseline.mailbox} already has a baseline`);
      throw error;
    }
  }

  async updateMailBaseline(baseline: MailAppBaseline, etag: string): Promise<string> {
    try {
      return etagOf(await this.tables.mailBaselines.updateEntity({ partitionKey: encodeKey(baseline.mailbox), rowKey: BASELINE_ROW, ...toChunks('doc', JSON.stringify(baseline)) }, 'Replace', { etag }));
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) throw new ConcurrencyError(`the baseline of ${baseline.mailbox} changed since it was read`);
      throw error;
    }
  }

  async getIncident(id: string): Promise<Versioned<Incident> | undefined> {
    const entity = await getOrUndefined(this.tables.incidents, incidentPartitionOf(id), encodeKey(id));
    return entity && { value: JSON.parse(fromChunks('doc', entity)) as Incident, etag: entity.etag };
  }

  async createIncident(incident: Incident): Promise<void> {
    try {
      await this.tables.incidents.createEntity(incidentEntityOf(incident));
    } catch (error) {
      if (statusCodeOf(error) === 409) throw new ConcurrencyError(`incident ${incident.id} already exists`);
      throw error;
    }
  }

  async updateIncident(incident: Incident, etag: string): Promise<void> {
    try {
      await this.tables.incidents.updateEntity(incidentEntityOf(incident), 'Replace', { etag });
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) throw new ConcurrencyError(`incident ${incident.id} changed since it was read`);
      throw error;
    }
  }

  async *listIncidents(): AsyncIterable<Incident> {
    for await (const entity of this.tables.incidents.listEntities<Record<string, unknown>>()) yield JSON.parse(fromChunks('doc', entity)) as Incident;
  }

  async findIncidentsByActorKeys(actorKeys: readonly string[], since: string): Promise<string[]> {
    const ids = new Set<string>();
    for (const key of new Set(actorKeys)) {
      const filter = `${odata`PartitionKey eq ${encodeKey(key)}`} and ${odata`lastOccurredAt ge ${since}`}`;
      for await (const entity of this.tables.incidentKeys.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        if (typeof entity['incidentId'] === 'string') ids.add(entity['incidentId']);
      }
    }
    return [...ids];
  }

  async upsertIncidentActorKeys(incident: Incident): Promise<void> {
    for (const key of incident.actorKeys) {
      await this.tables.incidentKeys.upsertEntity(
        { partitionKey: encodeKey(key), rowKey: encodeKey(incident.id), incidentId: incident.id, lastOccurredAt: incident.lastOccurredAt },
        'Replace',
      );
    }
  }

  async listStreams(): Promise<StreamState[]> {
    const streams: StreamState[] = [];
    for await (const entity of this.tables.streams.listEntities<Record<string, unknown>>()) {
      const { stream, source, lastArrivalAt, lastEventAt, silentAlertId } = entity;
      if (typeof stream !== 'string' || typeof source !== 'string' || typeof lastArrivalAt !== 'string') continue;
      streams.push({
        stream,
        source: source as EventSource,
        lastArrivalAt,
        ...(typeof lastEventAt === 'string' ? { lastEventAt } : {}),
        ...(typeof silentAlertId === 'string' && silentAlertId !== '' ? { silentAlertId } : {}),
      });
    }
    return streams;
  }

  async upsertStreamCounts(writerId: string, counts: readonly StreamCount[]): Promise<void> {
    await writeInTransactions(
      this.tables.streamCounts,
      counts.map((count) => ({ partitionKey: count.bucket.replace(/[-:.]/g, ''), rowKey: encodeKey(`${count.origin}\u0000${writerId}`), ...count })),
      'upsert',
    );
  }

  async listStreamCounts(since: string): Promise<StreamCount[]> {
    const counts: StreamCount[] = [];
    const filter = odata`PartitionKey ge ${since.replace(/[-:.]/g, '')}`;
    for await (const entity of this.tables.streamCounts.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const { origin, bucket, records, deadLettered, lastEventAt } = entity;
      if (typeof origin !== 'string' || typeof bucket !== 'string' || typeof records !== 'number' || typeof deadLettered !== 'number') continue;
      counts.push({ origin, bucket, records, deadLettered, ...(typeof lastEventAt === 'string' ? { lastEventAt } : {}) });
    }
    return counts;
  }

  async deleteStreamCountsBefore(before: string): Promise<number> {
    return deletePartitionsBefore(this.tables.streamCounts, before.replace(/[-:.]/g, ''));
  }

  async recordStreamArrivals(arrivals: readonly StreamArrival[]): Promise<void> {
    // One transaction; Merge leaves the silence alert, which the timer sets, alone.
    const unique = new Map(arrivals.map((arrival) => [arrival.stream, arrival]));
    if (unique.size === 0) return;
    await this.tables.streams.submitTransaction([...unique.values()].map((arrival) => ['upsert', { partitionKey: STREAM_PARTITION, rowKey: encodeKey(arrival.stream), ...arrival }, 'Merge']));
  }

  async setStreamSilence(stream: string, silentAlertId: string | undefined): Promise<void> {
    await this.tables.streams.upsertEntity({ partitionKey: STREAM_PARTITION, rowKey: encodeKey(stream), stream, silentAlertId: silentAlertId ?? '' }, 'Merge');
  }

  private async listDocuments<T>(table: TableClient, partitionKey: string): Promise<T[]> {
    const documents: T[] = [];
    for await (const entity of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })) {
      documents.push(JSON.parse(fromChunks('doc', entity)) as T);
    }
    return documents;
  }

  async listTokenMatchCounts(): Promise<TokenMatchCount[]> {
    const rows: TokenMatchCount[] = [];
    for await (const entity of this.tables.tokenMatches.listEntities<Record<string, unknown>>()) {
      const { appId, matched, unmatched } = entity;
      if (typeof appId === 'string' && typeof matched === 'number' && typeof unmatched === 'number') {
        rows.push({ source: entity.partitionKey as TokenUseSource, appId, matched, unmatched });
      }
    }
    return sumMatchCounts(rows);
  }
}

/** Outbox entries are partitioned by channel (the id starts with it). */
function outboxPartitionOf(id: string): string {
  return id.split('|', 1)[0]!;
}

function outboxEntityOf(entry: OutboxEntry): TableEntity {
  return {
    partitionKey: outboxPartitionOf(entry.id),
    rowKey: encodeKey(entry.id),
    status: entry.status,
    nextAttemptAt: entry.nextAttemptAt,
    ...(entry.completedAt === undefined ? {} : { completedAt: entry.completedAt }),
    ...toChunks('doc', JSON.stringify(entry)),
  };
}

function journalEntityOf(entry: JournalEntry): TableEntity {
  return { partitionKey: JOURNAL_PARTITION, rowKey: encodeKey(entry.id), step: entry.step, updatedAt: entry.updatedAt, ...toChunks('doc', JSON.stringify(entry)) };
}

/**
 * Writes entities in entity group transactions: grouped by partition, at most 100 each, every entity once.
 * A delete of an entity already gone fails its whole transaction (404): the rest of it is then deleted
 * one by one, ignoring what is already gone.
 */
async function writeInTransactions(table: TableClient, entities: readonly TableEntity[], action: 'upsert' | 'delete'): Promise<void> {
  const byPartition = new Map<string, Map<string, TableEntity>>();
  for (const entity of entities) {
    const partition = byPartition.get(entity.partitionKey) ?? new Map<string, TableEntity>();
    partition.set(entity.rowKey, entity);
    byPartition.set(entity.partitionKey, partition);
  }
  for (const partition of byPartition.values()) {
    const rows = [...partition.values()];
    for (let offset = 0; offset < rows.length; offset += MAX_TRANSACTION_SIZE) {
      const slice = rows.slice(offset, offset + MAX_TRANSACTION_SIZE);
      const actions: TransactionAction[] = slice.map((entity) => (action === 'upsert' ? ['upsert', entity, 'Replace'] : ['delete', entity]));
      try {
        await table.submitTransaction(actions);
      } catch (error) {
        if (action !== 'delete' || statusCodeOf(error) !== 404) throw error;
        for (const entity of slice) await deleteIfPresent(table, entity.partitionKey, entity.rowKey);
      }
    }
  }
}

/** One partition per namespace, hub and consumer group: a consumer lists its scope in one query. */
function hubScopePartitionOf(scope: HubScope): string {
  return encodeKey(`${scope.namespace.toLowerCase()}|${scope.hub.toLowerCase()}|${scope.consumerGroup.toLowerCase()}`);
}

/** Copied blobs are partitioned by content type (a listing checks one type's recent ids in one query). */
function copiedPartitionOf(contentType: string): string {
  return `copied-${encodeKey(contentType)}`;
}

/** Deletes every entity a filter matches (a scan of the table: for the daily pruning). Returns how many. */
async function deleteMatching(table: TableClient, filter: string): Promise<number> {
  const stale: TableEntity[] = [];
  for await (const entity of table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
    if (entity.partitionKey !== undefined && entity.rowKey !== undefined) stale.push({ partitionKey: entity.partitionKey, rowKey: entity.rowKey });
  }
  await writeInTransactions(table, stale, 'delete');
  return stale.length;
}

/** Deletes every entity of the partitions before `partition` (partition keys that sort by time). Returns how many. */
async function deletePartitionsBefore(table: TableClient, partition: string): Promise<number> {
  return deleteMatching(table, odata`PartitionKey lt ${partition}`);
}

/** Dead letters are partitioned by the day they were received (`yyyyMMdd`), so old days go in one query. */
function deadLetterDayOf(time: string): string {
  return time.slice(0, 10).replaceAll('-', '');
}

/** Alerts spread over 256 partitions by the first two hex digits of their id (a hash), so no partition runs hot. */
function alertPartitionOf(id: string): string {
  return encodeKey(id.slice(0, 2));
}

function alertEntityOf(stored: StoredAlert): TableEntity {
  const { alert } = stored;
  return {
    partitionKey: alertPartitionOf(alert.id),
    rowKey: encodeKey(alert.id),
    // Queryable copies of a few fields; the document is the truth.
    detection: alert.detection,
    severity: alert.severity,
    status: alert.status,
    occurredAt: alert.occurredAt,
    ...toChunks('doc', JSON.stringify({ alert, lead: stored.lead })),
    ...toChunks('evidenceKeys', stored.evidenceKeys.join(',')),
  };
}

/** Incident ids are `inc-` and a hash: spread like alerts by the hash's first digits. */
function incidentPartitionOf(id: string): string {
  return alertPartitionOf(id.replace(/^inc-/, ''));
}

function incidentEntityOf(incident: Incident): TableEntity {
  return {
    partitionKey: incidentPartitionOf(incident.id),
    rowKey: encodeKey(incident.id),
    severity: incident.severity,
    status: incident.status,
    lastOccurredAt: incident.lastOccurredAt,
    ...toChunks('doc', JSON.stringify(incident)),
  };
}

function storedAlertOf(entity: Record<string, unknown>): StoredAlert {
  const document = JSON.parse(fromChunks('doc', entity)) as Omit<StoredAlert, 'evidenceKeys'>;
  const keys = fromChunks('evidenceKeys', entity);
  return { ...document, evidenceKeys: keys === '' ? [] : keys.split(',') };
}

async function getOrUndefined(table: TableClient, partitionKey: string, rowKey: string): Promise<(Record<string, unknown> & { etag: string }) | undefined> {
  try {
    return await table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
  } catch (error) {
    if (statusCodeOf(error) === 404) return undefined;
    throw error;
  }
}

async function deleteIfPresent(table: TableClient, partitionKey: string, rowKey: string): Promise<void> {
  try {
    await table.deleteEntity(partitionKey, rowKey);
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
  }
}

function decoyEntityOf(decoy: Decoy): TableEntity {
  return { partitionKey: DECOY_PARTITION, rowKey: encodeKey(decoy.id), kind: decoy.kind, enabled: decoy.enabled, ...toChunks('doc', JSON.stringify(decoy)) };
}

/** Written with every decoy write: what it holds does not matter, only that its ETag changes. */
function registryVersionEntity(): TableEntity {
  return { partitionKey: DECOY_PARTITION, rowKey: REGISTRY_VERSION_ROW };
}

/** The ETag a transaction gave its action `index`: answers come in the actions' order, and name no row for an update. */
function etagOfAction(response: TableTransactionResponse, index: number): string {
  const etag = response.subResponses[index]?.etag;
  if (etag === undefined) throw new Error(`Table Storage answered a transaction without the ETag of action ${index}`);
  return etag;
}

function etagOf(response: { readonly etag?: string }): string {
  if (response.etag === undefined) throw new Error('Table Storage answered a write without an ETag');
  return response.etag;
}

/** Azure SDK errors are recognised by status code, not class (`RestError` may come from another copy of core). */
function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number') return error.statusCode;
  return undefined;
}

import { type TableEntity, TableClient, type TableServiceClientOptions, type TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { StoredAlert } from '../correlation/foldAlert.js';
import type { Decoy } from '../domain/decoys.js';
import { parseDecoy } from '../decoys/parseDecoys.js';
import { ConcurrencyError, type DeadLetter, type StateStore, type Versioned } from '../ports/stateStore.js';
import { encodeKey, fromChunks, toChunks } from './tableKeys.js';

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
}

const TABLE_SUFFIXES = { decoys: 'Decoys', alerts: 'Alerts', deadLetters: 'DeadLetters' } as const;
type TableName = keyof typeof TABLE_SUFFIXES;

/** Entity group transactions take at most 100 entities, all in one partition. */
const MAX_TRANSACTION_SIZE = 100;
const DECOY_PARTITION = 'decoy';

/**
 * The state store over Azure Table Storage (`@azure/data-tables`): Azurite locally and in tests, a
 * storage account with a managed identity in Azure. Keys are encoded (`encodeKey`); documents are JSON
 * split into chunks; alerts use ETags for optimistic concurrency; dead letters are written in batches.
 */
export class TableStateStore implements StateStore {
  private constructor(private readonly tables: Readonly<Record<TableName, TableClient>>) {}

  /** Connects and creates the tables if they do not exist yet. */
  static async connect(options: TableStateStoreOptions): Promise<TableStateStore> {
    const clientOptions: TableServiceClientOptions = {
      retryOptions: { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 30_000, ...options.retry },
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
    const tables = { decoys: client('decoys'), alerts: client('alerts'), deadLetters: client('deadLetters') };
    await Promise.all(Object.values(tables).map((table) => table.createTable()));
    return new TableStateStore(tables);
  }

  async listDecoys(): Promise<Decoy[]> {
    const decoys: Decoy[] = [];
    for await (const entity of this.tables.decoys.listEntities<Record<string, unknown>>()) {
      decoys.push(parseDecoy(JSON.parse(fromChunks('doc', entity))));
    }
    return decoys;
  }

  async getDecoy(id: string): Promise<Versioned<Decoy> | undefined> {
    const entity = await getOrUndefined(this.tables.decoys, DECOY_PARTITION, encodeKey(id));
    return entity && { value: parseDecoy(JSON.parse(fromChunks('doc', entity))), etag: entity.etag };
  }

  async upsertDecoy(decoy: Decoy): Promise<void> {
    await this.tables.decoys.upsertEntity(
      { partitionKey: DECOY_PARTITION, rowKey: encodeKey(decoy.id), kind: decoy.kind, enabled: decoy.enabled, ...toChunks('doc', JSON.stringify(decoy)) },
      'Replace',
    );
  }

  async deleteDecoy(id: string): Promise<void> {
    await deleteIfPresent(this.tables.decoys, DECOY_PARTITION, encodeKey(id));
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

  async *listAlerts(): AsyncIterable<StoredAlert> {
    for await (const entity of this.tables.alerts.listEntities<Record<string, unknown>>()) yield storedAlertOf(entity);
  }

  async upsertDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    const byPartition = new Map<string, TableEntity[]>();
    for (const letter of letters) {
      const partitionKey = letter.receivedAt.slice(0, 10).replaceAll('-', '');
      const entity: TableEntity = { partitionKey, rowKey: encodeKey(letter.id), reason: letter.reason, ...toChunks('doc', JSON.stringify(letter)) };
      // One entity may appear only once per transaction.
      const partition = byPartition.get(partitionKey) ?? [];
      if (!partition.some((existing) => existing.rowKey === entity.rowKey)) partition.push(entity);
      byPartition.set(partitionKey, partition);
    }
    for (const entities of byPartition.values()) {
      for (let offset = 0; offset < entities.length; offset += MAX_TRANSACTION_SIZE) {
        const actions: TransactionAction[] = entities.slice(offset, offset + MAX_TRANSACTION_SIZE).map((entity) => ['upsert', entity, 'Replace']);
        await this.tables.deadLetters.submitTransaction(actions);
      }
    }
  }

  async *listDeadLetters(): AsyncIterable<DeadLetter> {
    for await (const entity of this.tables.deadLetters.listEntities<Record<string, unknown>>()) {
      yield JSON.parse(fromChunks('doc', entity)) as DeadLetter;
    }
  }
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

/** Azure SDK errors are recognised by status code, not class (`RestError` may come from another copy of core). */
function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number') return error.statusCode;
  return undefined;
}

import { odata, type TableClient, type TableEntity, type TableTransactionResponse, type TransactionAction } from '@azure/data-tables';
import { ConcurrencyError, type Versioned } from '../../ports/store/versioned.js';
import { fromChunks, toChunks } from './tableKeys.js';

/** An entity as read, with the ETag it was read at. */
export type StoredEntity = Record<string, unknown> & { readonly etag: string };

/** Entity group transactions take at most 100 entities, all in one partition. */
const MAX_TRANSACTION_SIZE = 100;

/**
 * One Table of JSON documents (split into chunks, beside a few queryable copies of fields) with what every
 * aggregate needs of it: reads that answer undefined for a missing row, writes under ETags whose lost races
 * (409 on create, 412 or 404 on update) become `ConcurrencyError`, batched writes and pruning scans.
 */
export class DocumentTable {
  constructor(private readonly client: TableClient) {}

  /**
   * Creates the table if it does not exist. A caller allowed only to read (Storage Table Data Reader: `lure
   * status` from a laptop against a deployment) is refused with 403; the deployment's tables exist, so it goes
   * on, and a read of a table that does not exist still fails on its own.
   */
  async createTable(): Promise<void> {
    try {
      await this.client.createTable();
    } catch (error) {
      if (statusCodeOf(error) !== 403) throw error;
    }
  }

  async get(partitionKey: string, rowKey: string): Promise<StoredEntity | undefined> {
    try {
      return await this.client.getEntity(partitionKey, rowKey);
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  async getDocument<T>(partitionKey: string, rowKey: string): Promise<Versioned<T> | undefined> {
    const entity = await this.get(partitionKey, rowKey);
    return entity && { value: documentOf(entity) as T, etag: entity.etag };
  }

  /** Every entity, or those `filter` matches; `select` narrows the properties read. */
  async *list(filter?: string, select?: readonly string[]): AsyncIterable<StoredEntity> {
    const queryOptions = { ...(filter === undefined ? {} : { filter }), ...(select === undefined ? {} : { select: [...select] }) };
    const entities = this.client.listEntities(filter === undefined && select === undefined ? {} : { queryOptions });
    for await (const entity of entities) yield entity;
  }

  async *listDocuments<T>(filter?: string): AsyncIterable<T> {
    for await (const entity of this.list(filter)) yield documentOf(entity) as T;
  }

  async collectDocuments<T>(filter?: string): Promise<T[]> {
    const documents: T[] = [];
    for await (const document of this.listDocuments<T>(filter)) documents.push(document);
    return documents;
  }

  /** Returns the new ETag. Throws `ConcurrencyError` (saying `conflict`) if the row exists. */
  async create(entity: TableEntity, conflict: string): Promise<string> {
    try {
      return etagOf(await this.client.createEntity(entity));
    } catch (error) {
      if (statusCodeOf(error) === 409) throw new ConcurrencyError(conflict);
      throw error;
    }
  }

  /** Replaces the row if it is still at `etag`; returns the new ETag. Throws `ConcurrencyError` (saying `conflict`) if not. */
  async update(entity: TableEntity, etag: string, conflict: string): Promise<string> {
    try {
      return etagOf(await this.client.updateEntity(entity, 'Replace', { etag }));
    } catch (error) {
      if (isLostUpdate(error)) throw new ConcurrencyError(conflict);
      throw error;
    }
  }

  async upsert(entity: TableEntity, mode: 'Replace' | 'Merge' = 'Replace'): Promise<void> {
    await this.client.upsertEntity(entity, mode);
  }

  /** Succeeds whether or not the row existed. */
  async deleteIfPresent(partitionKey: string, rowKey: string): Promise<void> {
    try {
      await this.client.deleteEntity(partitionKey, rowKey);
    } catch (error) {
      if (statusCodeOf(error) !== 404) throw error;
    }
  }

  /** One atomic transaction. With `conflict`, a lost ETag race (412, or 404 for a row gone) throws `ConcurrencyError`. */
  async submit(actions: TransactionAction[], conflict?: string): Promise<TableTransactionResponse> {
    try {
      return await this.client.submitTransaction(actions);
    } catch (error) {
      if (conflict !== undefined && isLostUpdate(error)) throw new ConcurrencyError(conflict);
      throw error;
    }
  }

  /**
   * Writes entities in entity group transactions: grouped by partition, at most 100 each, every entity once.
   * A delete of an entity already gone fails its whole transaction (404): the rest of it is then deleted
   * one by one, ignoring what is already gone.
   */
  async writeInTransactions(entities: readonly TableEntity[], action: 'upsert' | 'delete'): Promise<void> {
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
          await this.client.submitTransaction(actions);
        } catch (error) {
          if (action !== 'delete' || statusCodeOf(error) !== 404) throw error;
          for (const entity of slice) await this.deleteIfPresent(entity.partitionKey, entity.rowKey);
        }
      }
    }
  }

  /** Deletes every entity a filter matches (a scan of the table: for the daily pruning). Returns how many. */
  async deleteMatching(filter: string): Promise<number> {
    const stale: TableEntity[] = [];
    for await (const entity of this.list(filter, ['PartitionKey', 'RowKey'])) {
      if (typeof entity['partitionKey'] === 'string' && typeof entity['rowKey'] === 'string')
        stale.push({ partitionKey: entity['partitionKey'], rowKey: entity['rowKey'] });
    }
    await this.writeInTransactions(stale, 'delete');
    return stale.length;
  }

  /** Deletes every entity of the partitions before `partition` (partition keys that sort by time). Returns how many. */
  async deletePartitionsBefore(partition: string): Promise<number> {
    return this.deleteMatching(odata`PartitionKey lt ${partition}`);
  }
}

/** A row holding `document` as chunked JSON, beside `fields` (queryable copies, or the row's own columns). */
export function documentEntity(partitionKey: string, rowKey: string, document: unknown, fields: Readonly<Record<string, unknown>> = {}): TableEntity {
  return { partitionKey, rowKey, ...fields, ...toChunks('doc', JSON.stringify(document)) };
}

/** The document a row holds, for the caller to type. Throws if the row lacks it (a corrupted or foreign entity). */
export function documentOf(entity: Record<string, unknown>): unknown {
  return JSON.parse(fromChunks('doc', entity));
}

/** The ETag a transaction gave its action `index`: answers come in the actions' order, and name no row for an update. */
export function etagOfAction(response: TableTransactionResponse, index: number): string {
  const etag = response.subResponses[index]?.etag;
  if (etag === undefined) throw new Error(`Table Storage answered a transaction without the ETag of action ${index}`);
  return etag;
}

function etagOf(response: { readonly etag?: string }): string {
  if (response.etag === undefined) throw new Error('Table Storage answered a write without an ETag');
  return response.etag;
}

/** 412: the row changed since it was read; 404: it is gone. Either way the write lost a race. */
function isLostUpdate(error: unknown): boolean {
  const status = statusCodeOf(error);
  return status === 412 || status === 404;
}

/** Azure SDK errors are recognised by status code, not class (`RestError` may come from another copy of core). */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number') return error.statusCode;
  return undefined;
}

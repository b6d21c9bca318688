import { odata, type TransactionAction } from '@azure/data-tables';
import type {
  IndexedIssuance,
  IssuanceLookup,
  MissingIssuance,
  PendingTokenCheck,
  SignInLateness,
  SignInProgress,
  TokenIssuance,
  TokenMatchCount,
  TokenUseSource,
} from '../../domain/tokens.js';
import type { TokenIndexStore } from '../../ports/store/tokenIndexStore.js';
import { checkKeyOf, dueBucketOf, issuanceHourOf, issuanceHoursBetween, sumMatchCounts } from '../storeSchemes.js';
import { type DocumentTable, documentEntity, documentOf, type StoredEntity, statusCodeOf } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

/** A filter may hold at most 15 comparisons: one for the partition, fourteen token ids. */
const ROW_KEYS_PER_QUERY = 14;
/** Attempts at a forward-only progress update racing another writer. */
const MAX_PROGRESS_ATTEMPTS = 8;

export interface TokenIndexTables {
  /** One partition per hour of issue. */
  readonly issuances: DocumentTable;
  /** One partition per ten minutes of due time. */
  readonly checks: DocumentTable;
  /** One partition per tenant, one row per category or Entra partition. */
  readonly progress: DocumentTable;
  /** One partition per token-use source, one row per app and writer. */
  readonly matches: DocumentTable;
  /** One partition per hour of arrival, one row per tenant, stream and writer. */
  readonly lateness: DocumentTable;
  /** One partition (they are few), one row per token id and alert. */
  readonly missing: DocumentTable;
}

const MISSING_PARTITION = 'missing';

/** The token-issuance index, the checks pending against it, the sign-in streams' progress and the match counts. */
export function tableTokenIndexStore(tables: TokenIndexTables): TokenIndexStore {
  return {
    async upsertTokenIssuances(issuances) {
      await tables.issuances.writeInTransactions(
        issuances.map((issuance) => ({
          partitionKey: issuanceHourOf(issuance.issuedAt),
          rowKey: encodeKey(issuance.uti),
          issuedAt: issuance.issuedAt,
          category: issuance.category,
          ...(issuance.tenantId === undefined ? {} : { tenantId: issuance.tenantId }),
          ...(issuance.principal === undefined ? {} : { principal: issuance.principal }),
          ...(issuance.recordId === undefined ? {} : { recordId: issuance.recordId }),
        })),
        'upsert',
      );
    },

    async findTokenIssuances(lookups) {
      const found = new Set<string>();
      for await (const { uti } of listIssuances(tables.issuances, lookups, ['RowKey'])) found.add(uti);
      return found;
    },

    async getTokenIssuances(lookups) {
      const found = new Map<string, IndexedIssuance>();
      for await (const { uti, entity } of listIssuances(tables.issuances, lookups, ['RowKey', 'issuedAt', 'category', 'recordId'])) {
        const { issuedAt, category, recordId } = entity;
        if (typeof issuedAt !== 'string' || typeof category !== 'string') continue;
        found.set(uti, { uti, issuedAt, category: category as TokenIssuance['category'], ...(typeof recordId === 'string' ? { recordId } : {}) });
      }
      return [...found.values()];
    },

    async deleteTokenIssuancesBefore(before) {
      return tables.issuances.deletePartitionsBefore(issuanceHourOf(before));
    },

    async advanceSignInProgress(progress) {
      const byTenant = new Map<string, SignInProgress[]>();
      for (const entry of progress) byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
      for (const [tenantId, entries] of byTenant) await advanceTenant(tables.progress, tenantId, entries);
    },

    async listSignInProgress() {
      const progress: SignInProgress[] = [];
      for await (const entity of tables.progress.list()) {
        const { tenantId, category, firstEventTime, watermark } = entity;
        if (typeof tenantId === 'string' && typeof category === 'string' && typeof firstEventTime === 'string' && typeof watermark === 'string') {
          progress.push({ tenantId, category: category as SignInProgress['category'], firstEventTime, watermark });
        }
      }
      return progress;
    },

    async recordMissingIssuances(missing) {
      await tables.missing.writeInTransactions(
        missing.map((row) => documentEntity(MISSING_PARTITION, missingKeyOf(row), row, { judgedAt: row.judgedAt })),
        'upsert',
      );
    },

    async listMissingIssuances() {
      const rows: MissingIssuance[] = [];
      for await (const row of tables.missing.listDocuments<MissingIssuance>(odata`PartitionKey eq ${MISSING_PARTITION}`)) rows.push(row);
      return rows;
    },

    async deleteMissingIssuances(missing) {
      await tables.missing.writeInTransactions(
        missing.map((row) => ({ partitionKey: MISSING_PARTITION, rowKey: missingKeyOf(row) })),
        'delete',
      );
    },

    async deleteMissingIssuancesBefore(before) {
      return tables.missing.deleteMatching(odata`judgedAt lt ${before}`);
    },

    async upsertPendingTokenChecks(checks) {
      await tables.checks.writeInTransactions(
        checks.map((check) => documentEntity(dueBucketOf(check.dueAt), encodeKey(checkKeyOf(check)), check)),
        'upsert',
      );
    },

    listPendingTokenChecks(dueBy) {
      return tables.checks.listDocuments<PendingTokenCheck>(odata`PartitionKey le ${dueBucketOf(dueBy)}`);
    },

    async deletePendingTokenChecks(checks) {
      await tables.checks.writeInTransactions(
        checks.map((check) => ({ partitionKey: dueBucketOf(check.dueAt), rowKey: encodeKey(checkKeyOf(check)) })),
        'delete',
      );
    },

    async upsertSignInLateness(writerId, rows) {
      await tables.lateness.writeInTransactions(
        rows.map((row) => documentEntity(issuanceHourOf(row.hour), encodeKey(`${row.tenantId}\u0000${row.category}\u0000${writerId}`), row)),
        'upsert',
      );
    },

    async listSignInLateness(since) {
      const rows: SignInLateness[] = [];
      for await (const entity of tables.lateness.list(odata`PartitionKey ge ${issuanceHourOf(since)}`)) rows.push(documentOf(entity) as SignInLateness);
      return rows;
    },

    async deleteSignInLatenessBefore(before) {
      return tables.lateness.deletePartitionsBefore(issuanceHourOf(before));
    },

    async upsertTokenMatchCounts(writerId, counts, updatedAt) {
      await tables.matches.writeInTransactions(
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
    },

    async listTokenMatchCounts() {
      const rows: TokenMatchCount[] = [];
      for await (const entity of tables.matches.list()) {
        const { appId, matched, unmatched } = entity;
        if (typeof appId === 'string' && typeof matched === 'number' && typeof unmatched === 'number') {
          rows.push({ source: entity['partitionKey'] as TokenUseSource, appId, matched, unmatched });
        }
      }
      return sumMatchCounts(rows);
    },

    async deleteTokenMatchCountsBefore(before) {
      return tables.matches.deleteMatching(odata`updatedAt lt ${before}`);
    },
  };
}

function missingKeyOf(row: Pick<MissingIssuance, 'uti' | 'alertId'>): string {
  return encodeKey(`${row.uti}\u0000${row.alertId}`);
}

/** The index rows of the token ids among `lookups`: a query per hour partition and fourteen ids. */
async function* listIssuances(
  table: DocumentTable,
  lookups: readonly IssuanceLookup[],
  select?: string[],
): AsyncIterable<{ readonly uti: string; readonly entity: StoredEntity }> {
  const byHour = new Map<string, Map<string, string>>();
  for (const { uti, from, to } of lookups) {
    for (const hour of issuanceHoursBetween(from, to)) {
      const keys = byHour.get(hour) ?? new Map<string, string>();
      keys.set(encodeKey(uti), uti);
      byHour.set(hour, keys);
    }
  }
  for (const [hour, keys] of byHour) {
    const rowKeys = [...keys.keys()];
    for (let offset = 0; offset < rowKeys.length; offset += ROW_KEYS_PER_QUERY) {
      const slice = rowKeys.slice(offset, offset + ROW_KEYS_PER_QUERY);
      const filter = `${odata`PartitionKey eq ${hour}`} and (${slice.map((rowKey) => odata`RowKey eq ${rowKey}`).join(' or ')})`;
      for await (const entity of table.list(filter, select)) {
        const uti = keys.get(typeof entity['rowKey'] === 'string' ? entity['rowKey'] : '');
        if (uti !== undefined) yield { uti, entity };
      }
    }
  }
}

/**
 * Moves a tenant's categories forward in one read of its partition and one transaction, whatever their
 * number; a race with another writer (409 or 412) re-reads and tries again.
 */
async function advanceTenant(table: DocumentTable, tenantId: string, entries: readonly SignInProgress[]): Promise<void> {
  const partitionKey = encodeKey(tenantId);
  for (let attempt = 1; ; attempt += 1) {
    const current = new Map<string, StoredEntity>();
    for await (const entity of table.list(odata`PartitionKey eq ${partitionKey}`)) {
      if (typeof entity['category'] === 'string') current.set(entity['category'], entity);
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
    if (actions.length === 0) return;
    try {
      await table.submit(actions);
      return;
    } catch (error) {
      const status = statusCodeOf(error);
      if ((status !== 409 && status !== 412) || attempt >= MAX_PROGRESS_ATTEMPTS) throw error;
    }
  }
}

import { odata, type TableEntity } from '@azure/data-tables';
import type { OutboxEntry } from '../../domain/delivery.js';
import type { OutboxStore } from '../../ports/store/outboxStore.js';
import type { Versioned } from '../../ports/store/versioned.js';
import { ConcurrencyError } from '../../ports/store/versioned.js';
import { type DocumentTable, documentEntity, documentOf } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

/** Outbox entries, one partition per channel, with status and due time copied for the delivery timer's query. */
export function tableOutboxStore(table: DocumentTable): OutboxStore {
  return {
    async createOutboxEntry(entry) {
      try {
        await table.create(outboxEntityOf(entry), `outbox entry ${entry.id} exists`);
        return true;
      } catch (error) {
        if (error instanceof ConcurrencyError) return false;
        throw error;
      }
    },

    async getOutboxEntry(id) {
      return table.getDocument<OutboxEntry>(outboxPartitionOf(id), encodeKey(id));
    },

    async updateOutboxEntry(entry, etag) {
      return table.update(outboxEntityOf(entry), etag, `outbox entry ${entry.id} changed since it was read`);
    },

    async listDueOutboxEntries(dueBy) {
      const due: Versioned<OutboxEntry>[] = [];
      for await (const entity of table.list(odata`status eq ${'pending'} and nextAttemptAt le ${dueBy}`))
        due.push({ value: documentOf(entity) as OutboxEntry, etag: entity.etag });
      return due;
    },

    listOutboxEntries() {
      return table.listDocuments<OutboxEntry>();
    },

    async deleteOutboxEntriesBefore(before) {
      return table.deleteMatching(odata`status ne ${'pending'} and completedAt lt ${before}`);
    },
  };
}

/** Outbox entries are partitioned by channel (the id starts with it). */
function outboxPartitionOf(id: string): string {
  const end = id.indexOf('|');
  return end === -1 ? id : id.slice(0, end);
}

function outboxEntityOf(entry: OutboxEntry): TableEntity {
  return documentEntity(outboxPartitionOf(entry.id), encodeKey(entry.id), entry, {
    status: entry.status,
    nextAttemptAt: entry.nextAttemptAt,
    ...(entry.completedAt === undefined ? {} : { completedAt: entry.completedAt }),
  });
}

import { odata, type TableEntity } from '@azure/data-tables';
import type { DecoyLifecycle, JournalEntry } from '../../domain/lifecycle.js';
import type { LifecycleStore } from '../../ports/store/lifecycleStore.js';
import { type DocumentTable, documentEntity } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

const LIFECYCLE_PARTITION = 'lifecycle';
const JOURNAL_PARTITION = 'journal';

/** Decoy lifecycles and the journal of operations on them, one partition each in one table. */
export function tableLifecycleStore(table: DocumentTable): LifecycleStore {
  return {
    async getDecoyLifecycle(decoyId) {
      return (await table.getDocument<DecoyLifecycle>(LIFECYCLE_PARTITION, encodeKey(decoyId)))?.value;
    },

    async listDecoyLifecycles() {
      return table.collectDocuments<DecoyLifecycle>(odata`PartitionKey eq ${LIFECYCLE_PARTITION}`);
    },

    async upsertDecoyLifecycle(lifecycle) {
      await table.upsert(documentEntity(LIFECYCLE_PARTITION, encodeKey(lifecycle.decoyId), lifecycle));
    },

    async deleteDecoyLifecycle(decoyId) {
      await table.deleteIfPresent(LIFECYCLE_PARTITION, encodeKey(decoyId));
    },

    async createJournalEntry(entry) {
      return table.create(journalEntityOf(entry), `journal entry ${entry.id} already exists`);
    },

    async updateJournalEntry(entry, etag) {
      return table.update(journalEntityOf(entry), etag, `journal entry ${entry.id} changed since it was read`);
    },

    async getJournalEntry(id) {
      return table.getDocument<JournalEntry>(JOURNAL_PARTITION, encodeKey(id));
    },

    async listJournalEntries(since) {
      return table.collectDocuments<JournalEntry>(odata`PartitionKey eq ${JOURNAL_PARTITION} and (step ne ${'finished'} or updatedAt ge ${since})`);
    },

    async deleteJournalEntriesBefore(before) {
      return table.deleteMatching(odata`PartitionKey eq ${JOURNAL_PARTITION} and step eq ${'finished'} and updatedAt lt ${before}`);
    },
  };
}

function journalEntityOf(entry: JournalEntry): TableEntity {
  return documentEntity(JOURNAL_PARTITION, encodeKey(entry.id), entry, { step: entry.step, updatedAt: entry.updatedAt });
}

import { odata } from '@azure/data-tables';
import type { AuditEntry } from '../../domain/audit.js';
import type { AuditStore } from '../../ports/store/auditStore.js';
import { dayPartitionOf } from '../storeSchemes.js';
import { type DocumentTable, documentEntity } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

/** The admin audit trail, one partition per day, rows ordered by time. */
export function tableAuditStore(table: DocumentTable): AuditStore {
  return {
    async createAuditEntry(entry) {
      await table.upsert(documentEntity(dayPartitionOf(entry.at), encodeKey(`${entry.at}|${entry.id}`), entry, { at: entry.at }));
    },

    listAuditEntries(range = {}) {
      const conditions = [
        range.from === undefined ? undefined : odata`PartitionKey ge ${dayPartitionOf(range.from)} and at ge ${range.from}`,
        range.to === undefined ? undefined : odata`PartitionKey le ${dayPartitionOf(range.to)} and at lt ${range.to}`,
      ].filter((condition): condition is string => condition !== undefined);
      return table.listDocuments<AuditEntry>(conditions.length === 0 ? undefined : conditions.join(' and '));
    },

    async deleteAuditEntriesBefore(before) {
      return table.deletePartitionsBefore(dayPartitionOf(before));
    },
  };
}

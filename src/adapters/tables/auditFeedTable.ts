import { odata } from '@azure/data-tables';
import type { AuditFeedState } from '../../domain/auditFeed.js';
import type { AuditFeedStore } from '../../ports/store/auditFeedStore.js';
import { type DocumentTable, documentEntity } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

const FEED_STATE_PARTITION = 'state';

/** The audit poller's state per content type in one partition, and its copied blobs in one partition per type. */
export function tableAuditFeedStore(table: DocumentTable): AuditFeedStore {
  return {
    async getAuditFeedState(contentType) {
      return (await table.getDocument<AuditFeedState>(FEED_STATE_PARTITION, encodeKey(contentType)))?.value;
    },

    async listAuditFeedStates() {
      return table.collectDocuments<AuditFeedState>(odata`PartitionKey eq ${FEED_STATE_PARTITION}`);
    },

    async upsertAuditFeedState(state) {
      await table.upsert(documentEntity(FEED_STATE_PARTITION, encodeKey(state.contentType), state));
    },

    async listCopiedAuditContent(contentType, since) {
      const ids = new Set<string>();
      for await (const entity of table.list(odata`PartitionKey eq ${copiedPartitionOf(contentType)} and contentCreated ge ${since}`, ['contentId'])) {
        if (typeof entity['contentId'] === 'string') ids.add(entity['contentId']);
      }
      return ids;
    },

    async upsertCopiedAuditContent(contents) {
      await table.writeInTransactions(
        contents.map((content) => ({
          partitionKey: copiedPartitionOf(content.contentType),
          rowKey: encodeKey(content.contentId),
          contentId: content.contentId,
          contentCreated: content.contentCreated,
        })),
        'upsert',
      );
    },

    async deleteCopiedAuditContentBefore(before) {
      return table.deleteMatching(odata`PartitionKey ne ${FEED_STATE_PARTITION} and contentCreated lt ${before}`);
    },
  };
}

/** Copied blobs are partitioned by content type (a listing checks one type's recent ids in one query). */
function copiedPartitionOf(contentType: string): string {
  return `copied-${encodeKey(contentType)}`;
}

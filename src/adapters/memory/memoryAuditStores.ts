import type { AuditEntry } from '../../domain/audit.js';
import type { AuditFeedState, CopiedAuditContent } from '../../domain/auditFeed.js';
import type { AuditFeedStore } from '../../ports/store/auditFeedStore.js';
import type { AuditStore } from '../../ports/store/auditStore.js';
import { dayPartitionOf } from '../storeSchemes.js';
import { DocumentMap } from './documentMap.js';

/** The admin audit trail. */
export function memoryAuditStore(): AuditStore {
  const entries = new DocumentMap<AuditEntry>();
  return {
    async createAuditEntry(entry) {
      entries.set(entry.id, entry);
    },

    async *listAuditEntries(range = {}) {
      for (const entry of entries.values()) {
        if ((range.from === undefined || entry.at >= range.from) && (range.to === undefined || entry.at < range.to)) yield entry;
      }
    },

    async deleteAuditEntriesBefore(before) {
      const boundary = dayPartitionOf(before);
      return entries.deleteWhere((entry) => dayPartitionOf(entry.at) < boundary);
    },
  };
}

/** The audit poller's progress. */
export function memoryAuditFeedStore(): AuditFeedStore {
  const states = new DocumentMap<AuditFeedState>();
  /** content type → content id → copied blob */
  const copied = new Map<string, Map<string, CopiedAuditContent>>();
  return {
    async getAuditFeedState(contentType) {
      return states.get(contentType)?.value;
    },

    async listAuditFeedStates() {
      return states.values();
    },

    async upsertAuditFeedState(state) {
      states.set(state.contentType, state);
    },

    async listCopiedAuditContent(contentType, since) {
      return new Set([...(copied.get(contentType)?.values() ?? [])].filter((content) => content.contentCreated >= since).map((content) => content.contentId));
    },

    async upsertCopiedAuditContent(contents) {
      for (const content of contents) {
        const byId = copied.get(content.contentType) ?? new Map<string, CopiedAuditContent>();
        byId.set(content.contentId, { contentType: content.contentType, contentId: content.contentId, contentCreated: content.contentCreated });
        copied.set(content.contentType, byId);
      }
    },

    async deleteCopiedAuditContentBefore(before) {
      let deleted = 0;
      for (const byId of copied.values()) {
        for (const [id, content] of [...byId]) {
          if (content.contentCreated < before) {
            byId.delete(id);
            deleted += 1;
          }
        }
      }
      return deleted;
    },
  };
}

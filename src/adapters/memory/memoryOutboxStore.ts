import type { OutboxEntry } from '../../domain/delivery.js';
import type { OutboxStore } from '../../ports/store/outboxStore.js';
import { DocumentMap } from './documentMap.js';

export function memoryOutboxStore(): OutboxStore {
  const outbox = new DocumentMap<OutboxEntry>();
  return {
    async createOutboxEntry(entry) {
      if (outbox.has(entry.id)) return false;
      outbox.set(entry.id, entry);
      return true;
    },

    async getOutboxEntry(id) {
      return outbox.get(id);
    },

    async updateOutboxEntry(entry, etag) {
      return outbox.update(entry.id, entry, etag, `outbox entry ${entry.id} changed since it was read`);
    },

    async listDueOutboxEntries(dueBy) {
      return outbox
        .entries()
        .filter(({ value }) => value.status === 'pending' && value.nextAttemptAt <= dueBy)
        .map(({ value, etag }) => ({ value, etag }));
    },

    async *listOutboxEntries() {
      yield* outbox.values();
    },

    async deleteOutboxEntriesBefore(before) {
      return outbox.deleteWhere((entry) => entry.status !== 'pending' && entry.completedAt !== undefined && entry.completedAt < before);
    },
  };
}

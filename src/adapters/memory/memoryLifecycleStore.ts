import type { DecoyLifecycle, JournalEntry } from '../../domain/lifecycle.js';
import type { LifecycleStore } from '../../ports/store/lifecycleStore.js';
import { DocumentMap } from './documentMap.js';

export function memoryLifecycleStore(): LifecycleStore {
  const lifecycles = new DocumentMap<DecoyLifecycle>();
  const journal = new DocumentMap<JournalEntry>();
  return {
    async getDecoyLifecycle(decoyId) {
      return lifecycles.get(decoyId)?.value;
    },

    async listDecoyLifecycles() {
      return lifecycles.values();
    },

    async upsertDecoyLifecycle(lifecycle) {
      lifecycles.set(lifecycle.decoyId, lifecycle);
    },

    async deleteDecoyLifecycle(decoyId) {
      lifecycles.delete(decoyId);
    },

    async createJournalEntry(entry) {
      return journal.create(entry.id, entry, `journal entry ${entry.id} already exists`);
    },

    async updateJournalEntry(entry, etag) {
      return journal.update(entry.id, entry, etag, `journal entry ${entry.id} changed since it was read`);
    },

    async getJournalEntry(id) {
      return journal.get(id);
    },

    async listJournalEntries(since) {
      return journal.values().filter((entry) => entry.step !== 'finished' || entry.updatedAt >= since);
    },

    async deleteJournalEntriesBefore(before) {
      return journal.deleteWhere((entry) => entry.step === 'finished' && entry.updatedAt < before);
    },
  };
}

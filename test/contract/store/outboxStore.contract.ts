import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboxEntry } from '../../../src/domain/delivery.js';
import type { OutboxStore } from '../../../src/ports/store/outboxStore.js';
import { ConcurrencyError } from '../../../src/ports/store/versioned.js';
import { all } from './fixtures.js';

/** What every `OutboxStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function outboxStoreContract(name: string, createStore: () => Promise<OutboxStore>): void {
  describe(`OutboxStore contract: ${name}`, () => {
    it('keeps outbox entries: created once, updated under ETags, listed when due, pruned when complete', async () => {
      const store = await createStore();
      const entry = (id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
        id,
        channel: 'teams',
        notification: { kind: 'incident', incidentId: id.split('|')[2] ?? 'x' },
        severity: 'high',
        title: 'Sign-in as decoy user',
        status: 'pending',
        createdAt: '2026-11-28T12:00:00.000Z',
        attempts: 0,
        nextAttemptAt: '2026-11-28T12:00:00.000Z',
        ...overrides,
      });
      assert.equal(await store.createOutboxEntry(entry('teams|incident|a/b#1')), true);
      assert.equal(await store.createOutboxEntry(entry('teams|incident|a/b#1', { attempts: 9 })), false, 'enqueuing twice is one entry');
      await store.createOutboxEntry(
        entry('webhook|alert|later', { channel: 'webhook', notification: { kind: 'alert', alertId: 'later' }, nextAttemptAt: '2026-11-28T13:00:00.000Z' }),
      );
      await store.createOutboxEntry(entry('email|incident|done', { channel: 'email', status: 'delivered', completedAt: '2026-10-01T00:00:00.000Z' }));
      const due = await store.listDueOutboxEntries('2026-11-28T12:30:00.000Z');
      assert.deepEqual(
        due.map(({ value }) => value.id),
        ['teams|incident|a/b#1'],
      );
      const etag = await store.updateOutboxEntry({ ...due[0]!.value, attempts: 1, status: 'delivered', completedAt: '2026-11-28T12:01:00.000Z' }, due[0]!.etag);
      await assert.rejects(store.updateOutboxEntry({ ...due[0]!.value, attempts: 2 }, due[0]!.etag), ConcurrencyError, 'a second sender loses its claim');
      assert.equal((await store.getOutboxEntry('teams|incident|a/b#1'))?.etag, etag);
      assert.equal((await store.getOutboxEntry('teams|incident|a/b#1'))?.value.attempts, 1);
      assert.deepEqual(await store.listDueOutboxEntries('2026-11-28T12:30:00.000Z'), []);
      assert.equal(await store.deleteOutboxEntriesBefore('2026-11-01T00:00:00.000Z'), 1, 'only the long-completed entry');
      assert.equal((await all(store.listOutboxEntries())).length, 2);
    });
  });
}

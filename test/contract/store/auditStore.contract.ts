import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditStore } from '../../../src/ports/store/auditStore.js';
import { all } from './fixtures.js';

/** What every `AuditStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function auditStoreContract(name: string, createStore: () => Promise<AuditStore>): void {
  describe(`AuditStore contract: ${name}`, () => {
    it('keeps the audit trail, lists it by time range and prunes whole days', async () => {
      const store = await createStore();
      const entry = (id: string, at: string) => ({
        id,
        at,
        caller: { objectId: 'o1', userPrincipalName: 'admin@contoso.example' },
        action: 'decoy.update',
        target: `decoy:${id}`,
        outcome: 'succeeded' as const,
        status: 200,
        detail: 'enabled: true → false',
      });
      await store.createAuditEntry(entry('e1', '2026-11-01T23:59:59.000Z'));
      await store.createAuditEntry(entry('e2', '2026-11-02T00:00:00.000Z'));
      await store.createAuditEntry(entry('e3', '2026-11-03T12:00:00.000Z'));
      await store.createAuditEntry(entry('e3', '2026-11-03T12:00:00.000Z'));
      const ids = async (range?: { from?: string; to?: string }) => (await all(store.listAuditEntries(range))).map((item) => item.id).sort();
      assert.deepEqual(await ids(), ['e1', 'e2', 'e3']);
      assert.deepEqual(await ids({ from: '2026-11-02T00:00:00.000Z' }), ['e2', 'e3']);
      assert.deepEqual(await ids({ from: '2026-11-01T12:00:00.000Z', to: '2026-11-03T12:00:00.000Z' }), ['e1', 'e2']);
      assert.deepEqual((await all(store.listAuditEntries()))[0]?.caller, { objectId: 'o1', userPrincipalName: 'admin@contoso.example' });
      assert.equal(await store.deleteAuditEntriesBefore('2026-11-02T06:00:00.000Z'), 1);
      assert.deepEqual(await ids(), ['e2', 'e3']);
    });
  });
}

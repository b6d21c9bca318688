import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditFeedStore } from '../../../src/ports/store/auditFeedStore.js';

/** What every `AuditFeedStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function auditFeedStoreContract(name: string, createStore: () => Promise<AuditFeedStore>): void {
  describe(`AuditFeedStore contract: ${name}`, () => {
    it("keeps the audit poller's state per content type and the copied blobs per type, listed since a time and pruned", async () => {
      const store = await createStore();
      assert.equal(await store.getAuditFeedState('Audit.Exchange'), undefined);
      await store.upsertAuditFeedState({ contentType: 'Audit.Exchange', subscribedAt: '2026-11-20T00:00:00.000Z' });
      await store.upsertAuditFeedState({ contentType: 'Audit.Exchange', subscribedAt: '2026-11-20T00:00:00.000Z', listedUntil: '2026-11-28T11:55:00.000Z' });
      await store.upsertAuditFeedState({ contentType: 'Audit.AzureActiveDirectory' });
      assert.deepEqual(await store.getAuditFeedState('Audit.Exchange'), {
        contentType: 'Audit.Exchange',
        subscribedAt: '2026-11-20T00:00:00.000Z',
        listedUntil: '2026-11-28T11:55:00.000Z',
      });
      const blob = (contentType: string, contentId: string, contentCreated: string) => ({ contentType, contentId, contentCreated });
      const awkward = '20261128115500123$20261128115500123$audit_exchange$Audit_Exchange$emea0021/x#y?';
      await store.upsertCopiedAuditContent([
        blob('Audit.Exchange', 'old', '2026-11-20T10:00:00.000Z'),
        blob('Audit.Exchange', awkward, '2026-11-28T11:50:00.000Z'),
        blob('Audit.AzureActiveDirectory', 'aad-1', '2026-11-28T11:50:00.000Z'),
      ]);
      await store.upsertCopiedAuditContent([blob('Audit.Exchange', awkward, '2026-11-28T11:50:00.000Z')]);
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.Exchange', '2026-11-28T00:00:00.000Z'))], [awkward]);
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.Exchange', '2026-11-01T00:00:00.000Z'))].sort(), [awkward, 'old'].sort());
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.AzureActiveDirectory', '2026-11-28T00:00:00.000Z'))], ['aad-1']);
      assert.equal(await store.deleteCopiedAuditContentBefore('2026-11-21T00:00:00.000Z'), 1);
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.Exchange', '2026-11-01T00:00:00.000Z'))], [awkward]);
      assert.ok((await store.getAuditFeedState('Audit.AzureActiveDirectory')) !== undefined, 'pruning blobs leaves the state');
    });

    it("lists every content type's state, and only states (never a copied blob), with a disabling and its alert kept whole", async () => {
      const store = await createStore();
      assert.deepEqual(await store.listAuditFeedStates(), []);
      const disabled = {
        contentType: 'Audit.Exchange',
        subscribedAt: '2026-11-20T00:00:00.000Z',
        listedUntil: '2026-11-28T11:55:00.000Z',
        startRequestedAt: '2026-11-20T00:00:00.000Z',
        disabled: { since: '2026-11-28T12:00:00.000Z', detail: 'AF20023: The subscription was disabled by a tenant admin.' },
        silentAlertId: 'a1',
      };
      await store.upsertAuditFeedState(disabled);
      await store.upsertAuditFeedState({ contentType: 'Audit.AzureActiveDirectory', listedUntil: '2026-11-28T11:55:00.000Z' });
      await store.upsertCopiedAuditContent([{ contentType: 'Audit.Exchange', contentId: 'x1', contentCreated: '2026-11-28T11:50:00.000Z' }]);
      const listed = (await store.listAuditFeedStates()).sort((a, b) => a.contentType.localeCompare(b.contentType));
      assert.deepEqual(listed, [{ contentType: 'Audit.AzureActiveDirectory', listedUntil: '2026-11-28T11:55:00.000Z' }, disabled]);
      // Enabled again: the state is replaced whole, so the disabling is gone from the listing too.
      const { disabled: _gone, ...enabled } = disabled;
      await store.upsertAuditFeedState(enabled);
      assert.deepEqual(
        (await store.listAuditFeedStates()).find((state) => state.contentType === 'Audit.Exchange'),
        enabled,
      );
    });
  });
}

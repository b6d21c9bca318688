import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MailBaselineStore } from '../../../src/ports/store/mailBaselineStore.js';
import { ConcurrencyError } from '../../../src/ports/store/versioned.js';

/** What every `MailBaselineStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function mailBaselineStoreContract(name: string, createStore: () => Promise<MailBaselineStore>): void {
  describe(`MailBaselineStore contract: ${name}`, () => {
    it('keeps one mail baseline per mailbox, created once, updated at its ETag', async () => {
      const store = await createStore();
      const baseline = {
        mailbox: 'finance/archive#1@contoso.example',
        firstSeen: '2026-11-01T00:00:00.000Z',
        pairs: { '00000003-0000-0000-c000-000000000000|': '2026-11-01T00:00:00.000Z' },
      };
      const created = await store.createMailBaseline(baseline);
      await assert.rejects(store.createMailBaseline(baseline), ConcurrencyError);
      const read = await store.getMailBaseline(baseline.mailbox);
      assert.deepEqual(read?.value, baseline);
      assert.equal(read.etag, created, 'create returns the ETag a read then sees');
      const grown = { ...baseline, pairs: { ...baseline.pairs, 'a|b': '2026-11-20T00:00:00.000Z' } };
      const updated = await store.updateMailBaseline(grown, read.etag);
      assert.equal((await store.getMailBaseline(baseline.mailbox))?.etag, updated);
      await assert.rejects(store.updateMailBaseline(baseline, read.etag), ConcurrencyError);
      assert.deepEqual((await store.getMailBaseline(baseline.mailbox))?.value, grown);
      assert.equal(await store.getMailBaseline('nobody@contoso.example'), undefined);
    });
  });
}

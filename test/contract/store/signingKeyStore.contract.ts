import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SigningKeyStore } from '../../../src/ports/store/signingKeyStore.js';

/** What every `SigningKeyStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function signingKeyStoreContract(name: string, createStore: () => Promise<SigningKeyStore>): void {
  describe(`SigningKeyStore contract: ${name}`, () => {
    it('keeps the signing-key history by kid and the last fetch of each key set', async () => {
      const store = await createStore();
      const key = {
        kid: 'a/b+c',
        x5t: 'a/b+c',
        set: 'organization' as const,
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        firstSeen: '2026-11-01T00:00:00.000Z',
        lastSeen: '2026-11-02T00:00:00.000Z',
      };
      const consumer = { kid: 'msa1', set: 'consumer' as const, certificateNotAfter: '2021-04-04T14:43:35.000Z' };
      await store.upsertSigningKeys([key, consumer]);
      await store.upsertSigningKeys([{ ...key, lastSeen: '2026-11-03T00:00:00.000Z' }]);
      assert.deepEqual(
        (await store.listSigningKeys()).sort((a, b) => a.kid.localeCompare(b.kid)),
        [{ ...key, lastSeen: '2026-11-03T00:00:00.000Z' }, consumer],
      );
      await store.upsertKeySetFetches([
        { set: 'organization', fetchedAt: '2026-11-03T00:00:00.000Z' },
        { set: 'app:3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', fetchedAt: '2026-11-03T00:00:00.000Z' },
      ]);
      await store.upsertKeySetFetches([{ set: 'organization', fetchedAt: '2026-11-03T01:00:00.000Z' }]);
      assert.deepEqual(
        (await store.listKeySetFetches()).sort((a, b) => a.set.localeCompare(b.set)),
        [
          { set: 'app:3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', fetchedAt: '2026-11-03T00:00:00.000Z' },
          { set: 'organization', fetchedAt: '2026-11-03T01:00:00.000Z' },
        ],
      );
    });
  });
}

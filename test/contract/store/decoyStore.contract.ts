import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decoy } from '../../../src/domain/decoys.js';
import { MAX_DECOYS_PER_WRITE, type DecoyStore } from '../../../src/ports/store/decoyStore.js';
import { ConcurrencyError } from '../../../src/ports/store/versioned.js';

/** What every `DecoyStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function decoyStoreContract(name: string, createStore: () => Promise<DecoyStore>): void {
  describe(`DecoyStore contract: ${name}`, () => {
    it('stores, lists, replaces and deletes decoys', async () => {
      const store = await createStore();
      const user: Decoy = {
        id: 'd-user-1',
        kind: 'user',
        enabled: true,
        userPrincipalName: 'svc-backup@contoso.example',
        objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44',
      };
      const token: Decoy = { id: 'd-token-1', kind: 'token', enabled: false, kid: 'k/1#?', memo: 'planted in repo' };
      await store.upsertDecoy(user);
      await store.upsertDecoy(token);
      assert.deepEqual(
        (await store.listDecoys()).sort((a, b) => a.id.localeCompare(b.id)),
        [token, user],
      );
      const read = await store.getDecoy('d-token-1');
      assert.deepEqual(read?.value, token);
      assert.ok(read.etag.length > 0);

      await store.upsertDecoy({ ...user, enabled: false });
      assert.equal((await store.getDecoy('d-user-1'))?.value.enabled, false);
      await store.deleteDecoy('d-user-1');
      await store.deleteDecoy('never-existed');
      assert.equal(await store.getDecoy('d-user-1'), undefined);
      assert.deepEqual(await store.listDecoys(), [token]);
    });

    it('updates a decoy only at the ETag it was read at', async () => {
      const store = await createStore();
      const decoy: Decoy = { id: 'd-token-2', kind: 'token', enabled: true, kid: 'k/2#?' };
      await store.upsertDecoy(decoy);
      const first = await store.getDecoy(decoy.id);
      const second = await store.getDecoy(decoy.id);
      assert.ok(first !== undefined && second !== undefined);
      const etag = await store.updateDecoy({ ...decoy, enabled: false }, first.etag);
      await assert.rejects(store.updateDecoy({ ...decoy, memo: 'lost' }, second.etag), ConcurrencyError);
      const latest = await store.getDecoy(decoy.id);
      assert.deepEqual(latest?.value, { ...decoy, enabled: false });
      assert.equal(latest.etag, etag);
      await store.deleteDecoy(decoy.id);
      await assert.rejects(store.updateDecoy(decoy, etag), ConcurrencyError);
      assert.equal(await store.getDecoy(decoy.id), undefined);
    });

    it('writes decoys at a registry version only while no decoy was written since, all or none', async () => {
      const store = await createStore();
      const first: Decoy = { id: 'd-token-a', kind: 'token', enabled: true, kid: 'kid-a' };
      const second: Decoy = { id: 'd-token-b', kind: 'token', enabled: true, kid: 'kid-b' };
      const empty = await store.getDecoyRegistry();
      assert.deepEqual(empty.value, []);
      const afterFirst = await store.upsertDecoys([first], empty.etag);
      assert.notEqual(afterFirst, empty.etag);
      // A racer that read the empty registry loses, and writes nothing.
      await assert.rejects(store.upsertDecoys([second, { ...first, memo: 'racer' }], empty.etag), ConcurrencyError);
      assert.deepEqual(await store.listDecoys(), [first]);
      const read = await store.getDecoyRegistry();
      assert.deepEqual(read, { value: [first], etag: afterFirst });
      await store.upsertDecoys([second, { ...first, memo: 'second write' }], read.etag);
      assert.deepEqual(
        (await store.listDecoys()).sort((a, b) => a.id.localeCompare(b.id)),
        [{ ...first, memo: 'second write' }, second],
      );
      await assert.rejects(
        store.upsertDecoys(
          Array.from({ length: MAX_DECOYS_PER_WRITE + 1 }, (_, index) => ({ ...first, id: `d-${index}`, kid: `k-${index}` })),
          (await store.getDecoyRegistry()).etag,
        ),
        RangeError,
      );
    });

    it('moves the registry version on every decoy write, so a decision on an older registry cannot be written', async () => {
      const store = await createStore();
      const decoy: Decoy = { id: 'd-user-v', kind: 'user', enabled: true, userPrincipalName: 'svc-v@contoso.example' };
      const writes: [string, () => Promise<unknown>][] = [
        ['upsertDecoy', () => store.upsertDecoy(decoy)],
        ['updateDecoy', async () => store.updateDecoy({ ...decoy, enabled: false }, (await store.getDecoy(decoy.id))!.etag)],
        ['deleteDecoy', () => store.deleteDecoy(decoy.id)],
      ];
      for (const [name, write] of writes) {
        const before = await store.getDecoyRegistry();
        await write();
        const after = await store.getDecoyRegistry();
        assert.notEqual(after.etag, before.etag, `${name} moves the version`);
        await assert.rejects(store.upsertDecoys([], before.etag), ConcurrencyError, `${name}: the older version is refused`);
      }
      // Deleting what is not there changes nothing.
      const before = await store.getDecoyRegistry();
      await store.deleteDecoy('never-existed');
      assert.equal((await store.getDecoyRegistry()).etag, before.etag);
    });
  });
}

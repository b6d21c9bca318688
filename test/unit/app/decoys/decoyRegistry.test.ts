import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecoyRegistry } from '../../../../src/app/decoys/decoyRegistry.js';
import type { Decoy } from '../../../../src/domain/decoys.js';
import { memoryDecoyStore } from '../../../../src/adapters/memory/memoryDecoyStore.js';
import { memoryLifecycleStore } from '../../../../src/adapters/memory/memoryLifecycleStore.js';
import type { DecoyStore } from '../../../../src/ports/store/decoyStore.js';
import type { LifecycleStore } from '../../../../src/ports/store/lifecycleStore.js';

const TOKEN: Decoy = { id: 't', kind: 'token', enabled: true, kid: 'k1' };

/** A store that counts how often the decoys are read. */
function countingStore(): DecoyStore & LifecycleStore & { reads: number } {
  const inner = { ...memoryDecoyStore(), ...memoryLifecycleStore() };
  const store = {
    ...inner,
    reads: 0,
    async listDecoys(): Promise<Decoy[]> {
      store.reads += 1;
      return inner.listDecoys();
    },
  };
  return store;
}

describe('DecoyRegistry', () => {
  it('reads the store once per refresh interval, and again after invalidate()', async () => {
    const store = countingStore();
    await store.upsertDecoy(TOKEN);
    let nowMs = 0;
    const registry = new DecoyRegistry(store, { now: () => new Date(nowMs) }, 30_000);
    assert.equal((await registry.current()).find('tokenKid', 'k1')?.id, 't');
    nowMs = 29_999;
    await registry.current();
    assert.equal(store.reads, 1);
    nowMs = 30_000;
    await registry.current();
    assert.equal(store.reads, 2);
    registry.invalidate();
    await registry.current();
    assert.equal(store.reads, 3);
  });

  it('shares one read between concurrent batches', async () => {
    const store = countingStore();
    const registry = new DecoyRegistry(store, { now: () => new Date(0) }, 30_000);
    const [a, b] = await Promise.all([registry.current(), registry.current()]);
    assert.equal(a, b);
    assert.equal(store.reads, 1);
  });

  it('does not keep a failed read: the next batch tries again', async () => {
    const store = countingStore();
    let fail = true;
    store.listDecoys = () => {
      if (fail) return Promise.reject(new Error('store down'));
      return Promise.resolve([TOKEN]);
    };
    const registry = new DecoyRegistry(store, { now: () => new Date(0) }, 30_000);
    await assert.rejects(registry.current(), /store down/);
    fail = false;
    assert.equal((await registry.current()).size, 1);
  });
});

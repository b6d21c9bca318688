import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStateStore } from '../../../../src/adapters/memoryStateStore.js';
import { DecoyRegistry } from '../../../../src/app/decoys/decoyRegistry.js';
import type { Decoy } from '../../../../src/domain/decoys.js';

const TOKEN: Decoy = { id: 't', kind: 'token', enabled: true, kid: 'k1' };

/** A store that counts how often the decoys are read. */
class CountingStore extends MemoryStateStore {
  reads = 0;
  override async listDecoys(): Promise<Decoy[]> {
    this.reads += 1;
    return super.listDecoys();
  }
}

describe('DecoyRegistry', () => {
  it('reads the store once per refresh interval, and again after invalidate()', async () => {
    const store = new CountingStore();
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
    const store = new CountingStore();
    const registry = new DecoyRegistry(store, { now: () => new Date(0) }, 30_000);
    const [a, b] = await Promise.all([registry.current(), registry.current()]);
    assert.equal(a, b);
    assert.equal(store.reads, 1);
  });

  it('does not keep a failed read: the next batch tries again', async () => {
    const store = new CountingStore();
    let fail = true;
    store.listDecoys = async () => {
      if (fail) throw new Error('store down');
      return [TOKEN];
    };
    const registry = new DecoyRegistry(store, { now: () => new Date(0) }, 30_000);
    await assert.rejects(registry.current(), /store down/);
    fail = false;
    assert.equal((await registry.current()).size, 1);
  });
});

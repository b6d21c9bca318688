import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentTokens } from '../../../src/app/recentTokens.js';

describe('RecentTokens', () => {
  it('keeps at most its capacity, forgetting the earliest indexed first', () => {
    const recent = new RecentTokens(3);
    for (const uti of ['a', 'b', 'c', 'd']) recent.add(uti);
    assert.equal(recent.size, 3);
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((uti) => recent.has(uti)),
      [false, true, true, true],
    );
  });

  it('counts a token indexed again once, and evicts nothing for it', () => {
    const recent = new RecentTokens(3);
    for (const uti of ['a', 'b', 'c', 'a', 'c']) recent.add(uti);
    assert.equal(recent.size, 3);
    assert.deepEqual(
      ['a', 'b', 'c'].map((uti) => recent.has(uti)),
      [true, true, true],
    );
  });

  it('keeps the latest tokens through many rounds of eviction', () => {
    const recent = new RecentTokens(1_000);
    for (let index = 0; index < 25_000; index += 1) {
      recent.add(`t${index}`);
      if (index % 7 === 0) recent.add(`t${index - 3}`);
    }
    assert.equal(recent.size, 1_000);
    assert.equal(recent.has('t24999'), true);
    assert.equal(recent.has('t24000'), true);
    assert.equal(recent.has('t23999'), false);
  });

  it('remembers nothing with capacity 0 (LURE_ISSUANCE_CACHE_SIZE=0)', () => {
    const recent = new RecentTokens(0);
    recent.add('a');
    assert.equal(recent.has('a'), false);
    assert.equal(recent.size, 0);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeKey, fromChunks, MAX_CHUNK_LENGTH, toChunks } from '../../../src/adapters/tables/tableKeys.js';

// Characters Table Storage forbids in PartitionKey and RowKey.
// eslint-disable-next-line no-control-regex -- the control characters are the point: keys must never hold them
const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

describe('encodeKey', () => {
  it('never lets a forbidden character into a key, and keeps distinct ids distinct', () => {
    const ids = ['a/b', 'a\\b', 'a#b', 'a?b', 'ctl\u0001', 'ünï', '<m@x>', 'a', 'A'];
    const keys = ids.map(encodeKey);
    for (const key of keys) assert.doesNotMatch(key, FORBIDDEN);
    assert.equal(new Set(keys).size, ids.length);
  });

  it('hashes ids too long for a key', () => {
    const key = encodeKey('x'.repeat(2000));
    assert.match(key, /^h[0-9a-f]{64}$/);
    assert.notEqual(key, encodeKey(`${'x'.repeat(1999)}y`));
  });
});

describe('toChunks and fromChunks', () => {
  it('split text over numbered properties and join it back', () => {
    const text = 'é'.repeat(MAX_CHUNK_LENGTH * 2 + 7);
    const properties = toChunks('doc', text);
    assert.equal(properties['docChunks'], 3);
    assert.equal(fromChunks('doc', properties), text);
    assert.deepEqual(toChunks('doc', ''), { doc0: '', docChunks: 1 });
    assert.equal(fromChunks('doc', toChunks('doc', '')), '');
  });

  it('refuse an entity whose chunks are missing', () => {
    assert.throws(() => fromChunks('doc', { doc0: 'x' }), /docChunks/);
    assert.throws(() => fromChunks('doc', { docChunks: 2, doc0: 'x' }), /doc1/);
  });
});

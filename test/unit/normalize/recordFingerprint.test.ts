import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordFingerprint } from '../../../src/normalize/recordFingerprint.js';

describe('recordFingerprint', () => {
  it('is a short sha256 id, the same for the same parts', () => {
    const id = recordFingerprint('exchange', '{"Operation":"Send"}');
    assert.match(id, /^sha256:[0-9a-f]{32}$/);
    assert.equal(recordFingerprint('exchange', '{"Operation":"Send"}'), id);
  });

  it('separates parts, so moving a boundary changes the id', () => {
    assert.notEqual(recordFingerprint('ab', 'c'), recordFingerprint('a', 'bc'));
    assert.notEqual(recordFingerprint('a', 'b'), recordFingerprint('b', 'a'));
  });

  it('treats an absent part as empty, but still as a part', () => {
    assert.equal(recordFingerprint('token', undefined, 'x'), recordFingerprint('token', '', 'x'));
    assert.notEqual(recordFingerprint('token', 'x'), recordFingerprint('token', undefined, 'x'));
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
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

  it('is the SHA-256 of the parts, each followed by a NUL: ids stored by earlier versions stay the same', () => {
    const reference = createHash('sha256')
      .update('token')
      .update('\u0000')
      .update('2026-11-02T08:00:00.000Z')
      .update('\u0000')
      .update('\u0000')
      .update('eyJ.é')
      .update('\u0000')
      .digest('hex');
    assert.equal(recordFingerprint('token', '2026-11-02T08:00:00.000Z', undefined, 'eyJ.é'), `sha256:${reference.slice(0, 32)}`);
  });
});

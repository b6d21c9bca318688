import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { boundedJsonText, boundExceeded, RECORD_BOUNDS } from '../../../src/normalize/recordBounds.js';

/** `levels` arrays or objects nested in one another (`levels` 1 is `[]` or `{"a":0}`), built from text, as a parser would. */
function nested(levels: number, shape: 'array' | 'object'): unknown {
  return JSON.parse(shape === 'array' ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}0${'}'.repeat(levels)}`);
}

describe('record bounds', () => {
  it('lets a record as deep as the bound through and calls one level more too deep, for arrays and objects', () => {
    for (const shape of ['array', 'object'] as const) {
      assert.equal(boundExceeded(nested(RECORD_BOUNDS.maxDepth, shape)), undefined, shape);
      assert.equal(boundExceeded(nested(RECORD_BOUNDS.maxDepth + 1, shape)), 'too-deep', shape);
      assert.equal(boundExceeded(nested(100_000, shape)), 'too-deep', shape);
    }
    // Depth counts along one path, not across siblings.
    const wide = { a: nested(RECORD_BOUNDS.maxDepth - 1, 'object'), b: nested(RECORD_BOUNDS.maxDepth - 1, 'array') };
    assert.equal(boundExceeded(wide), undefined);
    assert.equal(boundExceeded({ records: [wide] }), 'too-deep');
  });

  it('calls a record too large only past the bound, counting its JSON text from below', () => {
    const prefix = JSON.stringify({ blob: '' }).length;
    const fits = { blob: 'x'.repeat(RECORD_BOUNDS.maxLength - prefix) };
    assert.equal(JSON.stringify(fits).length, RECORD_BOUNDS.maxLength);
    assert.equal(boundExceeded(fits), undefined);
    assert.equal(boundExceeded({ blob: 'x'.repeat(RECORD_BOUNDS.maxLength) }), 'too-large');
    // Many small values count as much as one long one.
    assert.equal(boundExceeded(Array.from({ length: RECORD_BOUNDS.maxLength / 2 }, () => 0)), 'too-large');
    assert.equal(boundExceeded(Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`key-${index}`, index]))), 'too-large');
    assert.equal(boundExceeded('x'.repeat(RECORD_BOUNDS.maxLength)), 'too-large');
  });

  it('never calls too large what JSON.stringify writes within the bound', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        if (text.length <= RECORD_BOUNDS.maxLength) assert.notEqual(boundExceeded(value), 'too-large');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('boundedJsonText', () => {
  it('is JSON.stringify for records within the bounds, so dead-letter ids stay what they were', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => assert.equal(boundedJsonText(value), JSON.stringify(value))),
      { numRuns: 2000 },
    );
  });

  it('writes a record past the bounds as text of bounded length, marking what is too deep, without throwing', () => {
    const deep = boundedJsonText(nested(100_000, 'array'));
    assert.equal(deep, `${'['.repeat(RECORD_BOUNDS.maxDepth)}"[deeper]"${']'.repeat(RECORD_BOUNDS.maxDepth)}`);
    const deepObject = boundedJsonText({ category: 'SignInLogs', properties: nested(100_000, 'object') });
    assert.ok(deepObject.startsWith('{"category":"SignInLogs","properties":{"a":{"a":'));
    assert.ok(deepObject.includes('"[deeper]"'));
    assert.doesNotThrow(() => JSON.parse(deepObject), 'a deep record gives valid JSON text');

    const large = boundedJsonText({ blob: 'x'.repeat(5 * RECORD_BOUNDS.maxLength) }, 1000);
    assert.equal(large.length, 1001);
    assert.ok(large.startsWith('{"blob":"xxx') && large.endsWith('…'));
    assert.equal(
      boundedJsonText(
        Array.from({ length: 1_000_000 }, () => 7),
        100,
      ).length,
      101,
    );
  });

  it('writes values no parser makes without throwing', () => {
    const throwing = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    assert.equal(boundedJsonText(throwing), '"[unrenderable]"');
    assert.equal(boundedJsonText(10n), '"[unrenderable]"');
    assert.equal(boundedJsonText(undefined), 'undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    assert.ok(boundedJsonText(cyclic).includes('"[deeper]"'), 'a cycle is only as deep as the bound lets it go');
  });
});

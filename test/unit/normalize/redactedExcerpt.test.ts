import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXCERPT_LENGTH, redactedExcerpt } from '../../../src/normalize/redactedExcerpt.js';

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

const header = segment({ alg: 'RS256', kid: 'LureTestKid' });
const payload = segment({ uti: 'ExcerptTokenGGGGGGGGGG', tid: 'a1b2c3d4-0000-4000-8000-00000000aa01' });
const token = `${header}.${payload}.c2lnbmF0dXJl`;

describe('redactedExcerpt', () => {
  it('redacts the jwt property of a token observation, whatever it holds', () => {
    for (const jwt of [token, 'garbled.not-a-token', 'a.b.c.d']) {
      const excerpt = redactedExcerpt({ time: '2025-03-05T09:00:00Z', category: 'TokenObservation', properties: { jwt, observer: 'apim-prod' } });
      assert.equal(excerpt, '{"time":"2025-03-05T09:00:00Z","category":"TokenObservation","properties":{"jwt":"[redacted]","observer":"apim-prod"}}');
    }
  });

  it('redacts anything shaped like a JWT in free text, with or without signature', () => {
    const raw = `{"headers":{"Authorization":"Bearer ${token}"},"other":"${header}.${payload}"}`;
    const excerpt = redactedExcerpt(raw);
    assert.equal(excerpt, '{"headers":{"Authorization":"Bearer [redacted-token]"},"other":"[redacted-token]"}');
  });

  it('redacts a token wherever its run of base64url starts: glued to other characters, URL-encoded, after a dotted prefix', () => {
    assert.equal(redactedExcerpt(`Authorization=Bearer%20${token}&x=1`), 'Authorization=Bearer%20[redacted-token]&x=1');
    assert.equal(redactedExcerpt(`abc${token}`), 'abc[redacted-token]');
    assert.equal(redactedExcerpt(`v1.${header}.${payload}`), 'v1.[redacted-token]');
    // Past three segments too: nothing after the header survives, whatever its segments start with.
    assert.equal(redactedExcerpt(`v1.${header}.${header}.c2ln`), 'v1.[redacted-token]');
    assert.equal(redactedExcerpt(`a.b.${header}.cGF5bG9hZA.c2ln "next"`), 'a.b.[redacted-token] "next"');
    assert.equal(redactedExcerpt('https://graph.microsoft.com/v1.0/me/messages?$top=10'), 'https://graph.microsoft.com/v1.0/me/messages?$top=10');
  });

  it('reads a window of nothing but token headers as one run (a pattern retried at each would rescan it quadratically)', () => {
    const run = 'eyJ'.repeat(20_000);
    assert.equal(redactedExcerpt(`${run}.x`), '[redacted-token]');
    const noDot = redactedExcerpt(run);
    assert.equal(noDot, `${run.slice(0, MAX_EXCERPT_LENGTH)}…`);
  });

  it('redacts a token in a malformed (truncated) line', () => {
    const excerpt = redactedExcerpt(`{"category":"TokenObservation","properties":{"jwt":"${header}.${payload}`);
    assert.equal(excerpt.includes(payload), false);
    assert.equal(excerpt.includes(header), false);
  });

  it('cuts long text to the maximum length, after redacting, so no token is left half-visible', () => {
    const prefix = 'x'.repeat(MAX_EXCERPT_LENGTH - 10);
    const excerpt = redactedExcerpt(`${prefix}${token}${'y'.repeat(100)}`);
    assert.equal(excerpt.length, MAX_EXCERPT_LENGTH + 1);
    assert.ok(excerpt.endsWith('…'));
    assert.equal(excerpt.includes(header.slice(0, 8)), false);
    assert.ok(excerpt.startsWith(prefix));
  });

  it('keeps short text without tokens as it is', () => {
    assert.equal(redactedExcerpt('{"records": "x"}'), '{"records": "x"}');
    assert.equal(redactedExcerpt(42), '42');
    assert.equal(redactedExcerpt(undefined), 'undefined');
  });
});

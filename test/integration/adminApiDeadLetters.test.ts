import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useAdminApi } from '../helpers/adminTokens.js';
import { movableClock, testServices } from '../helpers/services.js';

const NOW = '2026-11-28T12:00:00.000Z';
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token-shaped string a bad record carries: its excerpt must not. */
const TOKEN = `${part({ alg: 'RS256', kid: 'k' })}.${part({ uti: 'secretTokenId00000000' })}.c2lnbmF0dXJl`;

describe('GET /api/dead-letters', () => {
  const clock = movableClock(NOW);
  const { tenant, services, server } = useAdminApi(new Date(NOW), ({ settings }) => testServices({ settings, clock }));

  before(async () => {
    await services().ingest([`{"records":[{"category":"NotACategory","authorization":"Bearer ${TOKEN}"}]}`], 'entra partition 0');
    clock.advance(60_000);
    await services().ingest(['not json at all'], 'exchange partition 1');
  });

  async function get(
    path: string,
  ): Promise<{ status: number; body: { items: { reason: string; origin: string; excerpt: string; receivedAt: string }[]; continuation?: string } }> {
    const answer = await fetch(`${server().url}${path}`, { headers: { authorization: `Bearer ${await tenant().mint({ roles: ['Lure.Reader'] })}` } });
    return { status: answer.status, body: (await answer.json()) as never };
  }

  it('lists them newest first for a reader, with reason, origin, time and an excerpt with tokens redacted', async () => {
    const { status, body } = await get('/dead-letters');
    assert.equal(status, 200);
    assert.deepEqual(
      body.items.map((letter) => [letter.reason, letter.origin]),
      [
        ['malformed-json', 'exchange partition 1'],
        ['unrecognized-shape', 'entra partition 0'],
      ],
    );
    assert.ok(body.items[0]!.receivedAt > body.items[1]!.receivedAt);
    assert.match(body.items[1]!.excerpt, /Bearer \[redacted-token\]/);
    assert.ok(!JSON.stringify(body).includes(TOKEN.split('.')[1]!), 'no token part reaches the answer');
  });

  it('pages them', async () => {
    const first = await get('/dead-letters?top=1');
    assert.equal(first.body.items.length, 1);
    assert.ok(first.body.continuation !== undefined);
    const second = await get(`/dead-letters?top=1&continuation=${first.body.continuation}`);
    assert.deepEqual(
      second.body.items.map((letter) => letter.reason),
      ['unrecognized-shape'],
    );
    assert.equal(second.body.continuation, undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SigningKey } from '../../../src/domain/signingKeys.js';
import { CLOUDS, CONSUMER_TENANT_ID, issuerKindOf, keySetUrl } from '../../../src/keys/clouds.js';
import { retainedBytes } from '../../helpers/retainedHeap.js';
import { COMPROMISED_KEYS, isCompromisedKeyId } from '../../../src/keys/compromisedKeys.js';
import { recordFetch, retiredSince, SigningKeyIndex } from '../../../src/keys/keyHistory.js';
import { parseJwks } from '../../../src/keys/parseJwks.js';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('known-compromised keys', () => {
  it('name the Storm-0558 key by its kid, which is the base64url of its SHA-1 thumbprint', () => {
    for (const key of COMPROMISED_KEYS) {
      assert.equal(Buffer.from(key.thumbprint, 'hex').toString('base64url'), key.kid);
      assert.ok(isCompromisedKeyId(key.kid));
    }
    assert.ok(COMPROMISED_KEYS.some((key) => key.kid === '1LTMzakihiRla_8z2BEJVXeWMqo' && key.thumbprint === 'd4b4cccda9228624656bff33d8110955779632aa'));
    assert.equal(new Set(COMPROMISED_KEYS.map((key) => key.kid)).size, COMPROMISED_KEYS.length);
    assert.equal(isCompromisedKeyId('orgKeyCurrent00000000000000'), false);
  });
});

describe('issuerKindOf', () => {
  const publicCloud = ['https://login.microsoftonline.com', 'https://sts.windows.net'] as const;
  it('tells organisation (v1 and v2) and consumer issuers of the cloud from any other', () => {
    assert.deepEqual(issuerKindOf(`https://login.microsoftonline.com/${TENANT.toUpperCase()}/v2.0`, ...publicCloud), {
      kind: 'organization',
      tenantId: TENANT,
    });
    assert.deepEqual(issuerKindOf(`https://sts.windows.net/${TENANT}/`, ...publicCloud), { kind: 'organization', tenantId: TENANT });
    assert.deepEqual(issuerKindOf(`https://login.microsoftonline.com/${CONSUMER_TENANT_ID}/v2.0`, ...publicCloud), { kind: 'consumer' });
    for (const other of [
      undefined,
      'https://contoso.b2clogin.com/x/v2.0/',
      `https://login.microsoftonline.com/${TENANT}/v2.0/extra`,
      'https://accounts.google.com',
      `https://login.microsoftonline.com.evil.example/${TENANT}/v2.0`,
    ]) {
      assert.deepEqual(issuerKindOf(other, ...publicCloud), { kind: 'other' }, String(other));
    }
  });

  it("takes Azure China's v2 issuers under either of its login hosts, and no other cloud's", () => {
    const china = [CLOUDS.china.authorityHost, CLOUDS.china.v1IssuerHost] as const;
    for (const host of ['https://login.chinacloudapi.cn', 'https://login.partner.microsoftonline.cn']) {
      assert.deepEqual(issuerKindOf(`${host}/${TENANT}/v2.0`, ...china), { kind: 'organization', tenantId: TENANT }, host);
    }
    assert.deepEqual(issuerKindOf(`https://sts.chinacloudapi.cn/${TENANT}/`, ...china), { kind: 'organization', tenantId: TENANT });
    assert.deepEqual(issuerKindOf(`https://login.microsoftonline.com/${TENANT}/v2.0`, ...china), { kind: 'other' });
    assert.deepEqual(issuerKindOf(`https://login.partner.microsoftonline.cn/${TENANT}/v2.0`, ...publicCloud), { kind: 'other' });
  });

  it('answers the same for an issuer asked again, per cloud, however many other issuers came between', () => {
    const organization = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    assert.deepEqual(issuerKindOf(organization, ...publicCloud), { kind: 'organization', tenantId: TENANT });
    for (let index = 0; index < 3_000; index += 1) issuerKindOf(`https://issuer-${index}.example/`, ...publicCloud);
    assert.deepEqual(issuerKindOf(organization, ...publicCloud), { kind: 'organization', tenantId: TENANT });
    // The same text is another cloud's stranger.
    assert.deepEqual(issuerKindOf(organization, 'https://login.microsoftonline.us', 'https://sts.windows.net'), { kind: 'other' });
    assert.deepEqual(issuerKindOf(`https://sts.windows.net/${CONSUMER_TENANT_ID}/`, ...publicCloud), { kind: 'consumer' });
  });

  it('remembers no long issuer: attacker-chosen text cannot pin memory', () => {
    // 600 issuers of 100 KB: 60 MB if remembered.
    const retained = retainedBytes(() => {
      for (let index = 0; index < 600; index += 1) issuerKindOf(`https://issuer-${index}.example/${'a'.repeat(100_000)}`, ...publicCloud);
    });
    assert.ok(retained < 20_000_000, `${retained} bytes retained`);
    assert.deepEqual(issuerKindOf(`https://sts.windows.net/${TENANT}/${'a'.repeat(300)}`, ...publicCloud), { kind: 'other' });
  });

  it('builds key-set addresses, with an app id when asked', () => {
    assert.equal(keySetUrl('https://login.microsoftonline.com', { tenant: TENANT }), `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`);
    assert.equal(
      keySetUrl('https://login.microsoftonline.us', { tenant: TENANT, appId: 'abc' }),
      `https://login.microsoftonline.us/${TENANT}/discovery/keys?appid=abc`,
    );
  });
});

describe('recordFetch', () => {
  it('keeps a key listed by several sets under the label that matters most: consumer, organisation, app', () => {
    let history = recordFetch(
      [],
      [
        { kid: 'k', set: 'consumer' },
        { kid: 'o', set: 'organization' },
      ],
      '2026-11-01T00:00:00.000Z',
    );
    history = recordFetch(
      history,
      [
        { kid: 'k', set: 'app:abc' },
        { kid: 'o', set: 'app:abc' },
        { kid: 'a', set: 'app:abc' },
      ],
      '2026-11-02T00:00:00.000Z',
    );
    assert.deepEqual(
      history.map((key) => [key.kid, key.set, key.firstSeen, key.lastSeen]),
      [
        ['k', 'consumer', '2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
        ['o', 'organization', '2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
        ['a', 'app:abc', '2026-11-02T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
      ],
    );
    assert.equal(recordFetch(history, [{ kid: 'o', set: 'consumer' }], '2026-11-03T00:00:00.000Z').find((key) => key.kid === 'o')?.set, 'consumer');
  });
});

describe('parseJwks', () => {
  it('refuses what is not a JWKS, naming the field, and skips keys no token can name', () => {
    assert.throws(() => parseJwks({ metadata: {} }), /JWKS\.keys/);
    assert.throws(() => parseJwks({ keys: [{ kid: 'x' }] }), /JWKS\.keys\[0\]\.kty/);
    assert.deepEqual(parseJwks({ keys: [{ kty: 'RSA' }, { kty: 'RSA', x5t: 'onlyX5t', x5c: ['not a certificate'] }] }), [
      { kid: 'onlyX5t', x5t: 'onlyX5t', set: 'organization' },
    ]);
  });
});

describe('key history as published sets flap (our own history; the real one is in npm run test:corpus)', () => {
  const at = (hours: number) => new Date(Date.parse('2026-11-01T00:00:00.000Z') + hours * 3_600_000).toISOString();
  const key = (kid: string): SigningKey => ({ kid, set: 'organization' });
  // Fetched every 6 hours: `flapper` misses two fetches (12 h) and comes back; `leaver` is gone after hour 24.
  const fetches = Array.from({ length: 21 }, (_, index) => index * 6).map((hour) => ({
    hour,
    keys: [key('stayer'), ...(hour === 30 || hour === 36 ? [] : [key('flapper')]), ...(hour <= 24 ? [key('leaver')] : [])],
  }));

  it('never retires a key that comes back within the grace period, and retires one gone longer, since it left', () => {
    let history: SigningKey[] = [];
    for (const { hour, keys } of fetches) {
      history = recordFetch(history, keys, at(hour));
      for (const known of history) {
        const since = retiredSince(known, at(hour), 48);
        if (known.kid === 'leaver' && hour - 24 > 48) assert.equal(since, at(24), `hour ${hour}: leaver retired since it was last listed`);
        else assert.equal(since, undefined, `hour ${hour}: ${known.kid} is current`);
      }
    }
    const index = new SigningKeyIndex(history, [{ set: 'organization', fetchedAt: at(120) }], 48);
    assert.deepEqual(
      ['stayer', 'flapper', 'leaver'].map((kid) => index.find(kid)?.retiredSince),
      [undefined, undefined, at(24)],
    );
    assert.equal(history.find((known) => known.kid === 'flapper')?.firstSeen, at(0), 'first seen survives the gap');
  });
});

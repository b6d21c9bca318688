import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SigningKey } from '../../../src/domain/signingKeys.js';
import { CONSUMER_TENANT_ID, issuerKindOf, keySetUrl } from '../../../src/keys/clouds.js';
import { retainedBytes } from '../../helpers/retainedHeap.js';
import { COMPROMISED_KEYS, isCompromisedKeyId } from '../../../src/keys/compromisedKeys.js';
import { recordFetch, retiredSince, SigningKeyIndex } from '../../../src/keys/keyHistory.js';
import { parseJwks } from '../../../src/keys/parseJwks.js';
import { CORPUS } from '../../helpers/paths.js';

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
    assert.deepEqual(issuerKindOf(`https://login.microsoftonline.com/${TENANT.toUpperCase()}/v2.0`, ...publicCloud), { kind: 'organization', tenantId: TENANT });
    assert.deepEqual(issuerKindOf(`https://sts.windows.net/${TENANT}/`, ...publicCloud), { kind: 'organization', tenantId: TENANT });
    assert.deepEqual(issuerKindOf(`https://login.microsoftonline.com/${CONSUMER_TENANT_ID}/v2.0`, ...publicCloud), { kind: 'consumer' });
    for (const other of [undefined, 'https://contoso.b2clogin.com/x/v2.0/', `https://login.microsoftonline.com/${TENANT}/v2.0/extra`, 'https://accounts.google.com', `https://login.microsoftonline.com.evil.example/${TENANT}/v2.0`]) {
      assert.deepEqual(issuerKindOf(other, ...publicCloud), { kind: 'other' }, String(other));
    }
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
    assert.equal(keySetUrl('https://login.microsoftonline.us', { tenant: TENANT, appId: 'abc' }), `https://login.microsoftonline.us/${TENANT}/discovery/keys?appid=abc`);
  });
});

describe('recordFetch', () => {
  it('keeps a key listed by several sets under the label that matters most: consumer, organisation, app', () => {
    let history = recordFetch([], [{ kid: 'k', set: 'consumer' }, { kid: 'o', set: 'organization' }], '2026-11-01T00:00:00.000Z');
    history = recordFetch(history, [{ kid: 'k', set: 'app:abc' }, { kid: 'o', set: 'app:abc' }, { kid: 'a', set: 'app:abc' }], '2026-11-02T00:00:00.000Z');
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

describe('parseJwks on the published common and organizations key sets (corpus snapshots)', () => {
  const common = (JSON.parse(readFileSync(path.join(CORPUS, 'panva_wellknown_entra_common_openid_config_and_jwks.json'), 'utf8')) as { jwks: unknown }).jwks;
  const organizations = (JSON.parse(readFileSync(path.join(CORPUS, 'panva_wellknown_entra_organizations_openid_config_and_jwks.json'), 'utf8')) as { jwks: unknown }).jwks;

  it('sorts the consumer keys of the common set into the consumer set, by their issuer', () => {
    const keys = parseJwks(common, 'organization', '2024-10-26T00:00:00.000Z');
    assert.equal(keys.length, 7);
    assert.deepEqual(keys.filter((key) => key.set === 'consumer').map((key) => key.kid).sort(), ['8IIDH6M8c3cXoeojKme8Jvqsr2Y', 'iE89_EVhreMiV2-8rKE2zWBUm3M']);
    assert.equal(keys.filter((key) => key.set === 'organization').length, 5);
  });

  it('reads each certificate: thumbprint (whose base64url is the kid) and validity', () => {
    for (const key of parseJwks(organizations)) {
      assert.match(key.thumbprint ?? '', /^[0-9a-f]{40}$/);
      assert.equal(Buffer.from(key.thumbprint!, 'hex').toString('base64url'), key.x5t);
      assert.ok(key.certificateNotBefore! < key.certificateNotAfter!);
    }
  });

  it('refuses what is not a JWKS, naming the field, and skips keys no token can name', () => {
    assert.throws(() => parseJwks({ metadata: {} }), /JWKS\.keys/);
    assert.throws(() => parseJwks({ keys: [{ kid: 'x' }] }), /JWKS\.keys\[0\]\.kty/);
    assert.deepEqual(parseJwks({ keys: [{ kty: 'RSA' }, { kty: 'RSA', x5t: 'onlyX5t', x5c: ['not a certificate'] }] }), [{ kid: 'onlyX5t', x5t: 'onlyX5t', set: 'organization' }]);
  });
});

describe('key history on the published sets as they flapped (corpus: panva/wellknown history, Jun–Oct 2024)', () => {
  // One row each time the served set of the `common` endpoint changed: between rows the set was unchanged, so a
  // fetch just before the next row still listed the previous row's keys.
  const rows = readFileSync(path.join(CORPUS, 'panva_wellknown_entra_jwks_kid_history.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.split('\t')[2] === 'entra-common')
    .map((line) => {
      const [date, , , kids] = line.split('\t');
      const keys: SigningKey[] = (kids ?? '').split(' ').filter((entry) => entry !== '').map((entry) => {
        const [kid, issuer] = entry.split('|');
        return { kid: kid!, set: issuer?.startsWith('MSA') ? 'consumer' : 'organization' };
      });
      return { fetchedAt: new Date(date!).toISOString(), keys };
    });

  /** Replays the history, yielding after each change the history and the time of the last fetch of each set. */
  function* replayHistory(): Generator<{ row: (typeof rows)[number]; history: SigningKey[]; lastFetch: Map<string, string> }> {
    let history: SigningKey[] = [];
    const lastFetch = new Map<string, string>();
    let previous: (typeof rows)[number] | undefined;
    for (const row of rows) {
      if (previous !== undefined) history = recordFetch(history, previous.keys, new Date(Date.parse(row.fetchedAt) - 1000).toISOString());
      history = recordFetch(history, row.keys, row.fetchedAt);
      for (const set of ['organization', 'consumer']) lastFetch.set(set, row.fetchedAt);
      yield { row, history, lastFetch };
      previous = row;
    }
  }

  it('never retires a key that comes back within the grace period', () => {
    assert.ok(rows.length > 100);
    let flaps = 0;
    const absentSince = new Map<string, string>();
    for (const { row, history, lastFetch } of replayHistory()) {
      const listed = new Set(row.keys.map((key) => key.kid));
      for (const key of history) {
        const since = retiredSince(key, lastFetch.get(key.set), 48);
        if (!listed.has(key.kid)) {
          if (!absentSince.has(key.kid)) absentSince.set(key.kid, row.fetchedAt);
          continue;
        }
        const gone = absentSince.get(key.kid);
        if (gone !== undefined) {
          absentSince.delete(key.kid);
          if (Date.parse(row.fetchedAt) - Date.parse(gone) < 48 * 3_600_000) flaps += 1;
        }
        assert.equal(since, undefined, `${key.kid} is listed at ${row.fetchedAt}, so it is current`);
      }
    }
    assert.ok(flaps > 10, `keys that left and came back within 48 hours: ${flaps}`);
  });

  it('ends with the listed keys current and the keys gone for good retired since they left', () => {
    let history: SigningKey[] = [];
    let lastFetch = new Map<string, string>();
    for (const step of replayHistory()) ({ history, lastFetch } = step);
    const index = new SigningKeyIndex(history, [...lastFetch].map(([set, fetchedAt]) => ({ set: set as SigningKey['set'], fetchedAt })), 48);
    const lastRow = rows.at(-1)!;
    for (const key of lastRow.keys) assert.equal(index.find(key.kid)?.retiredSince, undefined, `${key.kid} is listed in the last fetch`);
    const goneForGood = history.filter((key) => Date.parse(lastRow.fetchedAt) - Date.parse(key.lastSeen!) > 48 * 3_600_000);
    assert.ok(goneForGood.length > 0, 'some keys left the set for good');
    for (const key of goneForGood) assert.equal(index.find(key.kid)?.retiredSince, key.lastSeen, `${key.kid} left for good`);
  });
});

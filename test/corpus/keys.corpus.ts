import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SigningKey } from '../../src/domain/signingKeys.js';
import { recordFetch, retiredSince, SigningKeyIndex } from '../../src/keys/keyHistory.js';
import { parseJwks } from '../../src/keys/parseJwks.js';
import { CORPUS } from './corpus.js';

// Microsoft's published key sets as panva/wellknown captured them (../shared/corpus): `npm run test:corpus`.

describe('parseJwks on the published common and organizations key sets (corpus snapshots)', () => {
  const common = (JSON.parse(readFileSync(path.join(CORPUS, 'panva_wellknown_entra_common_openid_config_and_jwks.json'), 'utf8')) as { jwks: unknown }).jwks;
  const organizations = (
    JSON.parse(readFileSync(path.join(CORPUS, 'panva_wellknown_entra_organizations_openid_config_and_jwks.json'), 'utf8')) as { jwks: unknown }
  ).jwks;

  it('sorts the consumer keys of the common set into the consumer set, by their issuer', () => {
    const keys = parseJwks(common, 'organization', '2024-10-26T00:00:00.000Z');
    assert.equal(keys.length, 7);
    assert.deepEqual(
      keys
        .filter((key) => key.set === 'consumer')
        .map((key) => key.kid)
        .sort(),
      ['8IIDH6M8c3cXoeojKme8Jvqsr2Y', 'iE89_EVhreMiV2-8rKE2zWBUm3M'],
    );
    assert.equal(keys.filter((key) => key.set === 'organization').length, 5);
  });

  it('reads each certificate: thumbprint (whose base64url is the kid) and validity', () => {
    for (const key of parseJwks(organizations)) {
      assert.match(key.thumbprint ?? '', /^[0-9a-f]{40}$/);
      assert.equal(Buffer.from(key.thumbprint!, 'hex').toString('base64url'), key.x5t);
      assert.ok(key.certificateNotBefore! < key.certificateNotAfter!);
    }
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
      const keys: SigningKey[] = (kids ?? '')
        .split(' ')
        .filter((entry) => entry !== '')
        .map((entry) => {
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
    const index = new SigningKeyIndex(
      history,
      [...lastFetch].map(([set, fetchedAt]) => ({ set: set as SigningKey['set'], fetchedAt })),
      48,
    );
    const lastRow = rows.at(-1)!;
    for (const key of lastRow.keys) assert.equal(index.find(key.kid)?.retiredSince, undefined, `${key.kid} is listed in the last fetch`);
    const goneForGood = history.filter((key) => Date.parse(lastRow.fetchedAt) - Date.parse(key.lastSeen!) > 48 * 3_600_000);
    assert.ok(goneForGood.length > 0, 'some keys left the set for good');
    for (const key of goneForGood) assert.equal(index.find(key.kid)?.retiredSince, key.lastSeen, `${key.kid} left for good`);
  });
});

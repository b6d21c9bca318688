import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenObservationEvent } from '../../../src/domain/events.js';
import { fromEntraSignIn } from '../../../src/normalize/fromEntraSignIn.js';
import { fromTokenObservation } from '../../../src/normalize/fromTokenObservation.js';
import { isSkip } from '../../../src/normalize/outcome.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';
import { signInRecord } from '../../helpers/records.js';

// Our own token observations (DESIGN.md "Token observation"): `properties.jwt` holds 2 or 3 segments,
// normally without the signature. Claims as in formats.md §4.2.
const TENANT = 'a1b2c3d4-0000-4000-8000-00000000aa01';

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

const header = { typ: 'JWT', alg: 'RS256', kid: 'LureTestKid0123456789abcdEF', x5t: 'LureTestKid0123456789abcdEF' };
const claims = {
  aud: '00000002-0000-0ff1-ce00-000000000000',
  iss: `https://sts.windows.net/${TENANT}/`,
  iat: 1741165080,
  nbf: 1741165080,
  exp: 1741169280,
  appid: 'ca000000-0000-4000-8000-000000000001',
  appidacr: '1',
  idtyp: 'app',
  oid: 'ad000000-0000-4000-8000-000000000009',
  sid: '5e551011-eeee-4eee-8eee-000000000001',
  tid: TENANT,
  uti: 'ObsTokenFFFFFFFFFFFFFF',
  ver: '1.0',
  roles: ['Mail.Read'],
};
const headerSegment = segment(header);
const payloadSegment = segment(claims);
const signatureSegment = 'c2lnbmF0dXJlLW5vdC1yZWFsbHktYS1zaWduYXR1cmU';
const twoSegments = `${headerSegment}.${payloadSegment}`;

function observation(jwt: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    time: '2025-03-05T09:00:00.1234567Z',
    category: 'TokenObservation',
    properties: {
      jwt,
      observer: 'apim-prod',
      ipAddress: '203.0.113.88:50123',
      requestUri: 'https://api.contoso.example/orders',
      userAgent: 'curl/8.5.0',
      ...extra,
    },
  };
}

describe('fromTokenObservation', () => {
  it('writes its actor and token identifiers in the shape a sign-in has, absent fields included (the corpus test holds the other kinds to it)', () => {
    const observed = fromTokenObservation(observation(twoSegments));
    const signIn = fromEntraSignIn(signInRecord({ time: '2025-03-05T08:00:00Z', uti: 'SignInTokenAAAAAAAAAAA' }), 'SignInLogs');
    assert.ok(!isSkip(observed) && !isSkip(signIn) && observed.kind === 'tokenObservation' && signIn.kind === 'signIn');
    assert.deepEqual(Object.keys(observed.actor), Object.keys(signIn.actor));
    assert.deepEqual(Object.keys(observed.token ?? {}), Object.keys(signIn.token ?? {}));
    assert.equal(Object.keys(signIn.actor).length, 6);
  });

  it('gives a token with few claims the same keys as one with all of them, header and claims included', () => {
    const full = fromTokenObservation(observation(twoSegments));
    const sparse = fromTokenObservation(
      observation(`${segment({ alg: 'RS256' })}.${segment({ tid: TENANT })}`, { ipAddress: undefined, userAgent: undefined, requestUri: undefined }),
    );
    assert.ok(!isSkip(full) && !isSkip(sparse) && full.kind === 'tokenObservation' && sparse.kind === 'tokenObservation');
    assert.deepEqual(Object.keys(sparse), Object.keys(full));
    assert.deepEqual(Object.keys(sparse.header), Object.keys(full.header));
    assert.deepEqual(Object.keys(sparse.claims), Object.keys(full.claims));
    assert.deepEqual(Object.keys(sparse.actor), Object.keys(full.actor));
  });

  it('maps a two-segment token exactly', () => {
    const event = expectEvent(fromTokenObservation(observation(twoSegments)), 'tokenObservation');
    const { recordId, ...rest } = event;
    const expected: Omit<TokenObservationEvent, 'recordId'> = {
      kind: 'tokenObservation',
      source: 'token',
      recordType: 'TokenObservation',
      time: '2025-03-05T09:00:00.123Z',
      tenantId: TENANT,
      header: { alg: 'RS256', kid: 'LureTestKid0123456789abcdEF', x5t: 'LureTestKid0123456789abcdEF', typ: 'JWT' },
      claims: {
        iss: `https://sts.windows.net/${TENANT}/`,
        tid: TENANT,
        aud: '00000002-0000-0ff1-ce00-000000000000',
        iat: 1741165080,
        uti: 'ObsTokenFFFFFFFFFFFFFF',
        appId: 'ca000000-0000-4000-8000-000000000001',
        oid: 'ad000000-0000-4000-8000-000000000009',
        ver: '1.0',
      },
      signaturePresent: false,
      observer: 'apim-prod',
      requestUri: 'https://api.contoso.example/orders',
      actor: {
        userId: 'ad000000-0000-4000-8000-000000000009',
        appId: 'ca000000-0000-4000-8000-000000000001',
        ipAddress: '203.0.113.88',
        userAgent: 'curl/8.5.0',
      },
      token: {
        uniqueTokenId: 'ObsTokenFFFFFFFFFFFFFF',
        sessionId: '5e551011-eeee-4eee-8eee-000000000001',
        issuedAt: '2025-03-05T08:58:00.000Z',
        kid: 'LureTestKid0123456789abcdEF',
        issuer: `https://sts.windows.net/${TENANT}/`,
        tenantId: TENANT,
      },
    };
    assert.deepEqual(rest, expected);
    assert.match(recordId, /^sha256:[0-9a-f]{32}$/);
  });

  it('reads a three-segment token with its signature', () => {
    const event = expectEvent(fromTokenObservation(observation(`${twoSegments}.${signatureSegment}`)), 'tokenObservation');
    assert.equal(event.signaturePresent, true);
    assert.equal(event.header.kid, 'LureTestKid0123456789abcdEF');
    assert.equal(event.claims.uti, 'ObsTokenFFFFFFFFFFFFFF');
  });

  it('reads header.payload. (empty signature) as no signature', () => {
    const event = expectEvent(fromTokenObservation(observation(`${twoSegments}.`)), 'tokenObservation');
    assert.equal(event.signaturePresent, false);
    assert.equal(event.claims.iat, 1741165080);
  });

  it('reads v2 claims: azp as the app id, an audience list joined, jti kept', () => {
    const v2 = segment({
      aud: ['api://lure-orders', 'api://lure-billing'],
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      iat: '1741165080',
      azp: 'cc000000-0000-4000-8000-000000000002',
      tid: TENANT,
      jti: 'lure-honeytoken-jti-1',
      ver: '2.0',
    });
    const event = expectEvent(fromTokenObservation(observation(`${segment({ alg: 'none', typ: 'JWT' })}.${v2}`)), 'tokenObservation');
    assert.deepEqual(event.header, { alg: 'none', typ: 'JWT' });
    assert.deepEqual(event.claims, {
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      tid: TENANT,
      aud: 'api://lure-orders api://lure-billing',
      iat: 1741165080,
      jti: 'lure-honeytoken-jti-1',
      appId: 'cc000000-0000-4000-8000-000000000002',
      ver: '2.0',
    });
    assert.equal(event.token?.issuedAt, '2025-03-05T08:58:00.000Z');
    assert.equal(event.token.kid, undefined);
  });

  it('never keeps the token: the event does not contain the JWT or any of its segments', () => {
    for (const jwt of [twoSegments, `${twoSegments}.`, `${twoSegments}.${signatureSegment}`]) {
      const event = expectEvent(fromTokenObservation(observation(jwt)), 'tokenObservation');
      const serialized = JSON.stringify(event);
      assert.equal(serialized.includes(jwt), false);
      assert.equal(serialized.includes(twoSegments), false);
      assert.equal(serialized.includes(payloadSegment), false);
      assert.equal(serialized.includes(headerSegment), false);
      assert.equal(serialized.includes(signatureSegment), false);
    }
  });

  it('gives the same record id to a redelivered observation and a different one to another observation', () => {
    const first = expectEvent(fromTokenObservation(observation(twoSegments)), 'tokenObservation');
    const again = expectEvent(fromTokenObservation(observation(twoSegments)), 'tokenObservation');
    const elsewhere = expectEvent(fromTokenObservation(observation(twoSegments, { observer: 'apim-dr' })), 'tokenObservation');
    assert.equal(again.recordId, first.recordId);
    assert.notEqual(elsewhere.recordId, first.recordId);
  });

  it('trims whitespace around the token', () => {
    const event = expectEvent(fromTokenObservation(observation(`  ${twoSegments}\n`)), 'tokenObservation');
    assert.equal(event.claims.uti, 'ObsTokenFFFFFFFFFFFFFF');
  });

  it('skips a token with 4 segments or 1 segment', () => {
    const four = expectSkip(fromTokenObservation(observation(`${twoSegments}.${signatureSegment}.extra`)), 'invalid-record');
    assert.equal(four.detail.includes(payloadSegment), false);
    expectSkip(fromTokenObservation(observation(headerSegment)), 'invalid-record');
  });

  it('reads a header and payload that start with a byte-order mark, as jose (and so a relying party) does', () => {
    const withBom = (value: object) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(value))]).toString('base64url');
    const event = expectEvent(fromTokenObservation(observation(`${withBom(header)}.${withBom(claims)}`)), 'tokenObservation');
    assert.equal(event.claims.uti, 'ObsTokenFFFFFFFFFFFFFF');
    assert.equal(event.header.kid, header.kid);
  });

  it('skips a token whose header or payload is not base64url JSON', () => {
    expectSkip(fromTokenObservation(observation(`not*base64!.${payloadSegment}`)), 'invalid-record');
    expectSkip(fromTokenObservation(observation(`${Buffer.from('hello').toString('base64url')}.${payloadSegment}`)), 'invalid-record');
    expectSkip(fromTokenObservation(observation(`${headerSegment}.${Buffer.from('[1,2]').toString('base64url')}`)), 'invalid-record');
  });

  it('skips an observation without a jwt, properties or readable time', () => {
    expectSkip(fromTokenObservation(observation('')), 'invalid-record');
    expectSkip(fromTokenObservation(observation(42)), 'invalid-record');
    expectSkip(fromTokenObservation({ time: '2025-03-05T09:00:00Z', category: 'TokenObservation' }), 'invalid-record');
    expectSkip(fromTokenObservation({ ...observation(twoSegments), time: 'now' }), 'invalid-record');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpKeySource } from '../../src/adapters/httpKeySource.js';
import type { Alert } from '../../src/domain/alerts.js';
import { CONSUMER_TENANT_ID } from '../../src/keys/clouds.js';
import { type FakeLogin, jwksOf, startFakeLogin } from '../helpers/fakeLogin.js';
import { TENANT } from '../helpers/records.js';
import { testServices } from '../helpers/services.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';

const ORG_KEYS = `/${TENANT}/discovery/v2.0/keys`;
const CONSUMER_KEYS = `/${CONSUMER_TENANT_ID}/discovery/v2.0/keys`;
const APP = '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c';
const APP_KEYS = `/${TENANT}/discovery/keys?appid=${APP}`;
const noWait = async () => {};

let login: FakeLogin;
before(async () => {
  login = await startFakeLogin();
});
after(async () => login.close());

function source(clock = { now: () => new Date('2026-11-02T12:00:00.000Z') }, appIds: string[] = []) {
  return new HttpKeySource({ authorityHost: login.url, tenantId: TENANT, appIds, clock, sleep: noWait, timeoutInMs: 300 });
}

/** A token observation as the gateway logs it; the issuer is the fake login host, which Lure is told is the cloud's. */
function observation(kid: string, time = '2026-11-02T13:00:00.000Z') {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    time,
    category: 'TokenObservation',
    properties: {
      jwt: `${part({ alg: 'RS256', kid })}.${part({ iss: `${login.url}/${TENANT}/v2.0`, tid: TENANT, iat: 1793696400, aud: 'api://payments' })}`,
      observer: 'apim',
      ipAddress: '198.51.100.9',
    },
  };
}

describe('HttpKeySource (real HTTP to a loopback login host)', () => {
  it('fetches the tenant, consumer and app key sets, sorting consumer keys by issuer', async () => {
    login.script(ORG_KEYS, { status: 200, body: jwksOf({ kid: 'org1' }) });
    login.script(CONSUMER_KEYS, { status: 200, body: jwksOf({ kid: 'msa1', issuer: `https://login.microsoftonline.com/${CONSUMER_TENANT_ID}/v2.0` }) });
    login.script(APP_KEYS, { status: 200, body: jwksOf({ kid: 'app1', issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` }) });
    const result = await source(undefined, [APP]).fetchKeySets();
    assert.deepEqual(result.failures, []);
    assert.deepEqual(
      result.fetched.map((set) => [set.set, set.keys.map((key) => `${key.kid}:${key.set}`)]),
      [
        ['consumer', ['msa1:consumer']],
        ['organization', ['org1:organization']],
        [`app:${APP}`, [`app1:app:${APP}`]],
      ],
    );
  });

  it('retries 429 (honouring Retry-After) and 5xx, then gives a set up and reports it', async () => {
    const waits: number[] = [];
    const path = `/${TENANT}/discovery/v2.0/keys`;
    login.script(path, { status: 429, headers: { 'retry-after': '2' } }, { status: 503 }, { status: 200, body: jwksOf({ kid: 'org2' }) });
    login.script(CONSUMER_KEYS, { status: 500 });
    const keySource = new HttpKeySource({
      authorityHost: login.url,
      tenantId: TENANT,
      appIds: [],
      clock: { now: () => new Date() },
      maxAttempts: 3,
      timeoutInMs: 300,
      sleep: (ms) => Promise.resolve(void waits.push(ms)),
    });
    const result = await keySource.fetchKeySets();
    assert.deepEqual(
      result.fetched.map((set) => set.keys.map((key) => key.kid)),
      [['org2']],
    );
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0]!.error, /HTTP 500 after 3 attempts/);
    assert.equal(waits[2], 2000, 'the Retry-After of the 429 was honoured');
  });

  it('gives up at once on a client error, and times out a host that does not answer', async () => {
    login.script(CONSUMER_KEYS, { status: 400, body: { error: 'invalid_tenant' } });
    login.script(ORG_KEYS, { status: 200, body: jwksOf({ kid: 'slow' }), delayInMs: 2_000 });
    const before = login.requests.length;
    const result = await new HttpKeySource({
      authorityHost: login.url,
      tenantId: TENANT,
      appIds: [],
      clock: { now: () => new Date() },
      maxAttempts: 2,
      timeoutInMs: 200,
      sleep: noWait,
    }).fetchKeySets();
    assert.deepEqual(result.fetched, []);
    assert.match(result.failures.find((failure) => failure.set === 'consumer')!.error, /HTTP 400/);
    assert.equal(login.requests.slice(before).filter((path) => path === CONSUMER_KEYS).length, 1, 'a 400 is not retried');
    assert.match(result.failures.find((failure) => failure.set === 'organization')!.error, /abort|timeout/i);
  });
});

describe('signing keys end to end (services over a loopback login host)', () => {
  async function keyServices() {
    const store = memoryStateStore();
    return testServices({ store, settings: { LURE_TENANT_ID: TENANT, LURE_AUTHORITY_HOST: login.url, LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES: '10' } });
  }
  const anomalies = (alerts: readonly Alert[]) => alerts.filter((alert) => alert.detection === 'token.signingKey.anomalous');

  it('refreshes when a token names an unknown key, and raises nothing when the key is now published', async () => {
    login.script(CONSUMER_KEYS, { status: 200, body: jwksOf({ kid: 'msa1', issuer: `https://login.microsoftonline.com/${CONSUMER_TENANT_ID}/v2.0` }) });
    login.script(ORG_KEYS, { status: 200, body: jwksOf({ kid: 'org1' }, { kid: 'orgNew' }) });
    const services = await keyServices();
    const before = login.requests.length;
    const report = await services.ingest([{ records: [observation('orgNew')] }], 'token');
    assert.equal(login.requests.length - before, 2, 'the unknown key made Lure fetch both sets');
    assert.deepEqual(anomalies(report.alerts), []);
  });

  it('raises token.signingKey.anomalous when the key is still unknown after the refresh, and refreshes at most once per interval', async () => {
    login.script(CONSUMER_KEYS, { status: 200, body: jwksOf() });
    login.script(ORG_KEYS, { status: 200, body: jwksOf({ kid: 'org1' }) });
    const services = await keyServices();
    const before = login.requests.length;
    const first = await services.ingest([{ records: [observation('forgedKid1')] }], 'token');
    const second = await services.ingest([{ records: [observation('forgedKid2')] }], 'token');
    assert.equal(anomalies(first.alerts).length, 1);
    assert.equal(anomalies(second.alerts).length, 1);
    assert.equal(login.requests.length - before, 2, 'one refresh (two key sets) for both unknown keys');
    assert.match(anomalies(first.alerts)[0]!.summary, /forgedKid1 is in no key set Lure knows, even after a refresh/);
  });

  it("keeps a set's history when its fetch fails, so an outage retires nothing", async () => {
    login.script(CONSUMER_KEYS, { status: 200, body: jwksOf() });
    login.script(ORG_KEYS, { status: 200, body: jwksOf({ kid: 'org1' }) });
    const services = await keyServices();
    await services.refreshSigningKeys();
    login.script(ORG_KEYS, { status: 500 });
    const report = await services.refreshSigningKeys();
    assert.equal(report.failures.length, 1);
    const fetches = await services.store.listKeySetFetches();
    assert.equal(fetches.find((fetch) => fetch.set === 'organization')?.fetchedAt !== undefined, true);
    const result = await services.ingest([{ records: [observation('org1', '2026-12-30T00:00:00.000Z')] }], 'token');
    assert.deepEqual(anomalies(result.alerts), [], 'org1 is still current: no fetch of its set has missed it');
  });
});

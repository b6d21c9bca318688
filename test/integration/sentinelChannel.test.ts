/**
 * The Sentinel channel through the real `@azure/monitor-ingestion` client and `@azure/identity`, against
 * loopback fakes of Entra's token endpoint and the Logs Ingestion API, which holds every row to the stream
 * the Bicep deploys (`infra/sentinel/lureAlertsColumns.json`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { triageStoredAlert } from '../../src/app/triageAlert.js';
import type { Services } from '../../src/host/services.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import { type FakeTokenEndpoint, startFakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { type DeclaredColumn, type FakeLogsIngestion, startFakeLogsIngestion } from '../helpers/fakeLogsIngestion.js';
import { fixtureDecoys } from '../helpers/mixedFixture.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { signInRecord } from '../helpers/records.js';
import { movableClock, testServices } from '../helpers/services.js';

const RULE_ID = 'dcr-00112233445566778899aabbccddeeff';
const STREAM = 'Custom-LureAlerts_CL';
const DEPLOYED_COLUMNS = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'infra', 'sentinel', 'lureAlertsColumns.json'), 'utf8')) as DeclaredColumn[];
const TENANT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('the Sentinel channel (Logs Ingestion API)', () => {
  let login: FakeTokenEndpoint;
  let ingestion: FakeLogsIngestion;
  const clock = movableClock('2026-11-28T12:00:00.000Z');
  before(async () => {
    login = await startFakeTokenEndpoint();
  });
  after(async () => login.close());
  beforeEach(async () => {
    // The first test finds none to close.
    await (ingestion as FakeLogsIngestion | undefined)?.close();
    ingestion = await startFakeLogsIngestion({ ruleId: RULE_ID, stream: STREAM, accessToken: login.accessToken, columns: DEPLOYED_COLUMNS });
    clock.set('2026-11-28T12:00:00.000Z');
  });
  after(async () => ingestion.close());

  const services = async (settings: Record<string, string> = {}): Promise<Services> => {
    const lure = await testServices({
      store: memoryStateStore(),
      clock,
      sleep: async () => {},
      identity: login.credential(),
      settings: { LURE_TENANT_ID: TENANT_ID, LURE_SENTINEL_ENDPOINT: ingestion.url, LURE_SENTINEL_RULE_ID: RULE_ID, ...settings },
    });
    await lure.importDecoys(fixtureDecoys());
    return lure;
  };
  /** A batch of one sign-in to the decoy user; each call is a new record. */
  const decoySignIn = (time = '2026-11-28T11:58:00.000Z') => ({
    records: [signInRecord({ time, userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' })],
  });

  it('writes a raised alert once, as a row of the deployed stream, with a token for Azure Monitor', async () => {
    const lure = await services();
    const batch = decoySignIn();
    const report = await lure.ingest([batch], 'entra');
    const alert = report.alerts[0]!;
    await lure.ingest([batch], 'entra');

    assert.equal(ingestion.rows.length, 1, 'a redelivered batch adds no row');
    const row = ingestion.rows[0]!;
    assert.equal(row['AlertId'], alert.id);
    assert.equal(row['Detection'], 'decoy.user.signIn');
    assert.equal(row['UserPrincipalName'], 'svc-backup@contoso.example');
    assert.equal(row['IPAddress'], '203.0.113.45');
    assert.equal(row['AadTenantId'], TENANT_ID);
    assert.equal(row['Cloud'], 'public');
    assert.deepEqual(row['MitreTechniques'], ['T1078.004', 'T1110.003']);
    assert.ok(
      ingestion.requests.every((request) => request.gzipped),
      'the client gzips its body',
    );
    assert.deepEqual([...new Set(login.scopes)], ['https://monitor.azure.com/.default']);
  });

  it("asks for a token of the cloud's Azure Monitor (US Government)", async () => {
    const before = login.scopes.length;
    const lure = await services({ LURE_CLOUD: 'usgov' });
    await lure.ingest([decoySignIn()], 'entra');
    assert.equal(ingestion.rows.length, 1);
    assert.deepEqual([...new Set(login.scopes.slice(before))], ['https://monitor.azure.us/.default']);
  });

  it('writes a new revision when the alert changes: new evidence, then a triage decision', async () => {
    const lure = await services();
    const alert = (await lure.ingest([decoySignIn()], 'entra')).alerts[0]!;
    await lure.ingest([decoySignIn('2026-11-28T11:59:00.000Z')], 'entra');
    await triageStoredAlert(lure, alert.id, 'acknowledge', { by: { objectId: 'analyst' }, note: 'on it' });

    const revisions = ingestion.rows.filter((row) => row['AlertId'] === alert.id);
    assert.deepEqual(
      revisions.map((row) => [row['EvidenceCount'], row['Status']]),
      [
        [1, 'open'],
        [2, 'open'],
        [2, 'acknowledged'],
      ],
    );
    const numbers = revisions.map((row) => row['Revision'] as number);
    assert.deepEqual(
      numbers,
      [...numbers].sort((a, b) => a - b),
      'revisions grow',
    );
    assert.equal(new Set(numbers).size, 3);
  });

  it('retries a 500 and a 429 (after its Retry-After) and then delivers', async () => {
    const lure = await services();
    ingestion.script({ status: 500, body: { error: { code: 'InternalServerError', message: 'try again' } } }, { status: 429, headers: { 'retry-after': '7' } });
    const alert = (await lure.ingest([decoySignIn()], 'entra')).alerts[0]!;
    const entryId = `sentinel|alert|${alert.id}|`;
    const entry = async () => [...(await all(lure.store.listOutboxEntries()))].find((candidate) => candidate.id.startsWith(entryId))!;

    assert.equal((await entry()).status, 'pending');
    assert.equal((await entry()).lastError, 'HTTP 500: InternalServerError try again');
    clock.advance(60 * 60_000);
    await lure.deliverAlerts();
    const throttled = await entry();
    assert.equal(throttled.lastError, 'HTTP 429');
    assert.equal(Date.parse(throttled.nextAttemptAt) - clock.now().getTime(), 7_000, 'Retry-After is honoured');
    clock.advance(7_000);
    await lure.deliverAlerts();
    assert.equal((await entry()).status, 'delivered');
    assert.equal(ingestion.rows.length, 1);
  });

  it('sends the newer state when a change of the alert was written but never planned (a crash between the two)', async () => {
    const lure = await services();
    ingestion.script({ status: 503, body: { error: { code: 'ServiceUnavailable', message: 'later' } } });
    const alert = (await lure.ingest([decoySignIn()], 'entra')).alerts[0]!;
    assert.equal(ingestion.rows.length, 0, 'the first send failed and waits');
    // The process that acknowledged it died before telling delivery.
    const stored = (await lure.store.getAlert(alert.id))!;
    await lure.store.updateAlert({ ...stored.value, alert: { ...stored.value.alert, status: 'acknowledged' } }, stored.etag);
    clock.advance(60 * 60_000);
    await lure.deliverAlerts();
    assert.deepEqual(
      ingestion.rows.map((row) => row['Status']),
      ['acknowledged'],
      'the pending entry sent what the alert is now, not nothing',
    );
  });

  it("dead-letters a row the stream refuses (400), and status shows the service's error", async () => {
    await ingestion.close();
    // A rule deployed from an older column list: the stream lacks a column the row has.
    ingestion = await startFakeLogsIngestion({
      ruleId: RULE_ID,
      stream: STREAM,
      accessToken: login.accessToken,
      columns: DEPLOYED_COLUMNS.filter((column) => column.name !== 'MitreTechniques'),
    });
    const lure = await services();
    await lure.ingest([decoySignIn()], 'entra');
    const sentinel = (await lure.delivery.status()).find((status) => status.channel === 'sentinel')!;
    assert.equal(sentinel.dead, 1);
    assert.equal(sentinel.lastError, `HTTP 400: InvalidStream column MitreTechniques is not declared by stream ${STREAM}`);
    assert.equal(ingestion.rows.length, 0);
  });

  it('sends a test row through the real path (lure test-alert --channel sentinel)', async () => {
    const lure = await services();
    const entry = await lure.delivery.sendTest('sentinel');
    assert.equal(entry.status, 'delivered');
    assert.equal(ingestion.rows[0]?.['Detection'], 'lure.test');
  });
});

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pollAuditContent } from '../../functions/pollAuditContent.js';
import { ManagementActivityApi } from '../../src/adapters/managementActivityApi.js';
import type { AuditPollReport } from '../../src/app/auditPoller.js';
import type { EventPublisher, PublishOutcome } from '../../src/ports/eventPublisher.js';
import { InvocationContext } from '../helpers/azf.js';
import { useAzurite } from '../helpers/azurite.js';
import { type FakeTokenEndpoint, startFakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { exchangeRecord, type FakeBlob, type FakeManagementApi, startFakeManagementApi } from '../helpers/fakeManagementApi.js';
import { movableClock, recordingLogger, testServices } from '../helpers/services.js';
import { azuriteStore } from '../helpers/tenant.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';
import type { Logger } from '../../src/ports/logger.js';
import { readStatusReport } from '../../src/app/admin/statusReport.js';
import { type Services, useServices } from '../../src/host/services.js';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const azurite = useAzurite();

/** A hub that keeps what it is sent, and can be told to fail. */
class RecordingHub implements EventPublisher {
  readonly events = new Map<string, unknown[]>();
  failures = 0;
  publish(hub: string, events: readonly unknown[]): Promise<PublishOutcome> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('Event Hubs unavailable (scripted)'));
    }
    this.events.set(hub, [...(this.events.get(hub) ?? []), ...events]);
    return Promise.resolve({ tooLarge: [] });
  }
  async close(): Promise<void> {}
}

/** The report of a run that was not skipped. */
function polled(result: AuditPollReport | { readonly skipped: string }): AuditPollReport {
  assert.ok(!('skipped' in result), `the poller ran (${'skipped' in result ? result.skipped : ''})`);
  return result;
}

function blob(contentId: string, contentCreated: string, recordIds: readonly string[] = [`${contentId}-r1`, `${contentId}-r2`]): FakeBlob {
  return { contentId, contentCreated, records: recordIds.map((id) => exchangeRecord(id, contentCreated)) };
}

describe('the audit poller against a loopback Management Activity API (real HTTP, a real credential, Azurite)', () => {
  let api: FakeManagementApi;
  let login: FakeTokenEndpoint;
  const clock = movableClock('2026-11-28T12:00:00.000Z');
  before(async () => {
    login = await startFakeTokenEndpoint();
    api = await startFakeManagementApi(TENANT, () => clock.now());
  });
  after(async () => {
    useServices(undefined);
    await api.close();
    await login.close();
  });

  const waits: number[] = [];
  const poller = (store: StateStore, hub: RecordingHub, settings: Record<string, string> = {}, logger: Logger = recordingLogger()): Promise<Services> =>
    testServices({
      store,
      clock,
      logger,
      publisher: hub,
      auditFeed: new ManagementActivityApi({
        host: api.url,
        tenantId: TENANT,
        publisherId: TENANT,
        credential: login.credential(),
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      }),
      settings: { LURE_TENANT_ID: TENANT, LURE_EXCHANGE_HUB_NAME: 'o365-audit', ...settings },
    });
  const fresh = async () => azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
  const reset = (contentTypes: Record<string, FakeBlob[]>) => {
    api.blobs.clear();
    api.subscriptions.clear();
    api.disabled.clear();
    api.startRequestedAt.clear();
    api.requests.length = 0;
    for (const [type, blobs] of Object.entries(contentTypes)) api.blobs.set(type, blobs);
  };

  it('starts each subscription once, pages through listings, copies every blob once to the Exchange hub, and survives a restart', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    api.pageSize = 2;
    reset({
      'Audit.Exchange': [
        blob('x1', '2026-11-28T09:00:00.000Z'),
        blob('x2', '2026-11-28T09:05:00.000Z'),
        blob('x3', '2026-11-28T10:00:00.000Z'),
        blob('x4', '2026-11-28T11:00:00.000Z'),
        blob('x5', '2026-11-28T11:30:00.000Z'),
      ],
      'Audit.AzureActiveDirectory': [blob('a1', '2026-11-28T11:45:00.000Z')],
    });
    const store = await fresh();
    const hub = new RecordingHub();
    const lure = await poller(store, hub);
    const first = polled(await lure.pollAuditContent());
    assert.deepEqual(first, {
      subscriptionsStarted: 2,
      listed: 6,
      alreadyCopied: 0,
      copied: 6,
      records: 12,
      duplicateRecords: 0,
      deadLettered: 0,
      recordsDeadLettered: 0,
      subscriptionsRestarted: 0,
      subscriptionsDisabled: 0,
      startsDeferred: 0,
      outOfTime: false,
      failures: [],
    });
    assert.ok(
      api.requests.filter((request) => request.includes('subscriptions/content')).every((request) => /PublisherIdentifier=0a1b2c3d/.test(request)),
      'every page, the NextPageUri ones too, names the publisher',
    );
    assert.equal(api.requests.filter((request) => request.includes('nextPage=')).length, 2, 'five Exchange blobs at two a page: two NextPageUri follow-ups');
    assert.ok(api.requests.filter((request) => request.startsWith('POST')).every((request) => /PublisherIdentifier=0a1b2c3d/.test(request)));
    assert.ok(api.tokens.every((token) => token === login.accessToken));
    assert.equal(hub.events.get('o365-audit')?.length, 12);
    for (const id of ['x1', 'x2', 'x3', 'x4', 'x5', 'a1']) assert.equal(api.fetchesOf(id), 1);

    // Five minutes on: the overlapping window lists them all again; none is fetched again. A late blob is.
    clock.advance(5 * 60_000);
    api.blobs.get('Audit.Exchange')!.push(blob('x-late', '2026-11-28T08:30:00.000Z'));
    const second = await lure.pollAuditContent();
    assert.equal(polled(second).subscriptionsStarted, 0);
    assert.equal(polled(second).alreadyCopied, 6);
    assert.equal(polled(second).copied, 1, 'the blob published late and out of order');
    assert.equal(api.requests.filter((request) => request.startsWith('POST')).length, 2, 'subscriptions started once');

    // A new process on the same store: nothing read twice.
    clock.advance(5 * 60_000);
    const restarted = await poller(store, hub);
    const third = await restarted.pollAuditContent();
    assert.equal(polled(third).copied, 0);
    assert.equal(polled(third).subscriptionsStarted, 0);
    for (const id of ['x1', 'x2', 'x3', 'x4', 'x5', 'a1', 'x-late']) assert.equal(api.fetchesOf(id), 1, id);
    assert.equal(hub.events.get('o365-audit')?.length, 14);

    // What reached the hub is what the exchangeEvents function ingests.
    const ingested = await lure.ingest(hub.events.get('o365-audit')!, 'exchange');
    assert.equal(ingested.read, 14);
    assert.equal(ingested.accepted.get('exchange')?.get('mailItemsAccessed'), 14, JSON.stringify([...(ingested.accepted.get('exchange') ?? [])]));
  });

  it('subscribes to Audit.SharePoint once a decoy file is registered, and not before', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('e1', '2026-11-28T11:00:00.000Z')], 'Audit.SharePoint': [blob('sp1', '2026-11-28T11:10:00.000Z')] });
    const store = await fresh();
    const hub = new RecordingHub();
    const lure = await poller(store, hub, { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' });
    assert.equal(polled(await lure.pollAuditContent()).copied, 1);
    assert.equal(api.subscriptions.has('Audit.SharePoint'), false, 'no decoy file: no SharePoint subscription');
    assert.equal(api.fetchesOf('sp1'), 0);

    await lure.registerDecoy({
      kind: 'file',
      id: 'd-file',
      enabled: true,
      siteUrl: 'https://contoso.sharepoint.com/sites/finance',
      listItemUniqueId: randomUUID(),
    });
    clock.advance(5 * 60_000);
    const report = polled(await lure.pollAuditContent());
    assert.equal(report.subscriptionsStarted, 1);
    assert.equal(report.copied, 1);
    assert.ok(api.subscriptions.has('Audit.SharePoint'));
    assert.equal(api.fetchesOf('sp1'), 1);
  });

  it('takes a subscription another tool started (AF20024) as started', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('s1', '2026-11-28T11:00:00.000Z')] });
    api.subscriptions.add('Audit.Exchange');
    const report = await (await poller(await fresh(), new RecordingHub(), { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' })).pollAuditContent();
    assert.deepEqual(polled(report).failures, []);
    assert.equal(polled(report).copied, 1);
  });

  it('backs off on 429 as Retry-After asks, and on 5xx, then goes on', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('t1', '2026-11-28T11:00:00.000Z')] });
    waits.length = 0;
    api.failNext('subscriptions/content', 429, 7);
    api.failNext('/audit/', 503);
    const report = await (await poller(await fresh(), new RecordingHub(), { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' })).pollAuditContent();
    assert.equal(polled(report).copied, 1);
    assert.equal(waits[0], 7000, 'waited as long as Retry-After said');
    assert.equal(waits.length, 2);
  });

  it('leaves a blob whose records could not be published to the next run; records repeated across blobs go once', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('p1', '2026-11-28T11:00:00.000Z', ['same', 'p1-only']), blob('p2', '2026-11-28T11:10:00.000Z', ['same', 'p2-only'])] });
    const store = await fresh();
    const hub = new RecordingHub();
    hub.failures = 1;
    const lure = await poller(store, hub, { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' });
    const failed = await lure.pollAuditContent();
    assert.equal(polled(failed).failures.length, 1);
    assert.match(polled(failed).failures[0]!, /Audit\.Exchange: Event Hubs unavailable/);
    assert.equal(hub.events.size, 0);
    clock.advance(5 * 60_000);
    const retried = await lure.pollAuditContent();
    assert.equal(polled(retried).copied, 2);
    assert.equal(polled(retried).duplicateRecords, 1);
    assert.deepEqual(
      hub.events.get('o365-audit')!.map((record) => (record as { Id: string }).Id),
      ['same', 'p1-only', 'p2-only'],
    );
    assert.equal(api.fetchesOf('p1'), 2, 'fetched again after the failed publish: at least once');
  });

  it('after downtime catches up in windows of at most 24 hours, never further back than the API keeps content', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({
      'Audit.Exchange': [blob('d-old', '2026-11-25T00:00:00.000Z'), blob('d-mid', '2026-11-26T18:00:00.000Z'), blob('d-new', '2026-11-28T11:00:00.000Z')],
    });
    const store = await fresh();
    await store.upsertAuditFeedState({ contentType: 'Audit.Exchange', subscribedAt: '2026-11-01T00:00:00.000Z', listedUntil: '2026-11-25T12:00:00.000Z' });
    api.subscriptions.add('Audit.Exchange');
    const hub = new RecordingHub();
    const lure = await poller(store, hub, { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' });
    const caughtUp = await lure.pollAuditContent();
    assert.deepEqual(polled(caughtUp).failures, []);
    assert.equal(polled(caughtUp).copied, 3, 'from a day before where the last run stopped');
    const listings = api.requests.filter((request) => request.includes('subscriptions/content'));
    assert.equal(listings.length, 4, 'four days in four windows');
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.listedUntil, '2026-11-28T12:00:00.000Z');

    await store.upsertAuditFeedState({ contentType: 'Audit.Exchange', subscribedAt: '2026-10-01T00:00:00.000Z', listedUntil: '2026-11-10T00:00:00.000Z' });
    api.requests.length = 0;
    const longDown = await lure.pollAuditContent();
    assert.deepEqual(polled(longDown).failures, [], 'no AF20055: the first window starts inside the seven days');
    assert.equal(api.requests.filter((request) => request.includes('subscriptions/content')).length, 7);
  });

  it('passes over a blob that fails the same way every time (gone, not JSON), dead-lettering it, and copies what comes after', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({
      'Audit.Exchange': [
        { ...blob('gone', '2026-11-28T10:00:00.000Z'), contentUri: `${api.url}/api/v1.0/${TENANT}/activity/feed/audit/expired-blob` },
        { ...blob('garbled', '2026-11-28T10:30:00.000Z'), answer: '{"not": "an array"}' },
        blob('fine', '2026-11-28T11:00:00.000Z'),
      ],
    });
    const store = await fresh();
    const hub = new RecordingHub();
    const lure = await poller(store, hub, { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' });
    const report = polled(await lure.pollAuditContent());
    assert.equal(report.deadLettered, 2);
    assert.equal(report.copied, 1);
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      hub.events.get('o365-audit')!.map((record) => (record as { Id: string }).Id),
      ['fine-r1', 'fine-r2'],
    );
    const letters = [];
    for await (const letter of store.listDeadLetters()) letters.push(letter);
    assert.deepEqual(letters.map((letter) => letter.excerpt).sort(), ['garbled', 'gone']);
    assert.ok(letters.every((letter) => letter.origin === 'audit poller' && /Audit\.Exchange blob not copied/.test(letter.detail)));
    clock.advance(5 * 60_000);
    assert.equal(polled(await lure.pollAuditContent()).copied, 0, 'and does not try them again');
  });

  it('starts a subscription again when the API says it is gone (stopped since), then lists', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('r1', '2026-11-28T11:00:00.000Z')] });
    const store = await fresh();
    const lure = await poller(store, new RecordingHub(), { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' });
    assert.equal(polled(await lure.pollAuditContent()).copied, 1);
    api.subscriptions.delete('Audit.Exchange');
    api.blobs.get('Audit.Exchange')!.push(blob('r2', '2026-11-28T12:01:00.000Z'));
    // Past the API's 15-minute wait since the first start (the next test covers a restart inside it).
    clock.advance(16 * 60_000);
    const report = polled(await lure.pollAuditContent());
    assert.equal(report.subscriptionsRestarted, 1);
    assert.equal(report.copied, 1);
    assert.deepEqual(report.failures, []);
    assert.ok(api.subscriptions.has('Audit.Exchange'));
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.subscribedAt, '2026-11-28T12:16:00.000Z', 'started again now');
  });

  it('never sends a start request within 15 minutes of the previous one (the API asks for the wait), and sends it after', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('w1', '2026-11-28T11:00:00.000Z')] });
    const store = await fresh();
    const lure = await poller(store, new RecordingHub(), { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' });
    const starts = () => api.requests.filter((request) => request.startsWith('POST') && request.includes('subscriptions/start')).length;
    assert.equal(polled(await lure.pollAuditContent()).subscriptionsStarted, 1);
    assert.equal(starts(), 1);
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.startRequestedAt, '2026-11-28T12:00:00.000Z');

    // Gone five minutes after the start (AF20022): the restart waits, run after run, until 15 minutes have passed.
    api.subscriptions.delete('Audit.Exchange');
    api.blobs.get('Audit.Exchange')!.push(blob('w2', '2026-11-28T12:02:00.000Z'));
    for (const at of ['2026-11-28T12:05:00.000Z', '2026-11-28T12:14:59.999Z']) {
      clock.set(at);
      const deferred = polled(await lure.pollAuditContent());
      assert.deepEqual([deferred.startsDeferred, deferred.subscriptionsRestarted, deferred.copied, deferred.failures], [1, 0, 0, []], at);
      assert.equal(starts(), 1, `no start request at ${at}`);
    }
    clock.set('2026-11-28T12:15:00.000Z');
    const restarted = polled(await lure.pollAuditContent());
    assert.deepEqual([restarted.startsDeferred, restarted.subscriptionsRestarted, restarted.copied, restarted.failures], [0, 1, 1, []]);
    assert.equal(starts(), 2);

    // A start request that fails is one request (never retried inside the wait), and counts for the wait.
    api.subscriptions.delete('Audit.Exchange');
    api.failNext('subscriptions/start', 503);
    clock.set('2026-11-28T12:31:00.000Z');
    const failed = polled(await lure.pollAuditContent());
    assert.equal(failed.failures.length, 1);
    assert.match(failed.failures[0]!, /HTTP 503/);
    assert.equal(starts(), 3, 'one request, not four');
    clock.set('2026-11-28T12:40:00.000Z');
    assert.equal(polled(await lure.pollAuditContent()).startsDeferred, 1);
    assert.equal(starts(), 3);
    clock.set('2026-11-28T12:46:00.000Z');
    const again = polled(await lure.pollAuditContent());
    assert.deepEqual([again.subscriptionsRestarted, again.failures], [1, []]);
    assert.equal(starts(), 4);
  });

  it('never starts a subscription an admin disabled (AF20023), alerts once, shows it in status, and resumes once an admin enables it', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('e1', '2026-11-28T11:00:00.000Z')], 'Audit.AzureActiveDirectory': [blob('aad1', '2026-11-28T11:00:00.000Z')] });
    // Disabled before Lure ever asked: the very first start answers AF20023.
    api.disableSubscription('Audit.AzureActiveDirectory', 'a service admin');
    const store = await fresh();
    const logger = recordingLogger();
    const lure = await poller(store, new RecordingHub(), { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange,Audit.AzureActiveDirectory' }, logger);
    const isStart = (request: string) => request.startsWith('POST') && request.includes('subscriptions/start');
    const first = polled(await lure.pollAuditContent());
    assert.deepEqual([first.subscriptionsStarted, first.subscriptionsDisabled, first.copied, first.failures], [1, 1, 1, []]);
    assert.deepEqual(await store.getAuditFeedState('Audit.AzureActiveDirectory'), {
      contentType: 'Audit.AzureActiveDirectory',
      startRequestedAt: '2026-11-28T12:00:00.000Z',
      disabled: { since: '2026-11-28T12:00:00.000Z', detail: 'AF20023: The subscription was disabled by a service admin.' },
    });

    // A tenant admin disables Exchange auditing five minutes on.
    api.disableSubscription('Audit.Exchange');
    api.blobs.get('Audit.Exchange')!.push(blob('e2', '2026-11-28T12:02:00.000Z'));
    api.requests.length = 0;
    logger.lines.length = 0;
    clock.set('2026-11-28T12:05:00.000Z');
    const disabling = polled(await lure.pollAuditContent());
    assert.deepEqual([disabling.subscriptionsDisabled, disabling.subscriptionsRestarted, disabling.startsDeferred, disabling.copied], [2, 0, 0, 0]);
    assert.deepEqual(disabling.failures, [], 'a disabling is not a failure');
    const exchangeDisabled = { since: '2026-11-28T12:05:00.000Z', detail: 'AF20023: The subscription was disabled by a tenant admin.' };
    assert.deepEqual((await store.getAuditFeedState('Audit.Exchange'))?.disabled, exchangeDisabled);

    // Run after run, well past the 15-minute wait: one listing each (how Lure learns it is back), never a start.
    for (let run = 1; run <= 3; run += 1) {
      clock.advance(20 * 60_000);
      const report = polled(await lure.pollAuditContent());
      assert.deepEqual([report.subscriptionsDisabled, report.listed, report.failures], [2, 0, []]);
    }
    assert.ok(!api.requests.some(isStart), api.requests.join('\n'));
    assert.equal(api.requests.filter((request) => request.includes('subscriptions/content')).length, 8, 'one listing per content type per run');
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.disabled?.since, '2026-11-28T12:05:00.000Z', 'since when Lure first saw it');
    const lines = logger.lines.map((line) => JSON.parse(line) as { level: string; message: string; contentTypes?: string });
    assert.equal(lines.filter((line) => line.level === 'error').length, 0);
    assert.deepEqual(
      lines.filter((line) => line.level === 'warn').map((line) => line.contentTypes),
      Array.from({ length: 4 }, () => 'Audit.AzureActiveDirectory, Audit.Exchange'),
      'one warning a run',
    );

    // One source.silent per disabled subscription, however often the check runs.
    const check = await lure.checkSources();
    const silentAlerts = async () => {
      const alerts = [];
      for await (const stored of store.listAlerts()) if (stored.alert.detection === 'source.silent') alerts.push(stored.alert);
      return alerts;
    };
    assert.deepEqual(check.alerts.map((alert) => alert.target.resource).sort(), ['Audit.AzureActiveDirectory', 'Audit.Exchange']);
    const exchange = check.alerts.find((alert) => alert.target.resource === 'Audit.Exchange')!;
    assert.equal(exchange.title, 'The Audit.Exchange subscription was disabled by a tenant admin');
    assert.equal(exchange.severity, 'high');
    assert.match(exchange.summary, /Lure will not start it again/);
    assert.match(exchange.summary, /Purview/);
    assert.deepEqual(exchange.evidence, [
      { source: 'exchange', type: 'SubscriptionDisabled', id: 'subscription:Audit.Exchange@2026-11-28T12:05:00.000Z', time: '2026-11-28T12:05:00.000Z' },
    ]);
    assert.equal(
      check.alerts.find((alert) => alert.target.resource === 'Audit.AzureActiveDirectory')?.title,
      'The Audit.AzureActiveDirectory subscription was disabled by a service admin',
    );
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.silentAlertId, exchange.id);
    for (let again = 0; again < 2; again += 1) {
      clock.advance(5 * 60_000);
      assert.deepEqual((await lure.checkSources()).alerts, []);
    }
    assert.equal((await silentAlerts()).length, 2);

    // A poller write that read the state before the check wrote the alert id drops it: the finding folds
    // into the same alert (same dedupe key, evidence already counted), and the id is written again.
    const { silentAlertId: _dropped, ...stale } = (await store.getAuditFeedState('Audit.Exchange'))!;
    await store.upsertAuditFeedState(stale);
    assert.deepEqual((await lure.checkSources()).alerts, []);
    assert.equal((await silentAlerts()).length, 2, 'no second alert');
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.silentAlertId, exchange.id);

    const status = await readStatusReport(lure);
    assert.deepEqual(status.auditSubscriptions, [
      {
        contentType: 'Audit.AzureActiveDirectory',
        disabled: { since: '2026-11-28T12:00:00.000Z', detail: 'AF20023: The subscription was disabled by a service admin.' },
      },
      { contentType: 'Audit.Exchange', subscribedAt: '2026-11-28T12:00:00.000Z', listedUntil: '2026-11-28T12:00:00.000Z', disabled: exchangeDisabled },
    ]);

    // An admin enables Exchange again: the next run lists and copies, without a start; the next check resolves.
    api.enableSubscription('Audit.Exchange');
    clock.advance(5 * 60_000);
    const resumed = polled(await lure.pollAuditContent());
    assert.deepEqual([resumed.subscriptionsDisabled, resumed.copied, resumed.failures], [1, 1, []]);
    assert.ok(!api.requests.some(isStart));
    const enabled = (await store.getAuditFeedState('Audit.Exchange'))!;
    assert.equal(enabled.disabled, undefined);
    assert.equal(enabled.listedUntil, clock.now().toISOString());
    const cleared = await lure.checkSources();
    assert.equal(cleared.cleared, 1);
    const statuses = new Map((await silentAlerts()).map((alert) => [alert.target.resource, alert.status]));
    assert.deepEqual(Object.fromEntries(statuses), { 'Audit.AzureActiveDirectory': 'open', 'Audit.Exchange': 'resolved' });
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.silentAlertId, undefined);
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.listedUntil, enabled.listedUntil, "the check leaves the poller's progress");
    assert.equal((await readStatusReport(lure)).auditSubscriptions.find((row) => row.contentType === 'Audit.Exchange')?.disabled, undefined);
  });

  it('never follows a content URL or next page to another host, so the token stays with the API', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [{ ...blob('evil', '2026-11-28T11:00:00.000Z'), contentUri: 'https://attacker.example/steal' }] });
    const store = await fresh();
    const report = polled(await (await poller(store, new RecordingHub(), { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' })).pollAuditContent());
    assert.equal(report.deadLettered, 1, 'the blob is passed over, never fetched');
    const letters = [];
    for await (const letter of store.listDeadLetters()) letters.push(letter);
    assert.match(letters[0]?.detail ?? '', /contentUri points at https:\/\/attacker\.example/);
    assert.ok(!api.requests.some((request) => request.includes('steal')));
  });

  it('runs as the pollAuditContent timer function, and says why when it is off', async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    reset({ 'Audit.Exchange': [blob('f1', '2026-11-28T11:00:00.000Z')] });
    const logs: string[] = [];
    useServices(await poller(await fresh(), new RecordingHub(), { LURE_AUDIT_CONTENT_TYPES: 'Audit.Exchange' }));
    await pollAuditContent(
      { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } },
      new InvocationContext({ functionName: 'pollAuditContent', logHandler: (_level, ...args) => logs.push(args.join(' ')) }),
    );
    assert.ok(
      logs.some((line) => line.startsWith('pollAuditContent done') && line.includes('"copied":1')),
      logs.join('\n'),
    );

    const off = await testServices({ settings: { LURE_AUDIT_CONTENT_TYPES: 'none' } });
    assert.deepEqual(await off.pollAuditContent(), { skipped: 'LURE_AUDIT_CONTENT_TYPES is none' });
    const noTenant = await testServices({
      settings: { LURE_EVENTHUB_CONNECTION_STRING: 'Endpoint=sb://lure-test.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=a2V5' },
    });
    assert.deepEqual(await noTenant.pollAuditContent(), { skipped: 'no LURE_TENANT_ID' });
  });
});

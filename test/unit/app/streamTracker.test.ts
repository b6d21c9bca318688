import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silenceVerdicts } from '../../../src/correlation/silence.js';
import type { StreamState } from '../../../src/domain/streams.js';
import { everyStreamAt, mailItemsAccessedRecord, signInRecord } from '../../helpers/records.js';
import { readStatusReport } from '../../../src/app/admin/statusReport.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import { testServices } from '../../helpers/services.js';

function movableClock(start: string) {
  let now = new Date(start);
  return { now: () => now, set: (iso: string) => (now = new Date(iso)) };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

describe('silenceVerdicts', () => {
  const stream = (name: string, lastArrivalAt: string, silentAlertId?: string): StreamState => ({
    stream: name,
    source: name === 'source:exchange' ? 'exchange' : 'entra',
    lastArrivalAt,
    ...(silentAlertId === undefined ? {} : { silentAlertId }),
  });
  const thresholds = new Map([
    ['exchange', 360],
    ['ManagedIdentitySignInLogs', 1440],
  ]);

  it('raises past the threshold (per stream, per source, else the default), once, and clears when flowing', () => {
    const verdicts = silenceVerdicts(
      [
        stream('category:SignInLogs', '2026-11-28T09:59:00.000Z'),
        stream('category:AuditLogs', '2026-11-28T10:30:00.000Z'),
        stream('source:exchange', '2026-11-28T07:00:00.000Z'),
        stream('category:ManagedIdentitySignInLogs', '2026-11-28T00:00:00.000Z'),
        stream('source:entra', '2026-11-28T08:00:00.000Z', 'already-alerted'),
        stream('source:token', '2026-11-28T11:59:00.000Z', 'old-alert'),
      ],
      '2026-11-28T12:00:00.000Z',
      { thresholds, defaultInMinutes: 120, expected: new Set(), firstDeliveryGraceInMinutes: 1440 },
    );
    assert.deepEqual(
      verdicts.map((verdict) => [verdict.stream.stream, verdict.action]),
      [
        ['category:SignInLogs', 'raise'],
        ['category:AuditLogs', 'none'],
        ['source:exchange', 'none'],
        ['category:ManagedIdentitySignInLogs', 'none'],
        ['source:entra', 'none'],
        ['source:token', 'clear'],
      ],
    );
  });
});

describe('silenceVerdicts of expected streams that never delivered', () => {
  const never = (name: string, expectedSince: string | undefined, silentAlertId?: string): StreamState => ({
    stream: name,
    source: 'entra',
    ...(expectedSince === undefined ? {} : { expectedSince }),
    ...(silentAlertId === undefined ? {} : { silentAlertId }),
  });
  const rules = { thresholds: new Map<string, number>(), defaultInMinutes: 120, firstDeliveryGraceInMinutes: 1440 };

  it('raise past the grace (arrival time from when they were first expected), once; nothing for a stream no longer expected', () => {
    const verdicts = silenceVerdicts(
      [
        never('category:SignInLogs', '2026-11-27T11:59:00.000Z'),
        never('category:AuditLogs', '2026-11-27T12:01:00.000Z'),
        never('category:MicrosoftGraphActivityLogs', '2026-11-26T00:00:00.000Z', 'already-alerted'),
        never('category:ADFSSignInLogs', '2026-11-20T00:00:00.000Z'),
        never('category:ManagedIdentitySignInLogs', '2026-11-20T00:00:00.000Z', 'alerted-when-expected'),
      ],
      '2026-11-28T12:00:00.000Z',
      { ...rules, expected: new Set(['category:SignInLogs', 'category:AuditLogs', 'category:MicrosoftGraphActivityLogs']) },
    );
    assert.deepEqual(
      verdicts.map((verdict) => [verdict.stream.stream, verdict.action, verdict.action === 'raise' ? [verdict.silence, verdict.silentForInMinutes] : []]),
      [
        ['category:SignInLogs', 'raise', ['neverDelivered', 1441]],
        ['category:AuditLogs', 'none', []],
        ['category:MicrosoftGraphActivityLogs', 'none', []],
        ['category:ADFSSignInLogs', 'none', []],
        ['category:ManagedIdentitySignInLogs', 'clear', []],
      ],
    );
  });
});

describe('source.silent for expected streams', () => {
  const settings = { LURE_EXPECTED_SOURCES: 'SignInLogs, exchange', LURE_FIRST_DELIVERY_GRACE_IN_HOURS: '24' };

  it('raises exactly one alert per expected stream that never delivers, after the grace, and resolves it on its first record, however old', async () => {
    const clock = movableClock('2026-11-28T08:00:00.000Z');
    const services = await testServices({ clock, settings });
    assert.equal((await services.checkSources()).silent, 0, 'the first check starts the grace');
    const marked = new Map((await services.store.listStreams()).map((stream) => [stream.stream, stream.expectedSince]));
    assert.deepEqual(Object.fromEntries(marked), { 'category:SignInLogs': '2026-11-28T08:00:00.000Z', 'source:exchange': '2026-11-28T08:00:00.000Z' });

    clock.set('2026-11-29T07:59:00.000Z');
    assert.equal((await services.checkSources()).silent, 0, 'within the grace');

    clock.set('2026-11-29T08:05:00.000Z');
    const silent = await services.checkSources();
    assert.deepEqual(silent.alerts.map((alert) => alert.target.resource).sort(), ['SignInLogs', 'exchange'], 'only expected streams; token was never expected');
    const exchange = silent.alerts.find((alert) => alert.target.resource === 'exchange')!;
    assert.equal(exchange.detection, 'source.silent');
    assert.equal(exchange.severity, 'high');
    assert.match(exchange.title, /^No exchange records ever, 24 hours after Lure began expecting them$/);
    assert.match(exchange.summary, /Most likely cause: the Management Activity API has delivered nothing/);
    const signIns = silent.alerts.find((alert) => alert.target.resource === 'SignInLogs')!;
    assert.match(signIns.summary, /Most likely cause: the tenant diagnostic setting does not stream SignInLogs/);

    clock.set('2026-11-29T09:00:00.000Z');
    assert.equal((await services.checkSources()).silent, 0, 'one alert per stream that never began');
    assert.equal((await all(services.store.listAlerts())).length, 2);

    // Arrival time decides: a first record with an event time three days old still shows the stream flows.
    clock.set('2026-11-29T10:00:00.000Z');
    await services.ingest([{ records: [mailItemsAccessedRecord({ time: '2026-11-26T10:00:00.000Z', uti: 'first-exchange-record' })] }], 'exchange');
    const flowing = await services.checkSources();
    assert.equal(flowing.cleared, 1);
    const statuses = new Map((await all(services.store.listAlerts())).map((stored) => [stored.alert.target.resource, stored.alert.status]));
    assert.deepEqual(Object.fromEntries(statuses), { SignInLogs: 'open', exchange: 'resolved' });

    clock.set('2026-11-29T10:30:00.000Z');
    assert.equal((await services.checkSources()).silent, 0);
    const report = await readStatusReport(services);
    assert.deepEqual(report.neverDelivered, ['SignInLogs']);
    const row = report.sources.find((source) => source.stream === 'category:SignInLogs')!;
    assert.deepEqual(
      { expected: row.expected, delivered: row.delivered, expectedSince: row.expectedSince, silent: row.silent },
      { expected: true, delivered: false, expectedSince: '2026-11-28T08:00:00.000Z', silent: true },
    );
    assert.match(row.likelyCause ?? '', /diagnostic setting/);
  });

  it('marks streams expected later from when they were added, and clears the alert of one no longer expected', async () => {
    const clock = movableClock('2026-11-28T08:00:00.000Z');
    const store = memoryStateStore();
    const first = await testServices({ clock, store, settings: { LURE_EXPECTED_SOURCES: 'token' } });
    await first.checkSources();
    clock.set('2026-11-29T09:00:00.000Z');
    assert.equal((await first.checkSources()).silent, 1);

    // Redeployed: token no longer expected, SignInLogs newly expected.
    const second = await testServices({ clock, store, settings: { LURE_EXPECTED_SOURCES: 'SignInLogs' } });
    const report = await second.checkSources();
    assert.deepEqual([report.silent, report.cleared], [0, 1]);
    const streams = new Map((await store.listStreams()).map((stream) => [stream.stream, stream]));
    assert.equal(streams.get('category:SignInLogs')?.expectedSince, '2026-11-29T09:00:00.000Z', 'its grace starts now, not at the first start');
    assert.equal(streams.has('source:token'), false, 'no longer expected and never delivered: forgotten, so no status report lists it');
    assert.deepEqual(
      (await all(store.listAlerts())).map((stored) => stored.alert.status),
      ['resolved'],
    );
  });
});

describe('source.silent', () => {
  it('raises one alert per silent stream, keeps quiet while it lasts, and resolves it when records flow again', async () => {
    const clock = movableClock('2026-11-28T08:00:00.000Z');
    const services = await testServices({ clock });
    await services.ingest([{ records: everyStreamAt('2026-11-28T07:59:00.000Z') }], 'entra');

    clock.set('2026-11-28T09:59:00.000Z');
    assert.equal((await services.checkSources()).silent, 0, 'two hours is not yet silence');

    clock.set('2026-11-28T10:30:00.000Z');
    const silent = await services.checkSources();
    // Every stream but the managed identities' (a day's threshold) is silent.
    assert.deepEqual(silent.alerts.map((alert) => alert.target.resource).sort(), [
      'NonInteractiveUserSignInLogs',
      'ServicePrincipalSignInLogs',
      'SignInLogs',
      'entra',
    ]);
    assert.ok(silent.alerts.every((alert) => alert.detection === 'source.silent' && alert.severity === 'high' && alert.status === 'open'));
    assert.equal((await services.checkSources()).silent, 0, 'one alert per silence');

    clock.set('2026-11-28T10:40:00.000Z');
    await services.ingest([{ records: [signInRecord({ time: '2026-11-28T10:39:00.000Z' })] }], 'entra');
    const flowing = await services.checkSources();
    assert.equal(flowing.cleared, 2, 'the entra source and SignInLogs flow again');
    const statuses = new Map((await all(services.store.listAlerts())).map((stored) => [stored.alert.target.resource, stored.alert.status]));
    assert.deepEqual([statuses.get('SignInLogs'), statuses.get('entra'), statuses.get('NonInteractiveUserSignInLogs')], ['resolved', 'resolved', 'open']);
  });
});

describe('stream arrivals', () => {
  it('record the latest event time per source and per category, whatever order a batch holds its records in', async () => {
    const clock = movableClock('2026-11-28T08:00:00.000Z');
    const services = await testServices({ clock });
    const times = ['2026-11-28T07:30:00.000Z', '2026-11-28T07:50:00.000Z', '2026-11-28T07:10:00.000Z'];
    await services.ingest(
      [
        {
          records: [
            ...times.map((time) => signInRecord({ time })),
            signInRecord({ time: '2026-11-28T07:20:00.000Z', category: 'NonInteractiveUserSignInLogs' }),
          ],
        },
      ],
      'entra',
    );
    const streams = new Map((await services.store.listStreams()).map((state) => [state.stream, state.lastEventAt]));
    assert.equal(streams.get('source:entra'), '2026-11-28T07:50:00.000Z');
    assert.equal(streams.get('category:SignInLogs'), '2026-11-28T07:50:00.000Z');
    assert.equal(streams.get('category:NonInteractiveUserSignInLogs'), '2026-11-28T07:20:00.000Z');

    // The per-instance counts keep the latest event time across batches too: an older batch a minute later
    // does not move it back.
    clock.set('2026-11-28T08:01:30.000Z');
    await services.ingest([{ records: [signInRecord({ time: '2026-11-28T07:40:00.000Z' })] }], 'entra');
    const counts = await services.store.listStreamCounts('2026-11-28T07:00:00.000Z');
    assert.deepEqual([...new Set(counts.map((count) => count.lastEventAt))], ['2026-11-28T07:50:00.000Z']);
    assert.equal(
      counts.reduce((total, count) => total + count.records, 0),
      5,
    );
  });
});

describe('source.silent for an audit subscription an admin disabled', () => {
  const disabled = { since: '2026-11-28T08:00:00.000Z', detail: 'AF20023: The subscription was disabled by a tenant admin.' };

  it("writes its alert id over a fresh read, so a poller write during the check keeps its progress, and resolves it on the poller's word", async () => {
    const clock = movableClock('2026-11-28T08:05:00.000Z');
    const memory = memoryStateStore();
    // The poller writes its progress while the check is persisting the alert (after the check listed the states).
    let pollerWrites = 0;
    const store = {
      ...memory,
      async createAlert(...args: Parameters<typeof memory.createAlert>) {
        await memory.createAlert(...args);
        const current = (await memory.getAuditFeedState('Audit.Exchange'))!;
        await memory.upsertAuditFeedState({ ...current, listedUntil: '2026-11-28T08:04:00.000Z' });
        pollerWrites += 1;
      },
    };
    await memory.upsertAuditFeedState({
      contentType: 'Audit.Exchange',
      subscribedAt: '2026-11-20T00:00:00.000Z',
      listedUntil: '2026-11-28T07:55:00.000Z',
      disabled,
    });
    const services = await testServices({ clock, store });
    const raised = await services.checkSources();
    assert.equal(pollerWrites, 1);
    assert.equal(raised.silent, 1);
    assert.equal(raised.alerts[0]?.target.resource, 'Audit.Exchange');
    const state = (await memory.getAuditFeedState('Audit.Exchange'))!;
    assert.equal(state.listedUntil, '2026-11-28T08:04:00.000Z', "the poller's progress stands");
    assert.equal(state.silentAlertId, raised.alerts[0].id);

    // Enabled again (the poller's write, as it makes it: the rest of the state kept, the disabling gone).
    const { disabled: _gone, ...enabled } = state;
    await memory.upsertAuditFeedState({ ...enabled, listedUntil: '2026-11-28T08:10:00.000Z' });
    clock.set('2026-11-28T08:10:00.000Z');
    const cleared = await services.checkSources();
    assert.deepEqual([cleared.silent, cleared.cleared], [0, 1]);
    assert.deepEqual(
      (await all(memory.listAlerts())).map((stored) => stored.alert.status),
      ['resolved'],
    );
    assert.deepEqual(await memory.getAuditFeedState('Audit.Exchange'), {
      contentType: 'Audit.Exchange',
      subscribedAt: '2026-11-20T00:00:00.000Z',
      listedUntil: '2026-11-28T08:10:00.000Z',
    });
    assert.equal((await services.checkSources()).cleared, 0, 'resolved once');
  });

  it('resolves the alert of an earlier disabling when the subscription was enabled and disabled again between two checks', async () => {
    const clock = movableClock('2026-11-28T08:05:00.000Z');
    const store = memoryStateStore();
    await store.upsertAuditFeedState({ contentType: 'Audit.Exchange', disabled });
    const services = await testServices({ clock, store, settings: { LURE_DEDUPE_BUCKET_IN_MINUTES: '60' } });
    const first = (await services.checkSources()).alerts[0]!;
    const state = (await store.getAuditFeedState('Audit.Exchange'))!;
    await store.upsertAuditFeedState({ ...state, disabled: { ...disabled, since: '2026-11-28T10:00:00.000Z' } });
    clock.set('2026-11-28T10:05:00.000Z');
    const second = await services.checkSources();
    assert.equal(second.alerts.length, 1);
    assert.notEqual(second.alerts[0]?.id, first.id);
    const statuses = new Map((await all(store.listAlerts())).map((stored) => [stored.alert.id, stored.alert.status]));
    assert.deepEqual([statuses.get(first.id), statuses.get(second.alerts[0]!.id)], ['resolved', 'open']);
    assert.equal((await store.getAuditFeedState('Audit.Exchange'))?.silentAlertId, second.alerts[0]?.id);
  });
});

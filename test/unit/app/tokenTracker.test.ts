import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../../src/domain/alerts.js';
import { fixtureDecoys } from '../../helpers/mixedFixture.js';
import { everyStreamAt, graphRecord, mailItemsAccessedRecord, signInRecord } from '../../helpers/records.js';
import { movableClock, testServices } from '../../helpers/services.js';
import { latenessQuantile, mergeLateness } from '../../../src/correlation/lateness.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import type { Services } from '../../../src/host/services.js';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

async function missingAlerts(services: Services): Promise<Alert[]> {
  return (await all(services.store.listAlerts())).map((stored) => stored.alert).filter((alert) => alert.detection === 'token.issuance.missing');
}

/** Streams that started at 08:00, so tokens issued from then on are covered. */
const STREAMS_START = everyStreamAt('2026-11-02T08:00:00.000Z');

describe('token.issuance.missing', () => {
  it('raises nothing while the sign-in streams are short of the due time, then names the unissued token', async () => {
    const services = await testServices();
    await services.ingest([{ records: STREAMS_START }], 'entra');
    await services.ingest(
      [
        {
          records: [
            graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:55:00.000Z', uti: 'forgedUti0000000000001', ipAddress: '198.51.100.66' }),
          ],
        },
      ],
      'entra',
    );

    await services.ingest([{ records: everyStreamAt('2026-11-02T10:54:00.000Z') }], 'entra');
    const early = await services.resolveTokenChecks();
    assert.equal(early.missingAlerted + early.matched + early.notCovered, 0, 'due at 10:55: not judged yet');
    assert.deepEqual(await missingAlerts(services), []);

    await services.ingest([{ records: everyStreamAt('2026-11-02T10:56:00.000Z') }], 'entra');
    const resolved = await services.resolveTokenChecks();
    assert.equal(resolved.missingAlerted, 1);
    const [alert] = await missingAlerts(services);
    assert.ok(alert !== undefined);
    assert.equal(alert.severity, 'high');
    assert.equal(alert.token?.uniqueTokenId, 'forgedUti0000000000001');
    assert.equal(alert.actor.appId, 'de8bc8b5-d9f9-48b1-a8ad-b748da725064');
    assert.equal(alert.actor.userId, '11111111-2222-4333-8444-555555555555');
    assert.equal(alert.actor.ipAddress, '198.51.100.66');
    assert.equal(alert.target.resource, 'GET https://graph.microsoft.com/v1.0/users?$top=10');
    assert.match(alert.summary, /forgedUti0000000000001.*no sign-in log of any category issued it/);
    assert.equal((await services.resolveTokenChecks()).missingAlerted, 0, 'a judged check is gone');
  });

  it('raises nothing for a Graph call that arrives before the sign-in that issued its token (another instance, later batch)', async () => {
    const store = memoryStateStore();
    const first = await testServices({ store });
    const second = await testServices({ store });
    await first.ingest([{ records: STREAMS_START }], 'entra partition 0');
    await first.ingest(
      [{ records: [graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:58:00.000Z', uti: 'lateSignInUti000000001' })] }],
      'entra partition 0',
    );
    await second.ingest(
      [{ records: [signInRecord({ time: '2026-11-02T08:58:00.000Z', uti: 'lateSignInUti000000001', userPrincipalName: 'alice@contoso.example' })] }],
      'entra partition 1',
    );
    await second.ingest([{ records: everyStreamAt('2026-11-02T12:00:00.000Z') }], 'entra partition 1');
    const report = await first.resolveTokenChecks();
    assert.equal(report.matched, 1);
    assert.deepEqual(await missingAlerts(first), []);
  });

  it('matches at once, writing no pending check, when the issuing sign-in is in the same batch or seen lately', async () => {
    const services = await testServices();
    const report = await services.ingest(
      [
        {
          records: [
            ...STREAMS_START,
            graphRecord({ time: '2026-11-02T08:10:00.000Z', issuedAt: '2026-11-02T08:09:00.000Z', uti: 'sameBatchUti0000000001' }),
            signInRecord({ time: '2026-11-02T08:09:00.000Z', uti: 'sameBatchUti0000000001' }),
          ],
        },
      ],
      'entra',
    );
    assert.equal(report.tokens.usesMatchedAtOnce, 1);
    assert.equal(report.tokens.usesPending, 0);
    const later = await services.ingest(
      [{ records: [graphRecord({ time: '2026-11-02T08:30:00.000Z', issuedAt: '2026-11-02T08:09:00.000Z', uti: 'sameBatchUti0000000001' })] }],
      'entra',
    );
    assert.equal(later.tokens.usesMatchedAtOnce, 1);
    assert.deepEqual(await all(services.store.listPendingTokenChecks('9999-01-01T00:00:00.000Z')), []);
  });

  it('records how far each category and partition has come: from its earliest sign-in to its latest, in any order', async () => {
    const services = await testServices();
    const times = ['2026-11-02T08:30:00.000Z', '2026-11-02T08:05:00.000Z', '2026-11-02T08:50:00.000Z', '2026-11-02T08:20:00.000Z'];
    await services.ingest([{ records: times.map((time) => signInRecord({ time })) }], 'entra partition 3', undefined, { partitionId: '3' });
    const progress = new Map((await services.store.listSignInProgress()).map((entry) => [entry.category, [entry.firstEventTime, entry.watermark]]));
    assert.deepEqual(progress.get('SignInLogs'), ['2026-11-02T08:05:00.000Z', '2026-11-02T08:50:00.000Z']);
    assert.deepEqual(progress.get('partition:3'), ['2026-11-02T08:05:00.000Z', '2026-11-02T08:50:00.000Z']);
  });

  it('measures how late each sign-in arrives behind its stream, per category and partition, across batches and hours of arrival', async () => {
    const clock = movableClock('2026-11-02T09:10:00.000Z');
    const services = await testServices({ clock });
    const minutes = (time: string) => signInRecord({ time: `2026-11-02T${time}:00.000Z` });
    // 08:30 moves the stream; 08:05 is 25 minutes behind it; 08:50 moves it; 08:20 is 30 minutes behind.
    await services.ingest([{ records: ['08:30', '08:05', '08:50', '08:20'].map(minutes) }], 'entra partition 3', undefined, { partitionId: '3' });
    // A later batch: 08:49 is a minute behind what this process saw before.
    await services.ingest([{ records: [minutes('08:49')] }], 'entra partition 3', undefined, { partitionId: '3' });
    clock.advance(3_600_000);
    // Another hour of arrival, and a record two hours late.
    await services.ingest([{ records: [minutes('08:51'), minutes('06:51')] }], 'entra partition 3', undefined, { partitionId: '3' });
    await services.resolveTokenChecks();

    const rows = await services.store.listSignInLateness('2026-11-02T00:00:00.000Z');
    const of = (category: string, hour: string) => rows.find((row) => row.category === category && row.hour === `2026-11-02T${hour}:00:00.000Z`)?.histogram;
    for (const category of ['SignInLogs', 'partition:3']) {
      const first = of(category, '09');
      assert.ok(first !== undefined, `${category}: a row for 09:00`);
      assert.equal(first.total, 5);
      assert.equal(first.maxInSeconds, 30 * 60);
      assert.equal(latenessQuantile(first, 0.4), 0, 'two of five moved the stream: on time');
      assert.ok(latenessQuantile(first, 0.6) >= 60 && latenessQuantile(first, 0.6) <= 72, 'the third is a minute behind');
      const second = of(category, '10');
      assert.equal(second?.total, 2);
      assert.equal(second.maxInSeconds, 2 * 3600, `${category}: the straggler`);
    }
    const merged = mergeLateness(rows.filter((row) => row.category === 'SignInLogs').map((row) => row.histogram));
    assert.equal(merged.total, 7);
  });

  describe('adaptive grace', () => {
    /** Sign-ins of a category every minute from 08:00, in order: a stream that arrives on time. */
    const onTime = (category: 'SignInLogs' | 'NonInteractiveUserSignInLogs', count: number) =>
      Array.from({ length: count }, (_, minute) =>
        signInRecord({ category, time: new Date(Date.parse('2026-11-02T08:00:00.000Z') + minute * 60_000).toISOString() }),
      );
    const forged = graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:58:00.000Z', uti: 'forgedAdaptive00000001' });
    /** Moves every stream to `time`, judges, and says how many unissued uses were alerted. */
    const judgedAt = async (services: Services, time: string) => {
      await services.ingest([{ records: everyStreamAt(time) }], 'entra');
      return (await services.resolveTokenChecks()).missingAlerted;
    };
    const settings = { LURE_ISSUANCE_GRACE_HISTORY_RECORDS: '50' };

    it('shrinks to what the streams show, never below the minimum: an unissued token is judged 10 minutes after it was issued', async () => {
      const services = await testServices({ settings, clock: movableClock('2026-11-02T12:00:00.000Z') });
      await services.ingest([{ records: [...STREAMS_START, ...onTime('SignInLogs', 60), ...onTime('NonInteractiveUserSignInLogs', 60)] }], 'entra');
      await services.ingest([{ records: [forged] }], 'entra');
      assert.equal(await judgedAt(services, '2026-11-02T09:07:00.000Z'), 0, 'due at 09:08, not before');
      assert.equal(await judgedAt(services, '2026-11-02T09:09:00.000Z'), 1, 'judged well inside the configured two hours');
    });

    it('keeps the configured grace while a gating category has too little history', async () => {
      const services = await testServices({ settings, clock: movableClock('2026-11-02T12:00:00.000Z') });
      await services.ingest([{ records: [...STREAMS_START, ...onTime('SignInLogs', 60), ...onTime('NonInteractiveUserSignInLogs', 20)] }], 'entra');
      await services.ingest([{ records: [forged] }], 'entra');
      assert.equal(await judgedAt(services, '2026-11-02T10:57:00.000Z'), 0, 'non-interactive sign-ins have no history: two hours');
      assert.equal(await judgedAt(services, '2026-11-02T10:59:00.000Z'), 1);
    });

    it('holds a queued check back when the grace grew after its use arrived', async () => {
      const clock = movableClock('2026-11-02T12:00:00.000Z');
      const services = await testServices({ settings, clock });
      await services.ingest([{ records: [...STREAMS_START, ...onTime('SignInLogs', 60), ...onTime('NonInteractiveUserSignInLogs', 60)] }], 'entra');
      await services.ingest([{ records: [forged] }], 'entra');
      // Queued due at 09:08; then a sign-in 40 minutes behind its stream, seen once the lateness is read again.
      await services.ingest([{ records: [signInRecord({ category: 'SignInLogs', time: '2026-11-02T08:19:00.000Z' })] }], 'entra');
      clock.advance(10 * 60_000);
      assert.equal(await judgedAt(services, '2026-11-02T09:09:00.000Z'), 0, 'judged with the grace as it is now, 80 minutes');
      assert.equal(await judgedAt(services, '2026-11-02T10:19:00.000Z'), 1);
    });

    it("takes an app token's grace from every category that may issue it, managed identities too (they gate nothing)", async () => {
      const clock = movableClock('2026-11-02T12:00:00.000Z');
      const services = await testServices({ settings, clock });
      const appOnTime = (category: 'ServicePrincipalSignInLogs' | 'ManagedIdentitySignInLogs') =>
        Array.from({ length: 60 }, (_, minute) =>
          signInRecord({
            category,
            time: new Date(Date.parse('2026-11-02T08:00:00.000Z') + minute * 60_000).toISOString(),
            appId: 'c0c0c0c0-1111-4222-8333-444444444444',
          }),
        );
      await services.ingest([{ records: [...STREAMS_START, ...appOnTime('ServicePrincipalSignInLogs'), ...appOnTime('ManagedIdentitySignInLogs')] }], 'entra');
      await services.ingest([{ records: [signInRecord({ category: 'ManagedIdentitySignInLogs', time: '2026-11-02T08:19:00.000Z' })] }], 'entra');
      clock.advance(10 * 60_000);
      const appUse = graphRecord({
        time: '2026-11-02T09:00:00.000Z',
        issuedAt: '2026-11-02T08:58:00.000Z',
        uti: 'forgedAppAdaptive00001',
        servicePrincipalId: 'e1d2c3b4-a5f6-4e7d-8c9b-0a1f2e3d4c5b',
      });
      await services.ingest([{ records: [appUse] }], 'entra');
      assert.equal(await judgedAt(services, '2026-11-02T09:09:00.000Z'), 0, 'the late managed-identity sign-in keeps it waiting');
      assert.equal(await judgedAt(services, '2026-11-02T10:19:00.000Z'), 1);
    });

    it('measures a record late against the progress another instance stored, not only its own', async () => {
      const store = memoryStateStore();
      const first = await testServices({ store, settings });
      await first.ingest([{ records: [signInRecord({ category: 'SignInLogs', time: '2026-11-02T09:00:00.000Z' })] }], 'entra partition 0', undefined, {
        partitionId: '0',
      });
      const second = await testServices({ store, settings });
      await second.ingest([{ records: [signInRecord({ category: 'SignInLogs', time: '2026-11-02T08:00:00.000Z' })] }], 'entra partition 0', undefined, {
        partitionId: '0',
      });
      await second.resolveTokenChecks();
      const rows = (await store.listSignInLateness('2026-11-01T00:00:00.000Z')).filter((row) => row.category === 'partition:0');
      assert.equal(mergeLateness(rows.map((row) => row.histogram)).maxInSeconds, 3600, 'an hour behind what the first instance had stored');
    });

    it("counts a partition's backlog against the partition only: in order within it, it never needs the grace", async () => {
      const store = memoryStateStore();
      const services = await testServices({ store, settings });
      const at = (partitionId: string, time: string) =>
        services.ingest([{ records: [signInRecord({ category: 'SignInLogs', time })] }], `entra partition ${partitionId}`, undefined, { partitionId });
      await at('0', '2026-11-02T09:00:00.000Z');
      // Partition 1 catches up on an hour, in order: an hour behind the category, on time in its partition.
      await at('1', '2026-11-02T08:00:00.000Z');
      await at('1', '2026-11-02T08:30:00.000Z');
      // Out of order within partition 1 itself: 20 minutes late there, 50 behind the category.
      await at('1', '2026-11-02T08:10:00.000Z');
      // Managed identities gate nothing: their sign-ins count how far they trail their partition, in order
      // within their own category or not (40 minutes here).
      await services.ingest(
        [
          {
            records: [signInRecord({ category: 'ManagedIdentitySignInLogs', time: '2026-11-02T08:20:00.000Z', appId: 'c0c0c0c0-1111-4222-8333-444444444444' })],
          },
        ],
        'entra partition 0',
        undefined,
        { partitionId: '0' },
      );
      // Without a partition (a replay), the category's own lateness stands: 55 minutes.
      await services.ingest([{ records: [signInRecord({ category: 'SignInLogs', time: '2026-11-02T08:05:00.000Z' })] }], 'replay.ndjson');
      await services.resolveTokenChecks();
      const rows = await store.listSignInLateness('2026-11-01T00:00:00.000Z');
      const of = (stream: string) => mergeLateness(rows.filter((row) => row.category === stream).map((row) => row.histogram));
      assert.equal(of('SignInLogs').maxInSeconds, 55 * 60);
      assert.equal(of('SignInLogs').total, 5);
      assert.equal(latenessQuantile(of('SignInLogs'), 0.6), 0, 'the backlog counts nothing');
      const outOfOrder = latenessQuantile(of('SignInLogs'), 0.8);
      assert.ok(outOfOrder >= 20 * 60 && outOfOrder < 24 * 60, `the out-of-order record counts its 20 minutes (a bucket's bound): ${outOfOrder}`);
      assert.equal(of('partition:1').maxInSeconds, 20 * 60);
      assert.equal(of('ManagedIdentitySignInLogs').maxInSeconds, 40 * 60, 'the first managed-identity sign-in, 40 minutes behind partition 0');
    });

    it('falls back to the configured grace, failing no ingest, while the lateness table cannot be read', async () => {
      const store = memoryStateStore();
      let reads = 0;
      const failing = new Proxy(store, {
        get: (target, name, receiver) =>
          name === 'listSignInLateness'
            ? () => {
                reads += 1;
                return Promise.reject(new Error('table unavailable'));
              }
            : (Reflect.get(target, name, receiver) as unknown),
      });
      const services = await testServices({ store: failing, settings, clock: movableClock('2026-11-02T12:00:00.000Z') });
      await services.ingest([{ records: [...STREAMS_START, ...onTime('SignInLogs', 60), ...onTime('NonInteractiveUserSignInLogs', 60)] }], 'entra');
      const report = await services.ingest(
        [{ records: [forged, { ...forged, properties: { ...(forged['properties'] as object), requestId: 'second-use' } }] }],
        'entra',
      );
      assert.equal(report.tokens.usesPending, 2, 'the uses are queued all the same');
      assert.equal(reads, 1, 'one failed read, not one per use');
      assert.equal(await judgedAt(services, '2026-11-02T09:09:00.000Z'), 0, 'the configured two hours stand');
    });

    it('grows with a straggler, up to the configured grace', async () => {
      const clock = movableClock('2026-11-02T12:00:00.000Z');
      const services = await testServices({ settings, clock });
      await services.ingest([{ records: [...STREAMS_START, ...onTime('SignInLogs', 60), ...onTime('NonInteractiveUserSignInLogs', 60)] }], 'entra');
      // 40 minutes behind what the stream had shown: twice that is the grace.
      await services.ingest([{ records: [signInRecord({ category: 'NonInteractiveUserSignInLogs', time: '2026-11-02T08:19:00.000Z' })] }], 'entra');
      clock.advance(10 * 60_000);
      await services.ingest([{ records: [forged] }], 'entra');
      assert.equal(await judgedAt(services, '2026-11-02T09:09:00.000Z'), 0, 'the straggler grew the grace');
      assert.equal(await judgedAt(services, '2026-11-02T10:17:00.000Z'), 0, 'due at 10:18 (80 minutes)');
      assert.equal(await judgedAt(services, '2026-11-02T10:19:00.000Z'), 1);
    });
  });

  describe('retraction', () => {
    /** Sign-ins of a category every three seconds from 08:00 to 09:00: history enough that one straggler is beyond the 99.9th percentile. */
    const dense = (category: 'SignInLogs' | 'NonInteractiveUserSignInLogs') =>
      Array.from({ length: 1200 }, (_, step) =>
        signInRecord({ category, time: new Date(Date.parse('2026-11-02T08:00:00.000Z') + step * 3_000).toISOString() }),
      );
    const settings = { LURE_ISSUANCE_GRACE_HISTORY_RECORDS: '1000' };
    const judgedAt = async (services: Services, time: string) => {
      await services.ingest([{ records: everyStreamAt(time) }], 'entra');
      return services.resolveTokenChecks();
    };

    it('retracts the alert of a use whose issuance came after it was judged, with the sign-in as evidence, and grows the grace', async () => {
      const clock = movableClock('2026-11-02T12:00:00.000Z');
      const services = await testServices({ settings, clock });
      await services.ingest([{ records: [...STREAMS_START, ...dense('SignInLogs'), ...dense('NonInteractiveUserSignInLogs')] }], 'entra');
      const uti = 'issuedLate000000000001';
      await services.ingest([{ records: [graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:58:00.000Z', uti })] }], 'entra');
      assert.equal((await judgedAt(services, '2026-11-02T09:09:00.000Z')).missingAlerted, 1, 'judged after 10 minutes: a false alarm, as it turns out');
      const [raised] = await missingAlerts(services);
      assert.ok(raised !== undefined);
      assert.equal(raised.status, 'open');

      // The issuing sign-in arrives once its stream is at 09:30: 32 minutes behind it.
      const late = signInRecord({ category: 'NonInteractiveUserSignInLogs', time: '2026-11-02T08:58:00.000Z', uti });
      await services.ingest([{ records: everyStreamAt('2026-11-02T09:30:00.000Z') }], 'entra');
      await services.ingest([{ records: [late] }], 'entra');
      const report = await services.resolveTokenChecks();
      assert.equal(report.retracted, 1);
      const [retracted] = await missingAlerts(services);
      assert.ok(retracted !== undefined);
      assert.equal(retracted.status, 'retracted');
      assert.equal(retracted.id, raised.id, 'the same alert, kept and queryable');
      assert.equal(retracted.retraction?.evidence.id, (late['properties'] as { id: string }).id, "the late sign-in's record");
      assert.equal(retracted.retraction.evidence.type, 'NonInteractiveUserSignInLogs');
      assert.equal(retracted.retraction.lateByMinutes, 32);
      assert.match(
        retracted.retraction.reason,
        /^false alarm: the sign-in that issued token issuedLate000000000001 .* arrived about 32 minutes behind its stream/,
      );
      assert.equal((await all(services.store.listAlerts({ status: 'retracted' }))).length, 1, 'retracted alerts can be listed by status');
      assert.equal((await services.resolveTokenChecks()).retracted, 0, 'retracted once');

      // A use of a token nobody issued now waits at least the straggler's 32 minutes (and a minute more).
      await services.ingest(
        [{ records: [graphRecord({ time: '2026-11-02T09:41:00.000Z', issuedAt: '2026-11-02T09:40:00.000Z', uti: 'forgedAfter00000000001' })] }],
        'entra',
      );
      assert.equal((await judgedAt(services, '2026-11-02T10:12:00.000Z')).missingAlerted, 0, 'due at 10:13 now, not 09:50');
      assert.equal((await judgedAt(services, '2026-11-02T10:14:00.000Z')).missingAlerted, 1);
    });

    it('tells the channels of a retraction on the next run when delivery failed after the alert was written', async () => {
      const store = memoryStateStore();
      let failNext = false;
      const flaky = new Proxy(store, {
        get: (target, name, receiver) =>
          name === 'createOutboxEntry' && failNext
            ? () => {
                failNext = false;
                return Promise.reject(new Error('outbox unavailable'));
              }
            : (Reflect.get(target, name, receiver) as unknown),
      });
      const clock = movableClock('2026-11-02T12:00:00.000Z');
      const services = await testServices({
        store: flaky,
        clock,
        settings: { ...settings, LURE_WEBHOOK_URL: 'http://127.0.0.1:1/hook', LURE_WEBHOOK_SECRET: 'a-webhook-secret-of-enough-length-000' },
      });
      await services.ingest([{ records: [...STREAMS_START, ...dense('SignInLogs'), ...dense('NonInteractiveUserSignInLogs')] }], 'entra');
      const uti = 'issuedLate000000000002';
      await services.ingest([{ records: [graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:58:00.000Z', uti })] }], 'entra');
      assert.equal((await judgedAt(services, '2026-11-02T09:09:00.000Z')).missingAlerted, 1);
      const [raised] = await missingAlerts(services);
      assert.ok(raised !== undefined);
      await services.ingest([{ records: everyStreamAt('2026-11-02T09:30:00.000Z') }], 'entra');
      await services.ingest([{ records: [signInRecord({ category: 'NonInteractiveUserSignInLogs', time: '2026-11-02T08:58:00.000Z', uti })] }], 'entra');
      failNext = true;
      await assert.rejects(services.resolveTokenChecks(), /outbox unavailable/);
      assert.equal((await store.getAlert(raised.id))?.value.alert.status, 'retracted', 'written before delivery failed');
      assert.equal(await store.getOutboxEntry(`webhook|alert|${raised.id}|retracted`), undefined);
      const again = await services.resolveTokenChecks();
      assert.equal(again.retracted, 0, 'retracted once, by the first run');
      assert.notEqual(await store.getOutboxEntry(`webhook|alert|${raised.id}|retracted`), undefined, 'the follow-up is enqueued by the next run');
      assert.deepEqual(await store.listMissingIssuances(), []);
    });

    it('retracts nothing while the token stays unissued, nor after the week it is kept for', async () => {
      const clock = movableClock('2026-11-02T12:00:00.000Z');
      const services = await testServices({ settings, clock });
      await services.ingest([{ records: [...STREAMS_START, ...dense('SignInLogs'), ...dense('NonInteractiveUserSignInLogs')] }], 'entra');
      await services.ingest(
        [{ records: [graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:58:00.000Z', uti: 'neverIssued0000000001' })] }],
        'entra',
      );
      assert.equal((await judgedAt(services, '2026-11-02T09:09:00.000Z')).missingAlerted, 1);
      assert.equal((await judgedAt(services, '2026-11-02T10:09:00.000Z')).retracted, 0);
      assert.equal((await services.store.listMissingIssuances()).length, 1, 'kept, should its issuance come');
      clock.advance(8 * 86_400_000);
      await services.prune();
      assert.equal((await services.store.listMissingIssuances()).length, 0);
      assert.equal((await missingAlerts(services))[0]?.status, 'open');
    });
  });

  it('indexes every sign-in category, MicrosoftServicePrincipalSignInLogs and ADFSSignInLogs included', async () => {
    const store = memoryStateStore();
    const indexer = await testServices({ store });
    const user = await testServices({ store });
    await indexer.ingest(
      [
        {
          records: [
            ...STREAMS_START,
            signInRecord({
              category: 'MicrosoftServicePrincipalSignInLogs',
              time: '2026-11-02T08:20:00.000Z',
              uti: 'firstPartyUti000000001',
              appId: '1b912ec3-a9dd-4c4d-a53e-76aa7adb28d7',
            }),
            signInRecord({
              category: 'ADFSSignInLogs',
              time: '2026-11-02T08:21:00.000Z',
              uti: 'adfsUti000000000000001',
              userPrincipalName: 'carol@contoso.example',
            }),
            signInRecord({
              category: 'ManagedIdentitySignInLogs',
              time: '2026-11-02T08:22:00.000Z',
              uti: 'managedIdUti0000000001',
              appId: '2f39d8ec-e2c9-4e60-b9ac-3aa56f1a3637',
            }),
          ],
        },
      ],
      'entra',
    );
    await user.ingest(
      [
        {
          records: [
            graphRecord({
              time: '2026-11-02T08:25:00.000Z',
              issuedAt: '2026-11-02T08:20:00.000Z',
              uti: 'firstPartyUti000000001',
              servicePrincipalId: '29f4d705-d0bf-42fa-ad8f-e7bd308e94cb',
            }),
            graphRecord({ time: '2026-11-02T08:25:00.000Z', issuedAt: '2026-11-02T08:21:00.000Z', uti: 'adfsUti000000000000001' }),
            graphRecord({
              time: '2026-11-02T08:25:00.000Z',
              issuedAt: '2026-11-02T08:22:00.000Z',
              uti: 'managedIdUti0000000001',
              servicePrincipalId: 'fa179562-7d53-49bc-b38a-c52915cf554c',
            }),
            ...everyStreamAt('2026-11-02T12:00:00.000Z'),
          ],
        },
      ],
      'entra',
    );
    const report = await user.resolveTokenChecks();
    assert.equal(report.matched, 3);
    assert.deepEqual(await missingAlerts(user), []);
  });

  it('does not judge a token issued before the index covered that time', async () => {
    const services = await testServices();
    await services.ingest([{ records: STREAMS_START }], 'entra');
    await services.ingest(
      [
        {
          records: [
            graphRecord({ time: '2026-11-02T08:05:00.000Z', issuedAt: '2026-11-02T07:50:00.000Z', uti: 'beforeCoverageUti00001' }),
            // No issue time: the token may be 28 hours old, older than the index.
            graphRecord({ time: '2026-11-02T09:00:00.000Z', uti: 'noIatUti00000000000001' }),
            ...everyStreamAt('2026-11-02T12:00:00.000Z'),
          ],
        },
      ],
      'entra',
    );
    const report = await services.resolveTokenChecks({ force: true });
    assert.equal(report.notCovered, 2);
    assert.deepEqual(await missingAlerts(services), []);
  });

  it('judges a use without issue time once the index covers the longest token lifetime before it', async () => {
    const services = await testServices();
    await services.ingest([{ records: STREAMS_START }], 'entra');
    await services.ingest(
      [{ records: [graphRecord({ time: '2026-11-03T12:30:00.000Z', uti: 'noIatCoveredUti0000001' }), ...everyStreamAt('2026-11-03T15:00:00.000Z')] }],
      'entra',
    );
    assert.equal((await services.resolveTokenChecks()).missingAlerted, 1);
  });

  it('holds every judgement while one gating stream is stalled (non-interactive lagging)', async () => {
    const services = await testServices();
    await services.ingest([{ records: STREAMS_START }], 'entra');
    await services.ingest(
      [{ records: [graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:55:00.000Z', uti: 'stalledUti000000000001' })] }],
      'entra',
    );
    // Interactive and service-principal sign-ins are far past the due time; non-interactive ones stopped at 09:30.
    await services.ingest(
      [
        {
          records: everyStreamAt('2026-11-02T18:00:00.000Z')
            .filter((record) => record['category'] !== 'NonInteractiveUserSignInLogs')
            .concat(signInRecord({ category: 'NonInteractiveUserSignInLogs', time: '2026-11-02T09:30:00.000Z' })),
        },
      ],
      'entra',
    );
    const stalled = await services.resolveTokenChecks();
    assert.equal(stalled.missingAlerted + stalled.matched + stalled.notCovered, 0, 'not judged while a stream is stalled');
    assert.deepEqual(await missingAlerts(services), []);
    await services.ingest([{ records: [signInRecord({ category: 'NonInteractiveUserSignInLogs', time: '2026-11-02T11:00:00.000Z' })] }], 'entra');
    assert.equal((await services.resolveTokenChecks()).missingAlerted, 1);
  });

  it('does not judge app tokens when the tenant exports no service-principal or managed-identity sign-ins', async () => {
    const services = await testServices();
    const userStreams = (time: string) =>
      everyStreamAt(time).filter((record) => ['SignInLogs', 'NonInteractiveUserSignInLogs'].includes(String(record['category'])));
    await services.ingest([{ records: userStreams('2026-11-02T08:00:00.000Z') }], 'entra');
    await services.ingest(
      [
        {
          records: [
            graphRecord({
              time: '2026-11-02T09:00:00.000Z',
              issuedAt: '2026-11-02T08:55:00.000Z',
              uti: 'daemonAppUti0000000001',
              servicePrincipalId: 'a1a1a1a1-1111-4222-8333-444444444444',
            }),
            graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:55:00.000Z', uti: 'forgedUserUti000000001' }),
            ...userStreams('2026-11-02T12:00:00.000Z'),
          ],
        },
      ],
      'entra',
    );
    const report = await services.resolveTokenChecks();
    assert.equal(report.notCovered, 1, 'the app token: no log that issues it is exported');
    assert.deepEqual(
      (await missingAlerts(services)).map((alert) => alert.token?.uniqueTokenId),
      ['forgedUserUti000000001'],
    );
  });

  it('holds judgements while one Entra hub partition lags behind the others', async () => {
    const services = await testServices();
    await services.ingest([{ records: STREAMS_START }], 'entra partition 0', undefined, { partitionId: '0' });
    await services.ingest([{ records: STREAMS_START }], 'entra partition 1', undefined, { partitionId: '1' });
    await services.ingest(
      [{ records: [graphRecord({ time: '2026-11-02T10:05:00.000Z', issuedAt: '2026-11-02T10:00:00.000Z', uti: 'backlogUti000000000001' })] }],
      'entra partition 1',
      undefined,
      { partitionId: '1' },
    );
    // Partition 1 has caught up to 13:00; partition 0 still holds the 10:00 sign-in that issued the token.
    await services.ingest([{ records: everyStreamAt('2026-11-02T13:00:00.000Z') }], 'entra partition 1', undefined, { partitionId: '1' });
    assert.equal((await services.resolveTokenChecks()).missingAlerted, 0, 'partition 0 has not passed the due time');
    await services.ingest(
      [
        {
          records: [
            signInRecord({ time: '2026-11-02T10:00:00.000Z', uti: 'backlogUti000000000001', userPrincipalName: 'alice@contoso.example' }),
            ...everyStreamAt('2026-11-02T12:30:00.000Z'),
          ],
        },
      ],
      'entra partition 0',
      undefined,
      { partitionId: '0' },
    );
    const report = await services.resolveTokenChecks();
    assert.deepEqual([report.matched, report.missingAlerted], [1, 0]);
    assert.deepEqual(await missingAlerts(services), []);
  });

  it('never judges uses by the first-party apps known to call without sign-ins, nor those allowlisted by setting', async () => {
    const extra = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const services = await testServices({ settings: { LURE_ISSUANCE_ALLOWLIST_APP_IDS: extra } });
    const report = await services.ingest(
      [
        {
          records: [
            ...STREAMS_START,
            graphRecord({
              time: '2026-11-02T09:00:00.000Z',
              issuedAt: '2026-11-02T08:55:00.000Z',
              uti: 'teamsUti00000000000001',
              appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe',
            }),
            graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:55:00.000Z', uti: 'extraUti00000000000001', appId: extra.toUpperCase() }),
          ],
        },
      ],
      'entra',
    );
    assert.equal(report.tokens.usesNotJudged, 2);
    assert.equal(report.tokens.usesPending, 0);
  });

  it('in shadow mode (Exchange by default) judges and counts, raising nothing; in alert mode a forged mail read is critical', async () => {
    const records = [
      ...STREAMS_START,
      mailItemsAccessedRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:50:00.000Z', uti: 'exchangeForged00000001' }),
      mailItemsAccessedRecord({ time: '2026-11-02T09:01:00.000Z', issuedAt: '2026-11-02T08:51:00.000Z', uti: 'exchangeIssued00000001' }),
      signInRecord({ time: '2026-11-02T08:51:00.000Z', uti: 'exchangeIssued00000001', userPrincipalName: 'alice@contoso.example' }),
      ...everyStreamAt('2026-11-02T12:00:00.000Z'),
    ];
    const shadow = await testServices();
    await shadow.ingest([{ records }], 'exchange');
    const shadowReport = await shadow.resolveTokenChecks();
    assert.equal(shadowReport.missingShadow, 1);
    assert.deepEqual(await missingAlerts(shadow), []);
    assert.deepEqual(await shadow.store.listTokenMatchCounts(), [
      { source: 'exchange', appId: '00000003-0000-0000-c000-000000000000', matched: 1, unmatched: 1 },
    ]);

    const alerting = await testServices({ settings: { LURE_ISSUANCE_MODE_EXCHANGE: 'alert' } });
    await alerting.ingest([{ records }], 'exchange');
    await alerting.resolveTokenChecks();
    const alerts = await missingAlerts(alerting);
    assert.deepEqual(
      alerts.map((alert) => [alert.token?.uniqueTokenId, alert.severity]),
      [['exchangeForged00000001', 'critical']],
    );
    assert.match(alerts[0]!.title, /never issued by any sign-in, used in Exchange Online to read mail/);
  });

  it('is critical when the unissued token touched a decoy', async () => {
    const services = await testServices({ decoys: fixtureDecoys() });
    await services.ingest(
      [
        {
          records: [
            ...STREAMS_START,
            graphRecord({
              time: '2026-11-02T09:00:00.000Z',
              issuedAt: '2026-11-02T08:55:00.000Z',
              uti: 'decoyReconUti000000001',
              requestUri: 'https://graph.microsoft.com/v1.0/users/svc-backup@contoso.example/authentication/methods',
            }),
            ...everyStreamAt('2026-11-02T12:00:00.000Z'),
          ],
        },
      ],
      'entra',
    );
    await services.resolveTokenChecks();
    const [alert] = await missingAlerts(services);
    assert.equal(alert?.severity, 'critical');
    assert.match(alert.title, /used in Microsoft Graph on a decoy$/);
  });

  it('raises one alert however often the use is redelivered or the resolver runs', async () => {
    const services = await testServices();
    const batch = [
      { records: [...STREAMS_START, graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:55:00.000Z', uti: 'redeliveredUti00000001' })] },
    ];
    await services.ingest(batch, 'entra');
    await services.ingest([{ records: everyStreamAt('2026-11-02T12:00:00.000Z') }], 'entra');
    await services.resolveTokenChecks();
    await services.ingest(batch, 'entra');
    await services.resolveTokenChecks({ force: true });
    const alerts = await missingAlerts(services);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.count, 1);
  });

  it('feeds token observations carrying uti into the check only when that source is switched on', async () => {
    const observation = (uti: string) => ({
      time: '2026-11-02T09:00:00.000Z',
      category: 'TokenObservation',
      properties: {
        jwt: `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k' })).toString('base64url')}.${Buffer.from(JSON.stringify({ uti, tid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', iat: Date.parse('2026-11-02T08:55:00.000Z') / 1000 })).toString('base64url')}`,
        observer: 'apim-prod',
      },
    });
    const off = await testServices();
    assert.equal((await off.ingest([{ records: [...STREAMS_START, observation('observedUti00000000001')] }], 'token')).tokens.usesSeen, 0);
    const on = await testServices({ settings: { LURE_ISSUANCE_MODE_TOKEN: 'alert' } });
    await on.ingest([{ records: [...STREAMS_START, observation('observedUti00000000001'), ...everyStreamAt('2026-11-02T12:00:00.000Z')] }], 'token');
    assert.equal((await on.resolveTokenChecks()).missingAlerted, 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MailBaselineTracker } from '../../../src/app/mailBaselineTracker.js';
import type { Alert } from '../../../src/domain/alerts.js';
import { normalizeRecord } from '../../../src/normalize/normalizeRecord.js';
import { isSkip } from '../../../src/normalize/outcome.js';
import { mailItemsAccessedRecord } from '../../helpers/records.js';
import { testServices } from '../../helpers/services.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import type { Services } from '../../../src/host/services.js';

const OWA = '00000002-0000-0ff1-ce00-000000000000';
const STRANGER = '7f7f7f7f-1111-4222-8333-444444444444';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

async function firstSeenAlerts(services: Services): Promise<Alert[]> {
  return (await all(services.store.listAlerts())).map((stored) => stored.alert).filter((alert) => alert.detection === 'mail.appId.firstSeen');
}

function read(time: string, appId: string, uti: string, mailbox = 'alice@contoso.example') {
  return mailItemsAccessedRecord({ time, uti, appId, clientAppId: appId, mailbox });
}

describe('mail.appId.firstSeen', () => {
  it('learns for 14 days, then raises medium once for an app never seen reading the mailbox', async () => {
    const services = await testServices();
    await services.ingest(
      [{ records: [read('2026-11-01T08:00:00.000Z', OWA, 'u1'), read('2026-11-05T08:00:00.000Z', '27922004-5251-4030-b22d-91ecd9a37ea4', 'u2')] }],
      'exchange',
    );
    assert.deepEqual(await firstSeenAlerts(services), [], 'a second app during learning is learned, not reported');
    const report = await services.ingest(
      [
        {
          records: [
            read('2026-11-20T08:00:00.000Z', OWA, 'u3'),
            read('2026-11-20T09:00:00.000Z', STRANGER, 'u4'),
            read('2026-11-20T09:05:00.000Z', STRANGER, 'u5'),
          ],
        },
      ],
      'exchange',
    );
    const alerts = report.alerts.filter((alert) => alert.detection === 'mail.appId.firstSeen');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.severity, 'medium');
    assert.equal(alerts[0]!.target.mailbox, 'alice@contoso.example');
    assert.equal(alerts[0]!.actor.appId, STRANGER);
    assert.equal(alerts[0]!.count, 1, 'the second read by the same app is no longer a first');
    assert.match(alerts[0]!.title, /Mailbox alice@contoso\.example read by app 7f7f7f7f-1111-4222-8333-444444444444 for the first time/);
  });

  it('raises nothing again when the batch is redelivered', async () => {
    const services = await testServices();
    await services.ingest([{ records: [read('2026-11-01T08:00:00.000Z', OWA, 'u1')] }], 'exchange');
    const batch = [{ records: [read('2026-11-20T09:00:00.000Z', STRANGER, 'u4')] }];
    await services.ingest(batch, 'exchange');
    const again = await services.ingest(batch, 'exchange');
    assert.deepEqual(again.alerts, []);
    assert.equal((await firstSeenAlerts(services)).length, 1);
  });

  it('still raises the first sighting when the batch failed before its alert was stored (the host retries it)', async () => {
    const store = memoryStateStore();
    const services = await testServices({ store });
    await services.ingest([{ records: [read('2026-11-01T08:00:00.000Z', OWA, 'u1')] }], 'exchange');
    const createAlert = store.createAlert.bind(store);
    store.createAlert = () => Promise.reject(new Error('store unavailable'));
    const batch = [{ records: [read('2026-11-20T09:00:00.000Z', STRANGER, 'u4')] }];
    await assert.rejects(services.ingest(batch, 'exchange'), /store unavailable/);
    store.createAlert = createAlert;
    const retried = await services.ingest(batch, 'exchange');
    assert.deepEqual(
      retried.alerts.map((alert) => alert.detection),
      ['mail.appId.firstSeen'],
    );
  });

  it('still delivers the first sighting when the batch failed after its alert was stored (the host retries it)', async () => {
    const store = memoryStateStore();
    const services = await testServices({ store, settings: { LURE_WEBHOOK_URL: 'http://127.0.0.1:1/hook', LURE_WEBHOOK_SECRET: 's'.repeat(40) } });
    await services.ingest([{ records: [read('2026-11-01T08:00:00.000Z', OWA, 'u1')] }], 'exchange');
    // A write after the alert is stored (the token index) fails: the batch fails before it reaches the outbox.
    const upsertPendingTokenChecks = store.upsertPendingTokenChecks.bind(store);
    store.upsertPendingTokenChecks = () => Promise.reject(new Error('store unavailable'));
    const batch = [{ records: [read('2026-11-20T09:00:00.000Z', STRANGER, 'u4')] }];
    await assert.rejects(services.ingest(batch, 'exchange'), /store unavailable/);
    store.upsertPendingTokenChecks = upsertPendingTokenChecks;
    await services.ingest(batch, 'exchange');
    const [alert] = await firstSeenAlerts(services);
    assert.ok(alert !== undefined, 'the first sighting is stored');
    const outbox = await all(store.listOutboxEntries());
    assert.deepEqual(
      outbox.filter((entry) => entry.notification.kind === 'alert' && entry.notification.alertId === alert.id).map((entry) => entry.channel),
      ['webhook'],
      'the retry hands it to delivery: the baseline had not learned the app yet',
    );
  });

  it("does not mistake another instance's learning for a new app (cached baselines are checked afresh)", async () => {
    const store = memoryStateStore();
    const first = await testServices({ store });
    const second = await testServices({ store });
    await first.ingest([{ records: [read('2026-11-01T08:00:00.000Z', OWA, 'u1')] }], 'exchange partition 0');
    await second.ingest([{ records: [read('2026-11-02T08:00:00.000Z', STRANGER, 'u2')] }], 'exchange partition 1');
    // The first instance's cached baseline lacks the app the second one learned during learning.
    const report = await first.ingest([{ records: [read('2026-11-20T08:00:00.000Z', STRANGER, 'u3')] }], 'exchange partition 0');
    assert.deepEqual(report.alerts, []);
  });

  it("ignores Lure's own identity reading mailboxes", async () => {
    const self = '5a5a5a5a-1111-4222-8333-444444444444';
    const services = await testServices({ settings: { LURE_SELF_PRINCIPAL_IDS: self } });
    await services.ingest([{ records: [read('2026-11-01T08:00:00.000Z', OWA, 'u1'), read('2026-11-20T08:00:00.000Z', self, 'u2')] }], 'exchange');
    assert.deepEqual(await firstSeenAlerts(services), []);
    assert.deepEqual(Object.keys((await services.store.getMailBaseline('alice@contoso.example'))!.value.pairs), [`${OWA}|${OWA}`]);
  });
});

describe('MailBaselineTracker cache', () => {
  it('keeps the most recently used baselines up to its bound and reads evicted ones from the store again', async () => {
    const store = memoryStateStore();
    const loaded: string[] = [];
    const getMailBaseline = store.getMailBaseline.bind(store);
    store.getMailBaseline = async (mailbox) => {
      loaded.push(mailbox);
      return getMailBaseline(mailbox);
    };
    const tracker = new MailBaselineTracker(store, { learningInDays: 14, maxPairs: 50, cachedMailboxes: 2 }, () => false);
    let uti = 0;
    const readOf = async (mailbox: string): Promise<void> => {
      const outcome = normalizeRecord(read('2026-11-01T08:00:00.000Z', OWA, `u${(uti += 1)}`, `${mailbox}@contoso.example`));
      assert.ok(!isSkip(outcome));
      await (await tracker.judge([outcome])).commit();
    };
    const loadsOf = async (mailbox: string): Promise<number> => {
      loaded.length = 0;
      await readOf(mailbox);
      return loaded.length;
    };

    assert.equal(await loadsOf('a'), 1, 'a first read loads');
    assert.equal(await loadsOf('b'), 1);
    assert.equal(await loadsOf('a'), 0, 'a cached baseline is not read again');
    assert.equal(await loadsOf('c'), 1, 'c is cached in place of the least recently used, b');
    assert.equal(await loadsOf('a'), 0, 'a was used after b, so it stayed');
    assert.equal(await loadsOf('b'), 1, 'b was evicted');
  });
});

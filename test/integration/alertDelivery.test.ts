import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { persistAlerts } from '../../src/app/persistAlerts.js';
import { useAzurite } from '../helpers/azurite.js';
import type { FakeGraph, FakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { finding } from '../helpers/alerts.js';
import { fixtureDecoys } from '../helpers/mixedFixture.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { signInRecord } from '../helpers/records.js';
import { movableClock, recordingLogger } from '../helpers/services.js';
import { azuriteStore, fakeTenantDirectory, tenantServices, useFakeTenant } from '../helpers/tenant.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import type { Services } from '../../src/host/services.js';

const azurite = useAzurite();
const SECRET = 'webhook-secret-webhook-secret-webhook-secret';

/** Verifies a delivery as a SIEM would, with its own HMAC code. */
function verifiedBody(request: { headers: Record<string, string | string[] | undefined>; body: string }): unknown {
  const header = String(request.headers['lure-signature']);
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', SECRET).update(`${parts.t}.${request.body}`).digest();
  assert.ok(timingSafeEqual(Buffer.from(parts.v1!, 'hex'), expected), 'signature verifies');
  return JSON.parse(request.body);
}

/** The store of a process that dies the first time it calls `method` (the call does not happen). */
function killedAtFirst(store: StateStore, method: keyof StateStore): StateStore {
  let alive = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (!alive) {
          alive = true;
          throw new Error('process killed');
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

describe('alert delivery to loopback receivers (Teams Workflows, Graph sendMail, signed webhook)', () => {
  const tenant = useFakeTenant();
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  let teams: Receiver;
  let webhook: Receiver;
  const clock = movableClock('2026-11-28T12:00:00.000Z');
  before(() => {
    login = tenant.login();
    graph = tenant.graph();
    graph.addMailbox('lure-alerts@contoso.example');
  });
  beforeEach(async () => {
    clock.set('2026-11-28T12:00:00.000Z');
    teams = await startReceiver({ status: 202 });
    webhook = await startReceiver({ status: 200 });
  });
  afterEach(async () => {
    await teams.close();
    await webhook.close();
  });

  /**
   * When each paced send was due (the instant the pacing asked for, by channel rate), recorded instead of
   * slept: pacing reads the wall clock, so due instants, not wait lengths, are independent of how fast this
   * machine runs the sends.
   */
  const pacedUntil: number[] = [];
  const services = async (options: { store?: StateStore; settings?: Record<string, string> } = {}): Promise<Services> => {
    const lure = await tenantServices({
      sleep: (ms) => {
        pacedUntil.push(Date.now() + ms);
        return Promise.resolve();
      },
      store: options.store ?? (await azuriteStore(azurite.connectionString(), azurite.uniquePrefix())),
      directory: fakeTenantDirectory(graph, login),
      clock,
      logger: recordingLogger(),
      settings: {
        LURE_TEAMS_WEBHOOK_URL: teams.url,
        LURE_WEBHOOK_URL: webhook.url,
        LURE_WEBHOOK_SECRET: SECRET,
        LURE_EMAIL_SENDER: 'lure-alerts@contoso.example',
        LURE_EMAIL_RECIPIENTS: 'soc@contoso.example',
        LURE_EMAIL_MIN_SEVERITY: 'critical',
        ...options.settings,
      },
    });
    await lure.importDecoys(fixtureDecoys());
    return lure;
  };
  const decoySignIn = (ip: string, time = '2026-11-28T11:58:00.000Z') => ({
    records: [signInRecord({ time, userPrincipalName: 'svc-backup@contoso.example', ipAddress: ip })],
  });

  it('delivers a detection to all three channels at once, and a redelivered batch to none again', async () => {
    const lure = await services();
    const batch = decoySignIn('203.0.113.45');
    const report = await lure.ingest([batch], 'entra');
    assert.equal(report.alerts.length, 1);
    const alert = report.alerts[0]!;

    assert.equal(teams.received.length, 1);
    const card = JSON.parse(teams.received[0]!.body) as { type: string; attachments: { content: { body: unknown[] } }[] };
    assert.equal(card.type, 'message');
    assert.match(JSON.stringify(card), /203\.0\.113\.45/);
    assert.equal(webhook.received.length, 1);
    assert.deepEqual(verifiedBody(webhook.received[0]!), alert);
    assert.equal(webhook.received[0]!.headers['lure-event'], 'alert');
    assert.equal(graph.sentMail.length, 1, 'a critical incident reaches e-mail');
    const mail = await simpleParser(graph.sentMail[0]!.mime);
    assert.match(String(mail.subject), /^\[Lure critical\]/);
    assert.match(String(mail.text), /203\.0\.113\.45/);
    assert.match(String(mail.html), /203\.0\.113\.45/);

    clock.advance(5 * 60_000);
    await lure.ingest([batch], 'entra');
    await lure.deliverAlerts();
    assert.deepEqual([teams.attempts, webhook.attempts, graph.sentMail.length], [1, 1, 1], 'at-least-once ingest, once-only notification, no empty follow-up');
    const status = new Map((await lure.delivery.status()).map((channel) => [channel.channel, channel]));
    assert.equal(status.get('teams')?.accepted, 1, 'a Workflows 202 is reported as accepted');
    assert.equal(status.get('webhook')?.delivered, 1);
    assert.equal(status.get('email')?.delivered, 1);
  });

  it('posts a later alert of the same incident as one follow-up per window', async () => {
    const lure = await services();
    await lure.ingest([decoySignIn('203.0.113.45', '2026-11-28T10:30:00.000Z')], 'entra');
    clock.advance(60_000);
    await lure.ingest([decoySignIn('203.0.113.45', '2026-11-28T11:40:00.000Z'), decoySignIn('198.51.100.9', '2026-11-28T11:41:00.000Z')], 'entra');
    clock.advance(60_000);
    await lure.ingest([decoySignIn('198.51.100.10', '2026-11-28T11:42:00.000Z')], 'entra');
    assert.equal(webhook.received.length, 4, 'the webhook hears of every alert');
    assert.equal(teams.received.length, 2, 'Teams: the incident, then one follow-up in this window');
    assert.match(teams.received[1]!.body, /Update: /);
  });

  it('holds a notification while the receiver is down and delivers it once when it is back', async () => {
    const lure = await services();
    teams.script({ hangUp: true });
    webhook.script({ hangUp: true }, { hangUp: true });
    await lure.ingest([decoySignIn('203.0.113.45')], 'entra');
    assert.deepEqual([teams.received.length, webhook.received.length], [0, 0]);
    assert.equal((await lure.deliverAlerts()).delivered, 0, 'not due again yet');
    clock.advance(31 * 60_000);
    await lure.deliverAlerts();
    clock.advance(31 * 60_000);
    await lure.deliverAlerts();
    assert.deepEqual([teams.received.length, webhook.received.length], [1, 1]);
    clock.advance(120 * 60_000);
    await lure.deliverAlerts();
    assert.deepEqual([teams.attempts, webhook.attempts], [2, 3], 'delivered once, never sent again');
    assert.equal(webhook.received[0]!.headers['lure-delivery-id'], `webhook|alert|${(JSON.parse(webhook.received[0]!.body) as { id: string }).id}|critical`);
  });

  it('waits exactly as long as a 429 Retry-After asks', async () => {
    const lure = await services();
    webhook.script({ status: 429, headers: { 'retry-after': '90' } });
    await lure.ingest([decoySignIn('203.0.113.45')], 'entra');
    clock.advance(89_000);
    await lure.deliverAlerts();
    assert.equal(webhook.received.length, 0, 'not before Retry-After');
    clock.advance(1_000);
    await lure.deliverAlerts();
    assert.equal(webhook.received.length, 1);
  });

  it('gives up after the configured attempts on 500s and says so in the status', async () => {
    const lure = await services({ settings: { LURE_DELIVERY_MAX_ATTEMPTS: '3' } });
    webhook.script({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await lure.ingest([decoySignIn('203.0.113.45')], 'entra');
    for (let run = 0; run < 5; run += 1) {
      clock.advance(2 * 3_600_000);
      await lure.deliverAlerts();
    }
    assert.equal(webhook.attempts, 3);
    const status = (await lure.delivery.status()).find((channel) => channel.channel === 'webhook')!;
    assert.deepEqual([status.dead, status.pending, status.delivered, status.lastError], [1, 0, 0, 'HTTP 500']);
  });

  it('delivers on the next timer run what a crash between persisting and delivering left, once', async () => {
    const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
    const dying = killedAtFirst(store, 'updateOutboxEntry');
    const doomed = await services({ store: dying });
    await assert.rejects(doomed.ingest([decoySignIn('203.0.113.45')], 'entra'), /process killed/);
    assert.equal(teams.received.length + webhook.received.length, 0);
    const next = await services({ store });
    await next.deliverAlerts();
    assert.deepEqual([teams.received.length, webhook.received.length, graph.sentMail.length > 0], [1, 1, true]);
    await next.deliverAlerts();
    assert.deepEqual([teams.attempts, webhook.attempts], [1, 1]);
  });

  it('notifies on the redelivered batch when the crash came before anything was enqueued', async () => {
    const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
    const dying = killedAtFirst(store, 'createOutboxEntry');
    const lure = await services({ store: dying });
    const batch = decoySignIn('203.0.113.45');
    await assert.rejects(lure.ingest([batch], 'entra'), /process killed/);
    assert.equal((await lure.ingest([batch], 'entra')).alerts.length, 0, 'the alert was already stored');
    assert.deepEqual([teams.received.length, webhook.received.length], [1, 1]);
  });

  it('sends one digest, not a thousand posts, for 1,000 alerts in a minute; the webhook still carries every one', async () => {
    const store = memoryStateStore();
    const lure = await services({ store, settings: { LURE_DIGEST_THRESHOLD_PER_MINUTE: '10' } });
    pacedUntil.length = 0;
    const findings = Array.from({ length: 1_000 }, (_, index) => ({
      ...finding({
        id: `flood-${index}`,
        time: '2026-11-28T11:59:00.000Z',
        ip: `10.${Math.floor(index / 250)}.${index % 250}.1`,
        severity: index === 999 ? 'critical' : 'medium',
      }),
      actor: { userPrincipalName: `victim${index}@contoso.example`, ipAddress: `10.${Math.floor(index / 250)}.${index % 250}.1` },
    }));
    await lure.delivery.notify((await persistAlerts(store, findings, { dedupeBucketInMinutes: 60, now: clock.now().toISOString() })).touched);
    assert.equal(teams.received.length, 10, 'the first ten of the minute go out as they come');
    clock.advance(61_000);
    await lure.deliverAlerts();
    assert.equal(teams.received.length, 11, 'then one digest for the rest of the minute');
    assert.match(teams.received[10]!.body, /990 notifications in the minute/);
    assert.match(teams.received[10]!.body, /CRITICAL · 990 notifications/, 'the digest carries the most severe it folded, however many');
    assert.match(teams.received[10]!.body, /CRITICAL · hit flood-999/);
    assert.equal(webhook.received.length, 1_000);
    const pacedSpan = Math.max(...pacedUntil) - Math.min(...pacedUntil);
    assert.ok(pacedSpan >= 99_000, `1,000 webhook posts at 10 a second are paced over about 100 s (paced over ${pacedSpan} ms)`);
  });

  it('keeps to one digest a minute when a flood runs past the minute its digest went out in', async () => {
    const store = memoryStateStore();
    const lure = await services({ store, settings: { LURE_DIGEST_THRESHOLD_PER_MINUTE: '10' } });
    const flood = (from: number) =>
      Array.from({ length: 150 }, (_, index) => ({
        ...finding({ id: `wave-${from + index}`, time: '2026-11-28T11:59:00.000Z' }),
        actor: { userPrincipalName: `victim${from + index}@contoso.example`, ipAddress: `10.9.${Math.floor((from + index) / 250)}.${(from + index) % 250}` },
      }));
    const record = async (findings: ReturnType<typeof flood>) => {
      const persisted = await persistAlerts(store, findings, { dedupeBucketInMinutes: 60, now: clock.now().toISOString() });
      await lure.delivery.notify(persisted.touched, new Set(persisted.changed.map((alert) => alert.id)));
      return persisted;
    };
    clock.set('2026-11-28T12:00:59.000Z');
    await record(flood(0));
    clock.set('2026-11-28T12:01:00.000Z');
    await lure.deliverAlerts();
    // Another instance's clock, a moment behind: its minute's digest is already out.
    clock.set('2026-11-28T12:00:59.900Z');
    await record(flood(150));
    clock.set('2026-11-28T12:02:01.000Z');
    await lure.deliverAlerts();
    assert.equal(teams.received.length, 12, 'ten posts, the digest of 12:00 and the digest of 12:01');
    assert.match(teams.received[11]!.body, /150 notifications in the minute from 12:01/);
  });

  it('waits at most an hour whatever Retry-After asks', async () => {
    const lure = await services();
    webhook.script({ status: 429, headers: { 'retry-after': '31536000' } });
    await lure.ingest([decoySignIn('203.0.113.45')], 'entra');
    clock.advance(3_600_000);
    await lure.deliverAlerts();
    assert.equal(webhook.received.length, 1);
  });

  it('records but does not notify an ignored actor, and e-mails only what meets its threshold', async () => {
    const lure = await services({ settings: { LURE_IGNORE_IPS: '198.51.100.0/24', LURE_EMAIL_MIN_SEVERITY: 'critical' } });
    const mailed = graph.sentMail.length;
    const report = await lure.ingest(
      [
        {
          records: [
            signInRecord({ time: '2026-11-28T11:58:00.000Z', userPrincipalName: 'svc-backup@contoso.example', ipAddress: '198.51.100.9', errorCode: 50126 }),
          ],
        },
      ],
      'entra',
    );
    assert.equal(report.alerts.length, 1, 'the alert is stored');
    assert.deepEqual([teams.attempts, webhook.attempts, graph.sentMail.length - mailed], [0, 0, 0]);
    await lure.ingest(
      [
        {
          records: [
            signInRecord({ time: '2026-11-28T11:58:00.000Z', userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.99', errorCode: 50126 }),
          ],
        },
      ],
      'entra',
    );
    assert.deepEqual(
      [teams.received.length, webhook.received.length, graph.sentMail.length - mailed],
      [1, 1, 0],
      'a failed sign-in is high: below the e-mail threshold of critical',
    );
  });

  it('refuses, in Azure, a webhook that leads to a private or loopback address', async () => {
    const lure = await services({
      settings: { WEBSITE_SITE_NAME: 'lure-prod', LURE_WEBHOOK_URL: 'https://127.0.0.1:9/hook', LURE_TEAMS_WEBHOOK_URL: 'https://127.0.0.1:9/flow' },
    });
    const entry = await lure.delivery.sendTest('webhook');
    assert.equal(entry.status, 'dead');
    assert.match(entry.lastError ?? '', /refused: the webhook URL leads to a private or loopback address/);
  });
});

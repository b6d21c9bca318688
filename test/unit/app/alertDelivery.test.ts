import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertDelivery } from '../../../src/app/delivery/alertDelivery.js';
import { persistAlerts } from '../../../src/app/persistAlerts.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { type AlertChannel, type Delivery, DeliveryError } from '../../../src/ports/alertChannel.js';
import { finding } from '../../helpers/alerts.js';
import { movableClock, recordingLogger } from '../../helpers/services.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { StateStore } from '../../../src/ports/store/stateStore.js';

/** A Teams stand-in whose sends wait until the test lets them through. */
function gatedChannel(): AlertChannel & { readonly sent: Delivery[]; open(): void } {
  const sent: Delivery[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    name: 'teams',
    sent,
    open: () => release(),
    async send(delivery) {
      await gate;
      sent.push(delivery);
      return 'delivered';
    },
  };
}

/** A critical finding persisted into its alert, then handed to delivery, as ingest does. */
async function persistAndDeliver(store: StateStore, delivery: AlertDelivery, clock: Clock, id: string, time: string) {
  const persisted = await persistAlerts(store, [finding({ id, time, severity: 'critical' })], { dedupeBucketInMinutes: 60, now: clock.now().toISOString() });
  await delivery.notify(persisted.touched, new Set(persisted.changed.map((alert) => alert.id)));
  return persisted;
}

/** A delivery over one Teams channel. */
function deliveryOver(channel: AlertChannel) {
  const store = memoryStateStore();
  const clock = movableClock('2026-11-28T12:00:00.000Z');
  const delivery = new AlertDelivery({
    store,
    channels: { teams: channel },
    clock,
    settings: loadConfig({ LURE_TEAMS_WEBHOOK_URL: 'http://127.0.0.1:1/flow' }).delivery,
    cloud: 'public',
    logger: recordingLogger(),
    sleep: async () => {},
  });
  const record = (id: string, time: string) => persistAndDeliver(store, delivery, clock, id, time);
  return { store, clock, delivery, record };
}

/** A delivery over the gated Teams stand-in. */
function setup() {
  const channel = gatedChannel();
  return { ...deliveryOver(channel), channel };
}

describe('alert delivery claims and follow-ups', () => {
  it('never lets two runs send one entry, however they interleave', async () => {
    const { clock, channel, delivery, record } = setup();
    const first = record('e1', '2026-11-28T11:00:00.000Z');
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(2 * 60_000);
    const timers = [delivery.deliverDue(), delivery.deliverDue()];
    channel.open();
    await Promise.all([first, ...timers]);
    assert.equal(channel.sent.length, 1);
  });

  it('holds a follow-up while its incident post is on its way, and sends it after: the post was built before it', async () => {
    const { clock, channel, delivery, record, store } = setup();
    const posting = record('e1', '2026-11-28T10:00:00.000Z');
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(1_000);
    await record('e2', '2026-11-28T11:30:00.000Z');
    const follow = (await store.listDueOutboxEntries('2026-12-01T00:00:00.000Z')).find((entry) => entry.value.notification.kind === 'incidentUpdate');
    assert.ok(follow !== undefined, 'the second alert raised a follow-up');
    clock.advance(2 * 60_000);
    channel.open();
    await posting;
    const report = await delivery.deliverDue();
    assert.equal(report.superseded, 0, 'the post was built before the follow-up was raised: it must still go');
    assert.equal(channel.sent.length, 2);
    assert.match(channel.sent[1]!.content.heading, /^Update: /);
  });

  it('drops a follow-up the incident post, built after it, already told', async () => {
    const sent: Delivery[] = [];
    let failures = 1;
    const flaky: AlertChannel = {
      name: 'teams',
      send(delivery) {
        if (failures-- > 0) return Promise.reject(new DeliveryError('HTTP 503', true));
        sent.push(delivery);
        return Promise.resolve('delivered');
      },
    };
    const { clock, delivery, record } = deliveryOver(flaky);
    await record('e1', '2026-11-28T10:00:00.000Z');
    clock.advance(1_000);
    await record('e2', '2026-11-28T11:30:00.000Z');
    assert.equal(sent.length, 0, 'the post failed once; the follow-up waited for it');
    clock.advance(2 * 3_600_000);
    const report = await delivery.deliverDue();
    assert.equal(sent.length, 1, 'one post, showing both alerts');
    assert.equal(report.superseded, 1);
    assert.equal(sent[0]!.content.others.length, 1);
  });
});

describe('retraction follow-ups', () => {
  /** A channel that records what it is sent. */
  const recording = (name: AlertChannel['name']): AlertChannel & { readonly sent: Delivery[] } => {
    const sent: Delivery[] = [];
    return { name, sent, send: (delivery) => (sent.push(delivery), Promise.resolve('delivered')) };
  };

  /** A high alert raised and delivered over Teams and the webhook, then retracted and delivered again (twice). */
  async function raisedThenRetracted(settings: Record<string, string>) {
    const store = memoryStateStore();
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const teams = recording('teams');
    const webhook = recording('webhook');
    const delivery = new AlertDelivery({
      store,
      channels: { teams, webhook },
      clock,
      settings: loadConfig({
        LURE_TEAMS_WEBHOOK_URL: 'http://127.0.0.1:1/flow',
        LURE_WEBHOOK_URL: 'http://127.0.0.1:1/hook',
        LURE_WEBHOOK_SECRET: 'a-webhook-secret-of-enough-length-000',
        ...settings,
      }).delivery,
      cloud: 'public',
      logger: recordingLogger(),
      sleep: async () => {},
    });
    const persisted = await persistAlerts(store, [finding({ id: 'e1', time: '2026-11-28T11:00:00.000Z', severity: 'high' })], {
      dedupeBucketInMinutes: 60,
      now: clock.now().toISOString(),
    });
    await delivery.notify(persisted.touched);
    const heard = { teams: teams.sent.length, webhook: webhook.sent.length };
    const stored = await store.getAlert(persisted.touched[0]!.id);
    const retracted = {
      ...stored!.value.alert,
      status: 'retracted' as const,
      retraction: {
        at: clock.now().toISOString(),
        reason: 'false alarm: the sign-in arrived 31 minutes behind its stream',
        evidence: { source: 'entra' as const, type: 'SignInLogs', id: 'late-sign-in', time: '2026-11-28T10:58:00.000Z' },
        lateByMinutes: 31,
      },
    };
    await store.updateAlert({ ...stored!.value, alert: retracted }, stored!.etag);
    clock.advance(60_000);
    await delivery.notify([retracted]);
    await delivery.notify([retracted]);
    return { teams: teams.sent, webhook: webhook.sent, heard };
  }

  it('tells each channel that heard the alert that it was a false alarm, once', async () => {
    const { teams, webhook, heard } = await raisedThenRetracted({});
    assert.deepEqual(heard, { teams: 1, webhook: 1 });
    assert.equal(teams.length, 2, 'one follow-up on Teams, however often it is asked for');
    assert.equal(teams[1]!.content.kind, 'retraction');
    assert.match(teams[1]!.content.heading, /^False alarm: /);
    assert.match(teams[1]!.content.subheading ?? '', /arrived 31 minutes late/);
    assert.equal(webhook.length, 2, 'one follow-up on the webhook');
    assert.equal(webhook[1]!.alert?.status, 'retracted');
    assert.equal(webhook[1]!.alert.retraction?.evidence.id, 'late-sign-in');
  });

  it('tells no channel that never heard the alert', async () => {
    const { teams, webhook, heard } = await raisedThenRetracted({ LURE_WEBHOOK_MIN_SEVERITY: 'critical', LURE_TEAMS_MIN_SEVERITY: 'critical' });
    assert.deepEqual(heard, { teams: 0, webhook: 0 });
    assert.deepEqual([teams.length, webhook.length], [0, 0]);
  });
});

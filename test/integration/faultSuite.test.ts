import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { entraEvents } from '../../functions/entraEvents.js';
import { exchangeEvents } from '../../functions/exchangeEvents.js';
import { AlertDelivery } from '../../src/app/delivery/alertDelivery.js';
import { persistAlerts } from '../../src/app/persistAlerts.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { AlertChannel, Delivery } from '../../src/ports/alertChannel.js';
import { DeliveryError } from '../../src/ports/alertChannel.js';
import { eventHubContext } from '../helpers/azf.js';
import { finding } from '../helpers/alerts.js';
import { graphRecord, mailItemsAccessedRecord, signInRecord } from '../helpers/records.js';
import { fixedClock, movableClock, recordingLogger, testServices } from '../helpers/services.js';
import { DECOY_MAILBOX, fakeTenantDirectory, tenantServices, useFakeTenant } from '../helpers/tenant.js';
import { DirectoryError } from '../../src/ports/directory.js';
import type { ApplicationDecoy, MailItemDecoy } from '../../src/domain/decoys.js';
import type { StoredAlert } from '../../src/domain/alerts.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import { type Services, useServices } from '../../src/host/services.js';

const DECOY = 'svc-fault-decoy@contoso.example';

/** Batches as the hubs would deliver them: sign-ins issuing tokens, uses of them (a few never issued), decoy sign-ins, mail reads. */
function batches(): { hub: 'entra' | 'exchange'; messages: unknown[] }[] {
  const out: { hub: 'entra' | 'exchange'; messages: unknown[] }[] = [];
  for (let batch = 0; batch < 8; batch += 1) {
    const base = Date.parse('2026-11-02T08:00:00.000Z') + batch * 20 * 60_000;
    const at = (offset: number) => new Date(base + offset * 1000).toISOString();
    const records: Record<string, unknown>[] = [];
    for (let index = 0; index < 20; index += 1) {
      const uti = `u${batch}x${index}AAAAAAAAAAAAAA`;
      records.push(
        signInRecord({
          category: index % 2 === 0 ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
          time: at(index),
          uti,
          userPrincipalName: `user${index}@contoso.example`,
        }),
      );
      records.push(graphRecord({ time: at(index + 30), issuedAt: at(index), uti: index === 7 ? `forged${batch}AAAAAAAAAAAAA` : uti }));
    }
    // Two decoy sign-ins per batch from two addresses: alerts per actor and hour, counts that must be exact.
    records.push(
      signInRecord({ time: at(50), userPrincipalName: DECOY, ipAddress: '203.0.113.7' }),
      signInRecord({ time: at(51), userPrincipalName: DECOY, ipAddress: `198.51.100.${batch % 3}` }),
    );
    out.push({ hub: 'entra', messages: [{ records }] });
    // Mail reads: the usual client, and from batch 3 on a client never seen for the mailbox (mail.appId.firstSeen).
    out.push({
      hub: 'exchange',
      messages: [
        mailItemsAccessedRecord({ time: at(60), uti: `u${batch}x3AAAAAAAAAAAAAA`, mailbox: `box${batch % 2}@contoso.example` }),
        ...(batch >= 3
          ? [
              mailItemsAccessedRecord({
                time: at(61),
                uti: `u${batch}x5AAAAAAAAAAAAAA`,
                mailbox: `box${batch % 2}@contoso.example`,
                clientAppId: `0000000${batch}-aaaa-4bbb-8ccc-dddddddddddd`,
              }),
            ]
          : []),
      ],
    });
  }
  return out;
}

type Fault = 'before' | 'after';

/**
 * The store, failing a share of calls. `before`: the call never reached it; `after`: it did its work and
 * the answer was lost — the hard case, where a retry repeats a write that happened. Errors look like the
 * Table client's (a status code), retryable (503) or not (400).
 */
function faultyStore(
  store: StateStore,
  options: { readonly rate: number; readonly seed: number; readonly status: number; readonly fault: Fault },
): StateStore & { failures: number } {
  const rng = xoroshiro128plus(options.seed);
  const state = { failures: 0 };
  const fail = () => {
    state.failures += 1;
    return Object.assign(new Error(`scripted store fault (${options.status})`), { statusCode: options.status });
  };
  const failingListing = () =>
    // eslint-disable-next-line @typescript-eslint/require-await -- a listing that fails on its first page: only an async generator has that shape
    (async function* () {
      yield* [] as never[];
      throw fail();
    })();
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'failures') return state.failures;
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const doomed = uniformInt(rng, 0, 999) < options.rate * 1000;
        if (!doomed) return (value as (...a: unknown[]) => unknown).apply(target, args);
        // A listing fails as it starts, either way.
        if (LISTINGS.has(String(property))) return failingListing();
        // Before: the call never reaches the store.
        if (options.fault === 'before') return Promise.reject(fail());
        // After: the store did the work; the answer is lost.
        return Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)).then(() => Promise.reject(fail()));
      };
    },
  }) as StateStore & { failures: number };
}

/** The store methods that return an async iterable rather than a promise. */
const LISTINGS = new Set(['listAlerts', 'listIncidents', 'listDeadLetters', 'listOutboxEntries', 'listAuditEntries', 'listPendingTokenChecks']);

/** Built once: both runs see the very same records (record ids included). */
const BATCHES = batches();

/** What the alerts and incidents are, and what is left pending, in a form two runs can be compared by. */
async function alertsOf(store: StateStore): Promise<string[]> {
  const alerts: StoredAlert[] = [];
  for await (const stored of store.listAlerts()) alerts.push(stored);
  const incidents = [];
  for await (const incident of store.listIncidents())
    incidents.push(`incident ${incident.id} ${incident.severity} ${incident.status} alerts=${[...incident.alertIds].sort().join(',')}`);
  const pending = [];
  for await (const check of store.listPendingTokenChecks('9999-12-31T00:00:00.000Z')) pending.push(`pending ${check.uti}`);
  return [
    ...alerts.map(
      ({ alert }) =>
        `${alert.detection} ${alert.id} count=${alert.count} ${alert.status} ${alert.actor.ipAddress ?? ''} incident=${alert.incidentId ?? ''} evidence=${alert.evidence
          .map((evidence) => evidence.id)
          .sort()
          .join(',')}`,
    ),
    ...incidents,
    ...pending,
  ].sort();
}

/** Runs every batch through the real Event Hub functions, retrying each until it succeeds, as the host does. */
async function runAsTheHostDoes(services: Services): Promise<number> {
  useServices(services);
  let retries = 0;
  try {
    const queue = BATCHES.map((batch) => ({ ...batch, messages: [...batch.messages] }));
    while (queue.length > 0) {
      const { hub, messages } = queue.shift()!;
      let merged = false;
      const handler = hub === 'entra' ? entraEvents : exchangeEvents;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await handler(messages, eventHubContext({ functionName: `${hub}Events`, partitionId: '0' }));
          break;
        } catch {
          retries += 1;
          assert.ok(attempt < 200, 'a batch never succeeded');
          // Every other failure, the batch comes back from the checkpoint with the next one of its hub in it,
          // as when another instance takes the partition over: the same records, other batch boundaries.
          const next = queue.findIndex((candidate) => candidate.hub === hub);
          if (!merged && retries % 2 === 0 && next >= 0) {
            messages.push(...queue.splice(next, 1)[0]!.messages);
            merged = true;
          }
        }
      }
    }
    // The resolveTokenChecks timer, retried on its next ticks until a run succeeds.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await services.resolveTokenChecks({ force: true });
        break;
      } catch {
        retries += 1;
        assert.ok(attempt < 200, 'token checks never resolved');
      }
    }
  } finally {
    useServices(undefined);
  }
  return retries;
}

describe('fault suite: a failing store, a failing channel', () => {
  // No token cache: every use is looked up in the (failing) store, as by an instance that did not index it.
  const settings = { LURE_ISSUANCE_MODE_GRAPH: 'alert', LURE_MAIL_BASELINE_LEARNING_IN_DAYS: '0', LURE_ISSUANCE_CACHE_SIZE: '0' };

  it('the clean run raises what the workload plants', async () => {
    const store = memoryStateStore();
    await runAsTheHostDoes(
      await testServices({ store, settings, clock: fixedClock(), decoys: [{ id: 'd-user-fault', kind: 'user', enabled: true, userPrincipalName: DECOY }] }),
    );
    const alerts = await alertsOf(store);
    const of = (detection: string) => alerts.filter((alert) => alert.startsWith(`${detection} `));
    // Two decoy sign-ins per batch: one address throughout (an alert per hour), one of three rotating.
    assert.equal(of('decoy.user.signIn').length, 11, alerts.join('\n'));
    assert.equal(
      of('decoy.user.signIn').reduce((sum, alert) => sum + Number(/count=(\d+)/.exec(alert)![1]), 0),
      16,
    );
    assert.equal(of('token.issuance.missing').length, 8, 'one forged token per batch');
    assert.equal(of('mail.appId.firstSeen').length, 5, 'a new client per mailbox read from batch 3 on');
    assert.deepEqual(
      alerts.filter((line) => line.startsWith('pending')),
      [],
      'every check judged',
    );
  });

  for (const { name, status, fault, rate } of [
    { name: 'retryable failures before the call (503)', status: 503, fault: 'before' as const, rate: 0.08 },
    { name: 'retryable failures after the work was done (answers lost)', status: 503, fault: 'after' as const, rate: 0.08 },
    { name: 'non-retryable failures (400), retried by the host all the same', status: 400, fault: 'before' as const, rate: 0.08 },
  ]) {
    it(`${name}: no alert lost, none duplicated, every decoy hit counted once`, async () => {
      const clean = memoryStateStore();
      await runAsTheHostDoes(
        await testServices({
          store: clean,
          settings,
          clock: fixedClock(),
          decoys: [{ id: 'd-user-fault', kind: 'user', enabled: true, userPrincipalName: DECOY }],
        }),
      );
      const expected = await alertsOf(clean);
      assert.ok(expected.filter((line) => line.startsWith('incident')).length >= 1, expected.join('\n'));
      // Three seeds: each puts the faults in other places.
      for (const seed of [1, 2, 3]) {
        const inner = memoryStateStore();
        await inner.upsertDecoy({ id: 'd-user-fault', kind: 'user', enabled: true, userPrincipalName: DECOY });
        const flaky = faultyStore(inner, { rate, seed: seed * 100 + status + (fault === 'after' ? 1 : 0), status, fault });
        const retries = await runAsTheHostDoes(await testServices({ store: flaky, settings, clock: fixedClock() }));
        assert.ok(flaky.failures > 10 && retries > 5, `seed ${seed}: faults injected: ${flaky.failures}, batches retried: ${retries}`);
        assert.deepEqual(await alertsOf(inner), expected, `seed ${seed}`);
      }
    });
  }

  it('a channel failing a third of its sends: every notification arrives exactly once, none dead', async () => {
    const store = memoryStateStore();
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const rng = xoroshiro128plus(99);
    const received = new Map<string, number>();
    const flakyWebhook: AlertChannel = {
      name: 'webhook',
      send(delivery: Delivery) {
        if (uniformInt(rng, 0, 2) === 0) return Promise.reject(new DeliveryError('HTTP 503', true));
        received.set(delivery.id, (received.get(delivery.id) ?? 0) + 1);
        return Promise.resolve('delivered');
      },
    };
    const delivery = new AlertDelivery({
      store,
      channels: { webhook: flakyWebhook },
      clock,
      settings: loadConfig({ LURE_WEBHOOK_URL: 'http://127.0.0.1:1/hook', LURE_WEBHOOK_SECRET: 's'.repeat(40), LURE_DELIVERY_MAX_ATTEMPTS: '30' }).delivery,
      cloud: 'public',
      logger: recordingLogger(),
      sleep: async () => {},
    });
    const raised = new Set<string>();
    for (let index = 0; index < 40; index += 1) {
      const persisted = await persistAlerts(
        store,
        [finding({ id: `e${index}`, time: '2026-11-28T11:00:00.000Z', severity: 'critical', ip: `203.0.113.${index}` })],
        {
          dedupeBucketInMinutes: 60,
          now: clock.now().toISOString(),
        },
      );
      await delivery.notify(persisted.touched, new Set(persisted.changed.map((alert) => alert.id)));
      for (const alert of persisted.changed) raised.add(alert.id);
    }
    for (let minute = 0; minute < 300 && [...(await delivery.status())].some((channel) => channel.pending > 0); minute += 1) {
      clock.advance(60_000);
      await delivery.deliverDue();
    }
    const [status] = (await delivery.status()).filter((channel) => channel.channel === 'webhook');
    assert.equal(status?.pending, 0);
    assert.equal(status.dead, 0);
    const alertIds = [...received.keys()].map((id) => /alert\|([0-9a-f]{32})/.exec(id)?.[1]);
    assert.deepEqual(new Set(alertIds), raised, 'every alert reached the webhook');
    assert.ok(
      [...received.values()].every((count) => count === 1),
      'and each exactly once',
    );
  });
});

describe('fault suite: rotation with a failing Graph', () => {
  const tenant = useFakeTenant();

  it('a fifth of Graph calls failing (after retries) across a week of hourly rotations: the tenant and the registry agree, nothing is left unfinished', async () => {
    const graph = tenant.graph();
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const store = memoryStateStore();
    const healthy = fakeTenantDirectory(graph, tenant.login());
    const lure = await tenantServices({
      store,
      directory: healthy,
      clock,
      settings: { LURE_DECOY_KEPT_SECRETS: '2', LURE_DECOY_ROTATION_JITTER_PERCENT: '0' },
    });
    // The app's secret is carried by a decoy message Lure manages, so the timer rotates both on its own.
    await lure.lifecycles.create({ kind: 'mailItem', id: 'd-mail-carrier', mailbox: DECOY_MAILBOX, folderName: 'Fault Suite' });
    const created = await lure.lifecycles.create({
      kind: 'application',
      id: 'd-app-faults',
      rotationIntervalInHours: 6,
      placements: [{ kind: 'mailItem', decoyId: 'd-mail-carrier' }],
    });
    const objectId = (created.decoy as ApplicationDecoy).objectId!;

    const rng = xoroshiro128plus(2026);
    let faults = 0;
    // Calls fail before or after Graph did the work, as a lost answer does.
    const failing = new Proxy(healthy, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const roll = uniformInt(rng, 0, 9);
          if (roll === 0) {
            faults += 1;
            throw new DirectoryError(String(property), 'scripted outage', 503);
          }
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (roll === 1) {
            faults += 1;
            throw new DirectoryError(String(property), 'answer lost', 503);
          }
          return result;
        };
      },
    });
    const flaky = await tenantServices({
      store,
      directory: failing,
      clock,
      settings: { LURE_DECOY_KEPT_SECRETS: '2', LURE_DECOY_ROTATION_JITTER_PERCENT: '0' },
    });
    let rotated = 0;
    for (let hour = 0; hour < 7 * 24; hour += 1) {
      clock.advance(3_600_000);
      rotated += (await flaky.rotateDecoys()).rotated;
    }
    assert.ok(faults > 5 && rotated > 10, `faults ${faults}, rotations ${rotated}`);
    // The outage ends: the next runs settle whatever it left.
    for (let hour = 0; hour < 3; hour += 1) {
      clock.advance(3_600_000);
      await lure.rotateDecoys();
    }
    const decoy = (await store.getDecoy('d-app-faults'))!.value as ApplicationDecoy;
    const credentials = graph.applications.get(objectId)!.passwordCredentials;
    assert.deepEqual(
      decoy.credentialKeyIds,
      credentials.map((credential) => credential.keyId),
      'the registry names exactly the secrets in the tenant',
    );
    assert.ok(credentials.length >= 1 && credentials.length <= 2, `kept generations: ${credentials.length}`);
    assert.deepEqual(
      (await store.listJournalEntries('1970-01-01T00:00:00.000Z')).filter((entry) => entry.step !== 'finished'),
      [],
      'nothing unfinished',
    );
    const carrier = (await store.getDecoy('d-mail-carrier'))!.value as MailItemDecoy;
    const messages = [...graph.mailboxes.get(DECOY_MAILBOX)!.get(carrier.folderId!)!.messages.values()];
    assert.equal(messages.length, 1, 'one carrier message');
    const planted = graph.secrets.find((secret) => messages[0]!.body.includes(secret));
    assert.ok(planted !== undefined && credentials.some((credential) => credential.hint === planted.slice(0, 3)), 'and the secret it carries still works');
  });
});

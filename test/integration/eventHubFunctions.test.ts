import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { entraEvents } from '../../functions/entraEvents.js';
import { exchangeEvents } from '../../functions/exchangeEvents.js';
import { tokenEvents } from '../../functions/tokenEvents.js';
import { eventHubContext } from '../helpers/azf.js';
import { useAzurite } from '../helpers/azurite.js';
import { type FaultyProxy, startFaultyProxy } from '../helpers/faultyProxy.js';
import { compareExpected, fixtureDecoys, MIXED_EXPECTED, mixedMessages, summarize } from '../helpers/mixedFixture.js';
import { recordingLogger, testServices } from '../helpers/services.js';
import type { StoredAlert } from '../../src/domain/alerts.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';
import { connectTableStateStore } from '../../src/adapters/tables/tableStateStore.js';
import { useServices } from '../../src/host/services.js';

const azurite = useAzurite();
const proxies: FaultyProxy[] = [];

afterEach(() => useServices(undefined));
after(async () => {
  for (const proxy of proxies) await proxy.close();
});

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

/** The Table store reached through a proxy the test can cut, with the SDK's retries kept short. */
async function storeBehindProxy(): Promise<{ store: StateStore; proxy: FaultyProxy }> {
  const proxy = await startFaultyProxy(azurite.server().port);
  proxies.push(proxy);
  const connectionString = azurite.connectionString().replace(`127.0.0.1:${azurite.server().port}`, `127.0.0.1:${proxy.port}`);
  const store = await connectTableStateStore({
    connection: { connectionString },
    tablePrefix: azurite.uniquePrefix(),
    retry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
  return { store, proxy };
}

describe('Event Hub functions on Table Storage (Azurite)', () => {
  it('ingest a batch in every form the host delivers and raise the expected alerts', async () => {
    const { store } = await storeBehindProxy();
    const services = await testServices({ decoys: fixtureDecoys(), store });
    useServices(services);
    const [entraLine, exchangeLine, defenderLine, tokenLine, ...rest] = mixedMessages();
    const logs: string[] = [];
    await entraEvents([Buffer.from(entraLine!), ...rest], eventHubContext({ functionName: 'entraEvents', logs }));
    await exchangeEvents([JSON.parse(exchangeLine!), new TextEncoder().encode(defenderLine)], eventHubContext({ functionName: 'exchangeEvents', logs }));
    await tokenEvents([tokenLine!], eventHubContext({ functionName: 'tokenEvents', logs }));
    const alerts = (await all(store.listAlerts())).map((stored) => stored.alert);
    assert.deepEqual(summarize(alerts), [...MIXED_EXPECTED.alerts].sort(compareExpected));
    assert.ok(logs.some((line) => line.includes('batch ingested') && line.includes('"origin":"entra partition 0"')));
    // The hit on the disabled decoy is stored but never notified.
    const suppressed = MIXED_EXPECTED.alerts.filter((alert) => alert.status === 'suppressed').length;
    assert.equal(suppressed, 1);
    assert.equal(logs.filter((line) => line.startsWith('alert ')).length, MIXED_EXPECTED.alerts.length - suppressed);
    assert.equal(logs.filter((line) => line.startsWith('suppressed alert (decoy disabled) ')).length, suppressed);
  });

  it('fail the invocation when the store fails mid-batch, and the retried batch adds no duplicate', async () => {
    const { store, proxy } = await storeBehindProxy();
    // Cut the network to the store right after the first alert is written: a real outage, mid-batch.
    let written = 0;
    const tripwire: StateStore = Object.assign(Object.create(store) as StateStore, {
      async createAlert(alert: StoredAlert) {
        await store.createAlert(alert);
        written += 1;
        if (written === 1) proxy.cut();
      },
    });
    const logger = recordingLogger();
    const services = await testServices({ decoys: fixtureDecoys(), store: tripwire, logger });
    useServices(services);
    const batch = mixedMessages();

    const logs: string[] = [];
    await assert.rejects(entraEvents(batch, eventHubContext({ functionName: 'entraEvents', logs })));
    assert.ok(logs.some((line) => line.startsWith('batch failed; the host retries it')));
    proxy.restore();
    const partial = await all(store.listAlerts());
    assert.ok(partial.length >= 1 && partial.length < MIXED_EXPECTED.alerts.length, `some but not all alerts were written (${partial.length})`);

    // The host's retry policy delivers the same batch again, then once more for good measure.
    await entraEvents(batch, eventHubContext({ functionName: 'entraEvents' }));
    await entraEvents(batch, eventHubContext({ functionName: 'entraEvents' }));
    const alerts = (await all(store.listAlerts())).map((stored) => stored.alert);
    assert.deepEqual(summarize(alerts), [...MIXED_EXPECTED.alerts].sort(compareExpected));
    assert.equal(new Set(alerts.map((alert) => alert.id)).size, alerts.length);
  });

  it('complete a batch of one good record and one 100,000-deep record on its first delivery: the alert and the dead letter are in the tables', async () => {
    const { store } = await storeBehindProxy();
    const services = await testServices({ decoys: fixtureDecoys(), store });
    useServices(services);
    const [entraLine] = mixedMessages();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const logs: string[] = [];
    await entraEvents([entraLine!, deep], eventHubContext({ functionName: 'entraEvents', logs }));
    const alerts = (await all(store.listAlerts())).map((stored) => stored.alert);
    assert.ok(alerts.some((alert) => alert.detection === 'decoy.user.signIn' && alert.decoyId === 'd-user-1'));
    const letters = await all(store.listDeadLetters());
    assert.deepEqual(
      letters.map((letter) => letter.reason),
      ['too-deep'],
    );
    assert.ok(letters[0]!.excerpt.startsWith('[[[[') && letters[0]!.excerpt.length < 200, 'the excerpt is the bounded text');
    assert.ok(logs.some((line) => line.startsWith('batch ingested') && line.includes('"deadLettered":1')));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { totalAccepted, totalSkipped } from '../../../src/app/ingestReport.js';
import { MAX_EXCERPT_LENGTH } from '../../../src/normalize/redactedExcerpt.js';
import { compareExpected, fixtureDecoys, MIXED_EXPECTED, mixedMessages, mixedRecords, summarize } from '../../helpers/mixedFixture.js';
import { recordingLogger, testServices } from '../../helpers/services.js';
import type { StoredAlert } from '../../../src/domain/alerts.js';
import type { DeadLetter } from '../../../src/domain/deadLetters.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

function byId(alerts: readonly StoredAlert[]): StoredAlert[] {
  return [...alerts].sort((a, b) => a.alert.id.localeCompare(b.alert.id));
}

/**
 * Alerts without their incident id: an alert's id, words, evidence and count never depend on arrival order,
 * but which alert founded an incident (and so names it) does.
 */
function withoutIncident(alerts: readonly StoredAlert[]): StoredAlert[] {
  return byId(alerts).map(({ alert: { incidentId, ...alert }, ...rest }) => {
    assert.ok(alert.status === 'suppressed' || incidentId !== undefined, `alert ${alert.id} belongs to an incident`);
    return { ...rest, alert };
  });
}

describe('ingestMessages', () => {
  it('raises exactly the expected alerts from a mixed batch of every source', async () => {
    const services = await testServices({ decoys: fixtureDecoys() });
    const report = await services.ingest(mixedMessages(), 'entra partition 0');
    assert.equal(report.read, MIXED_EXPECTED.read);
    assert.equal(totalAccepted(report), MIXED_EXPECTED.accepted);
    assert.equal(totalAccepted(report) + totalSkipped(report), report.read);
    assert.deepEqual(summarize(report.alerts), [...MIXED_EXPECTED.alerts].sort(compareExpected));
    assert.deepEqual(summarize((await all(services.store.listAlerts())).map((stored) => stored.alert)), [...MIXED_EXPECTED.alerts].sort(compareExpected));
  });

  it('yields the same alerts, and no new ones, when Event Hubs delivers the same batch twice', async () => {
    const services = await testServices({ decoys: fixtureDecoys() });
    const first = await services.ingest(mixedMessages(), 'entra partition 0');
    const afterFirst = byId(await all(services.store.listAlerts()));
    const second = await services.ingest(mixedMessages(), 'entra partition 0');
    assert.equal(first.alerts.length, MIXED_EXPECTED.alerts.length);
    assert.deepEqual(second.alerts, [], 'a redelivered batch changes no alert, so nothing is notified again');
    assert.deepEqual([...second.touchedAlertIds].sort(), [...first.touchedAlertIds].sort());
    assert.deepEqual(byId(await all(services.store.listAlerts())), afterFirst);
    assert.equal((await all(services.store.listDeadLetters())).length, first.deadLettered);
  });

  it('yields the same alerts whatever order and batching the records arrive in', async () => {
    const baseline = await testServices({ decoys: fixtureDecoys() });
    await baseline.ingest(mixedMessages(), 'baseline');
    const expected = withoutIncident(await all(baseline.store.listAlerts()));
    const records = mixedRecords();
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }),
        fc.integer({ min: 1, max: 7 }),
        async (shuffled, batchSize) => {
          const services = await testServices({ decoys: fixtureDecoys() });
          for (let offset = 0; offset < shuffled.length; offset += batchSize) {
            // Records go one by one as already-parsed values; malformed lines stay text, as the host hands them.
            await services.ingest(shuffled.slice(offset, offset + batchSize), 'shuffled');
          }
          assert.deepEqual(withoutIncident(await all(services.store.listAlerts())), expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('dead-letters bad records with their reason and a bounded excerpt, once, and never fails the batch', async () => {
    const services = await testServices({ decoys: fixtureDecoys() });
    const huge = JSON.stringify({ category: 'NotAThing', properties: { blob: 'x'.repeat(50_000) } });
    const messages = ['{"records": [ {"broken"', huge, 42, null, { records: 'not an array' }];
    const report = await services.ingest(messages, 'exchange partition 3');
    await services.ingest(messages, 'exchange partition 3');
    assert.equal(report.read, 5);
    assert.deepEqual(
      report.skipped,
      new Map([
        ['malformed-json', new Map([['malformed-json', 1]])],
        ['unknown-category', new Map([['NotAThing', 1]])],
        [
          'not-an-object',
          new Map([
            ['number', 1],
            ['null', 1],
          ]),
        ],
        ['malformed-envelope', new Map([['malformed-envelope', 1]])],
      ]),
    );
    const letters: DeadLetter[] = await all(services.store.listDeadLetters());
    assert.equal(letters.length, 5, 'a redelivery stores no second copy');
    for (const letter of letters) {
      assert.equal(letter.origin, 'exchange partition 3');
      assert.ok(letter.excerpt.length <= MAX_EXCERPT_LENGTH + 1, `excerpt of ${letter.reason} is bounded`);
    }
    assert.ok(
      letters.some((letter) => letter.reason === 'unknown-category' && letter.detail === 'NotAThing' && letter.excerpt.startsWith('{"category":"NotAThing"')),
    );
  });

  it('never puts a token into logs, the store or alerts, even from records it cannot read', async () => {
    const logger = recordingLogger();
    const store = memoryStateStore();
    const services = await testServices({ decoys: fixtureDecoys(), store, logger });
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'lure-kid-01', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ iss: 'https://login.microsoftonline.com/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/v2.0', jti: 'x', oid: 'o' }),
    ).toString('base64url');
    const signature = Buffer.from('s'.repeat(64)).toString('base64url');
    const token = `${header}.${payload}.${signature}`;
    const garbled = `${header}.%%%not-base64%%%`;
    const observation = (jwt: string) => ({
      time: '2026-11-02T10:12:09Z',
      category: 'TokenObservation',
      properties: { jwt, observer: 'apim', ipAddress: '203.0.113.45', requestUri: `https://api.contoso.example/hub?access_token=${token}` },
    });
    await services.ingest(
      [
        { records: [observation(token), observation(garbled), observation(`${token}.extra`)] },
        `{"records":[{"category":"TokenObservation","properties":{"jwt":"${token}"`,
        JSON.stringify({ category: 'Mystery', properties: { authorization: `Bearer ${token}` } }),
      ],
      'token partition 0',
    );
    const everything = JSON.stringify({
      logs: logger.lines,
      alerts: await all(store.listAlerts()),
      deadLetters: await all(store.listDeadLetters()),
    });
    assert.ok((await all(store.listAlerts())).length > 0, 'the honeytoken was detected');
    assert.ok((await all(store.listDeadLetters())).length >= 3, 'the unreadable records were dead-lettered');
    for (const secret of [token, payload, signature, garbled]) assert.ok(!everything.includes(secret), `no trace of ${secret.slice(0, 12)}…`);
  });

  it('stores hits on a disabled decoy as suppressed alerts, apart from live ones', async () => {
    const services = await testServices({ decoys: fixtureDecoys() });
    const report = await services.ingest(mixedMessages(), 'entra');
    const suppressed = report.alerts.filter((alert) => alert.status === 'suppressed');
    assert.deepEqual(
      suppressed.map((alert) => alert.decoyId),
      ['d-user-off'],
    );
  });

  it('sees decoy changes on the next batch once the cache has expired', async () => {
    const services = await testServices({ decoys: fixtureDecoys().filter((decoy) => decoy.id !== 'd-token-1') });
    const tokenLine = mixedMessages().find((message) => message.includes('TokenObservation'))!;
    assert.deepEqual((await services.ingest([tokenLine], 'token')).alerts, []);
    await services.importDecoys(fixtureDecoys().filter((decoy) => decoy.id === 'd-token-1'));
    assert.deepEqual(
      (await services.ingest([tokenLine], 'token')).alerts.map((alert) => alert.detection),
      ['decoy.token.used'],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silenceVerdicts } from '../../../src/correlation/silence.js';
import type { StreamState } from '../../../src/domain/streams.js';
import { everyStreamAt, signInRecord } from '../../helpers/records.js';
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
      thresholds,
      120,
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

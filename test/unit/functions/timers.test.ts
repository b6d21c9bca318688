import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { InvocationContext as InvocationContextType, Timer } from '@azure/functions';
import { pruneState } from '../../../functions/pruneState.js';
import { resolveTokenChecks } from '../../../functions/resolveTokenChecks.js';
import { alertFixture } from '../../helpers/alerts.js';
import { InvocationContext } from '../../helpers/azf.js';
import { everyStreamAt, graphRecord } from '../../helpers/records.js';
import { fixedClock, testServices } from '../../helpers/services.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import { useServices } from '../../../src/host/services.js';

const TIMER: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

function timerContext(functionName: string, logs: string[]): InvocationContextType {
  return new InvocationContext({ invocationId: 't', functionName, logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')) });
}

afterEach(() => useServices(undefined));

describe('timer functions', () => {
  it('resolveTokenChecks judges due checks and logs the alerts it raised', async () => {
    const services = await testServices();
    useServices(services);
    await services.ingest(
      [
        {
          records: [
            ...everyStreamAt('2026-11-02T08:00:00.000Z'),
            graphRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:55:00.000Z', uti: 'timerForgedUti00000001' }),
            ...everyStreamAt('2026-11-02T12:00:00.000Z'),
          ],
        },
      ],
      'entra',
    );
    const logs: string[] = [];
    await resolveTokenChecks(TIMER, timerContext('resolveTokenChecks', logs));
    assert.ok(
      logs.some((line) => line.startsWith('resolveTokenChecks done {') && line.includes('"missingAlerted":1') && line.includes('"alerts":1')),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((line) => line.startsWith('alert {') && line.includes('"detection":"token.issuance.missing"')),
      logs.join('\n'),
    );
  });

  it('pruneState drops what is past retention and reports counts', async () => {
    const store = memoryStateStore();
    const services = await testServices({ store, clock: fixedClock('2026-11-28T12:00:00.000Z') });
    useServices(services);
    await store.upsertTokenIssuances([
      { uti: 'old', issuedAt: '2026-11-20T08:00:00.000Z', category: 'SignInLogs' },
      { uti: 'fresh', issuedAt: '2026-11-28T08:00:00.000Z', category: 'SignInLogs' },
    ]);
    await store.upsertDeadLetters([{ id: 'old', receivedAt: '2026-10-01T00:00:00.000Z', origin: 'o', reason: 'malformed-json', detail: 'd', excerpt: 'e' }]);
    const audit = (id: string, at: string) => ({
      id,
      at,
      caller: { objectId: 'o' },
      action: 'decoy.update',
      target: 'decoy:d',
      outcome: 'succeeded' as const,
      status: 200,
    });
    await store.createAuditEntry(audit('old', '2025-11-01T00:00:00.000Z'));
    await store.createAuditEntry(audit('kept', '2026-01-01T00:00:00.000Z'));
    await store.upsertStreamCounts('w', [
      { origin: 'entra', bucket: '2026-11-27T10:00:00.000Z', records: 1, deadLettered: 0 },
      { origin: 'entra', bucket: '2026-11-28T11:50:00.000Z', records: 1, deadLettered: 0 },
    ]);
    const old = alertFixture('0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld00', { occurredAt: '2025-06-01T00:00:00.000Z' });
    await store.createAlert({ alert: old, evidenceKeys: ['k'], lead: { severity: old.severity, time: old.occurredAt, evidenceKey: 'k' } });
    const logs: string[] = [];
    await pruneState(TIMER, timerContext('pruneState', logs));
    assert.ok(
      logs.includes(
        'pruneState done {"tokenIssuances":1,"expiredTokenChecks":0,"deadLetters":1,"tokenMatchRows":0,"signInLatenessRows":0,"missingIssuances":0,"journalEntries":0,"outboxEntries":0,"auditEntries":1,"streamCounts":1,"copiedAuditContent":0,"oldAlerts":1,"oldIncidents":0}',
      ),
      logs.join('\n'),
    );
  });

  it('fails the invocation visibly when the store fails', async () => {
    const store = memoryStateStore();
    store.listSignInProgress = () => Promise.reject(new Error('store unavailable'));
    useServices(await testServices({ store }));
    const logs: string[] = [];
    await assert.rejects(resolveTokenChecks(TIMER, timerContext('resolveTokenChecks', logs)), /store unavailable/);
    assert.ok(logs.some((line) => line.startsWith('resolveTokenChecks failed: Error: store unavailable')));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import { LifecycleConflictError } from '../../../src/app/decoys/errors.js';
import { triageStoredAlert } from '../../../src/app/triageAlert.js';
import type { Alert, StoredAlert } from '../../../src/domain/alerts.js';
import type { AlertStore } from '../../../src/ports/store/alertStore.js';
import { alertFixture } from '../../helpers/alerts.js';
import { fixedClock } from '../../helpers/services.js';

const clock = fixedClock('2026-11-29T09:30:00.000Z');
/** What was handed to the channels that keep alert history. */
const recorded: Alert[] = [];
const delivery = { record: (alerts: readonly Alert[]) => Promise.resolve((recorded.push(...alerts), [])) };
const by = { objectId: '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21', userPrincipalName: 'secops-admin@contoso.example' };

function stored(alert: Alert): StoredAlert {
  return { alert, evidenceKeys: ['k1'], lead: { severity: alert.severity, time: alert.occurredAt, evidenceKey: 'k1' } };
}

/** Counts writes, and lets a test fold evidence in just before a write lands (the race with ingest). */
function watched(store: AlertStore, beforeUpdate: (attempt: number) => Promise<void> = () => Promise.resolve()) {
  let updates = 0;
  const watchedStore: AlertStore = {
    getAlert: (id) => store.getAlert(id),
    createAlert: (alert) => store.createAlert(alert),
    listAlerts: (filter) => store.listAlerts(filter),
    deleteAlertsBefore: (before) => store.deleteAlertsBefore(before),
    async updateAlert(alert, etag) {
      updates += 1;
      await beforeUpdate(updates);
      return store.updateAlert(alert, etag);
    },
  };
  return { store: watchedStore, updates: () => updates };
}

describe('triageStoredAlert', () => {
  it('writes the triaged alert at the ETag read and answers it with the status it had', async () => {
    const store = memoryStateStore();
    await store.createAlert(stored(alertFixture('a1')));
    const outcome = await triageStoredAlert({ store, clock, delivery }, 'a1', 'acknowledge', { by, note: 'on it' });
    const expected = {
      ...alertFixture('a1'),
      status: 'acknowledged',
      triage: { status: 'acknowledged', at: '2026-11-29T09:30:00.000Z', by, note: 'on it' },
    } as const;
    assert.deepEqual(outcome, { alert: expected, changed: true, previousStatus: 'open' });
    assert.deepEqual(recorded.at(-1), expected, 'the decision is handed to the channels that keep alert history');
    assert.deepEqual((await store.getAlert('a1'))?.value, stored(expected), 'evidence keys and lead kept');
  });

  it('decides again on the fresh alert when evidence was folded in meanwhile', async () => {
    const memory = memoryStateStore();
    await memory.createAlert(stored(alertFixture('a1')));
    const { store, updates } = watched(memory, async (attempt) => {
      if (attempt > 1) return;
      const current = (await memory.getAlert('a1'))!;
      await memory.updateAlert(stored({ ...current.value.alert, count: 2 }), current.etag);
    });
    const outcome = await triageStoredAlert({ store, clock, delivery }, 'a1', 'resolve', { by });
    assert.equal(updates(), 2);
    assert.ok(outcome !== undefined && 'alert' in outcome);
    assert.equal(outcome.alert.count, 2, 'the evidence folded in is kept');
    assert.equal((await memory.getAlert('a1'))?.value.alert.status, 'resolved');
  });

  it('gives up with a conflict when the alert keeps changing', async () => {
    const memory = memoryStateStore();
    await memory.createAlert(stored(alertFixture('a1')));
    const { store, updates } = watched(memory, async () => {
      const current = (await memory.getAlert('a1'))!;
      await memory.updateAlert(stored({ ...current.value.alert, count: current.value.alert.count + 1 }), current.etag);
    });
    await assert.rejects(
      triageStoredAlert({ store, clock, delivery }, 'a1', 'resolve', { by }),
      (error: unknown) => error instanceof LifecycleConflictError && /kept changing/.test(error.message),
    );
    assert.equal(updates(), 5);
    assert.equal((await memory.getAlert('a1'))?.value.alert.status, 'open');
  });

  it('writes nothing for an alert that has the status already, one it refuses, or none at all', async () => {
    const memory = memoryStateStore();
    await memory.createAlert(stored(alertFixture('resolved', { status: 'resolved' })));
    await memory.createAlert(stored(alertFixture('quiet', { status: 'suppressed' })));
    const { store, updates } = watched(memory);
    assert.deepEqual(await triageStoredAlert({ store, clock, delivery }, 'resolved', 'resolve', { by }), {
      alert: alertFixture('resolved', { status: 'resolved' }),
      changed: false,
      previousStatus: 'resolved',
    });
    assert.deepEqual(await triageStoredAlert({ store, clock, delivery }, 'resolved', 'acknowledge', { by }), { refused: 'the alert is resolved already' });
    assert.deepEqual(await triageStoredAlert({ store, clock, delivery }, 'quiet', 'acknowledge', { by }), {
      refused: 'a suppressed alert (a hit on a disabled decoy) notifies no one: resolve it instead',
    });
    assert.equal(await triageStoredAlert({ store, clock, delivery }, 'missing', 'resolve', { by }), undefined);
    assert.equal(updates(), 0);
  });
});

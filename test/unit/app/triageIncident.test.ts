import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';
import { triageStoredIncident } from '../../../src/app/triageIncident.js';
import { withAlert } from '../../../src/correlation/incidents.js';
import type { Alert, Incident, StoredAlert } from '../../../src/domain/alerts.js';
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

async function seeded(alerts: readonly Alert[], listed: readonly string[] = alerts.map((alert) => alert.id)) {
  const store = memoryStateStore();
  for (const alert of alerts) await store.createAlert(stored(alert));
  let incident: Incident | undefined;
  for (const id of listed) incident = withAlert(incident, alertFixture(id), clock.now().toISOString());
  await store.createIncident(incident!);
  return { store, incident: incident! };
}

describe('triageStoredIncident', () => {
  it('triages every alert of the incident, then the incident, and says which alerts were left as they were and why', async () => {
    const { store, incident } = await seeded(
      [alertFixture('a1'), alertFixture('a2', { status: 'acknowledged' }), alertFixture('a3', { status: 'resolved' })],
      ['a1', 'a2', 'a3', 'a-pruned'],
    );
    const outcome = await triageStoredIncident({ store, clock, delivery }, incident.id, 'acknowledge', { by, note: 'on it' });
    assert.ok(outcome !== undefined && !('refused' in outcome));
    assert.deepEqual(outcome.alerts, { changed: 1, unchanged: 1, left: [{ alertId: 'a3', reason: 'the alert is resolved already' }] });
    assert.deepEqual(
      [outcome.previousStatus, outcome.changed, outcome.incident.status, outcome.incident.triage?.note],
      ['open', true, 'acknowledged', 'on it'],
    );
    assert.equal((await store.getIncident(incident.id))?.value.status, 'acknowledged');
    assert.deepEqual(await Promise.all(['a1', 'a2', 'a3'].map(async (id) => (await store.getAlert(id))?.value.alert.status)), [
      'acknowledged',
      'acknowledged',
      'resolved',
    ]);

    const resolved = await triageStoredIncident({ store, clock, delivery }, incident.id, 'resolve', { by });
    assert.ok(resolved !== undefined && !('refused' in resolved));
    assert.deepEqual([resolved.incident.status, resolved.alerts.changed, resolved.alerts.unchanged], ['resolved', 2, 1]);
    assert.deepEqual(await triageStoredIncident({ store, clock, delivery }, incident.id, 'acknowledge', { by }), {
      refused: 'the incident is resolved already',
    });
    assert.equal(await triageStoredIncident({ store, clock, delivery }, 'inc-000000000000000000000000', 'resolve', { by }), undefined);
  });

  it('also triages an alert that joined while it worked, before writing the incident', async () => {
    const { store, incident } = await seeded([alertFixture('a1'), alertFixture('a-late')], ['a1']);
    let raced = false;
    const racing: typeof store = {
      ...store,
      async updateIncident(next, etag) {
        if (!raced) {
          raced = true;
          // Ingest folds a new alert in between the read and the write.
          const current = (await store.getIncident(next.id))!;
          await store.updateIncident(withAlert(current.value, alertFixture('a-late'), clock.now().toISOString()), current.etag);
        }
        return store.updateIncident(next, etag);
      },
    };
    const outcome = await triageStoredIncident({ store: racing, clock, delivery }, incident.id, 'resolve', { by });
    assert.ok(outcome !== undefined && !('refused' in outcome));
    assert.deepEqual([outcome.incident.alertIds, outcome.incident.status, outcome.alerts.changed], [['a1', 'a-late'], 'resolved', 2]);
    assert.equal((await store.getAlert('a-late'))?.value.alert.status, 'resolved');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignIncident } from '../../../src/app/assignIncident.js';
import { persistAlerts } from '../../../src/app/persistAlerts.js';
import { missingIssuanceFinding } from '../../../src/detections/tokenIssuanceMissing.js';
import type { Incident } from '../../../src/domain/alerts.js';
import { ALERT_DETECTED_AT, alertFixture } from '../../helpers/alerts.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';

const NOW = ALERT_DETECTED_AT;
const alert = alertFixture;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

describe('assignIncident', () => {
  it('puts alerts of one actor into one incident, found again by its actor keys', async () => {
    const store = memoryStateStore();
    const first = await assignIncident(store, alert('aaaa'), NOW);
    const second = await assignIncident(store, alert('bbbb', { detection: 'token.issuance.missing', occurredAt: '2026-11-02T09:00:00.000Z' }), NOW);
    assert.equal(first.incidentId, second.incidentId);
    const incidents: Incident[] = await all(store.listIncidents());
    assert.equal(incidents.length, 1);
    assert.deepEqual([incidents[0]!.alertIds, incidents[0]!.severity], [['aaaa', 'bbbb'], 'critical']);
  });

  it('puts alerts of one actor raised in one batch into one incident, escalated when detections agree', async () => {
    const store = memoryStateStore();
    const findings = ['t1', 't2', 't3', 't4'].map((uti) =>
      missingIssuanceFinding({
        uti,
        source: 'graph',
        usedAt: '2026-11-02T09:00:00.000Z',
        readsMail: false,
        touchesDecoy: false,
        actor: { ipAddress: '203.0.113.45', userId: 'u-victim' },
        token: { uniqueTokenId: uti },
        evidence: { source: 'entra', type: 'MicrosoftGraphActivityLogs', id: `r-${uti}`, time: '2026-11-02T09:00:00.000Z' },
      }),
    );
    const { changed } = await persistAlerts(store, findings, { dedupeBucketInMinutes: 60, now: NOW });
    assert.equal(changed.length, 4);
    assert.equal(new Set(changed.map((alert) => alert.incidentId)).size, 1);
    assert.equal((await all(store.listIncidents())).length, 1);
  });

  it('leaves suppressed alerts out of incidents', async () => {
    const store = memoryStateStore();
    assert.equal((await assignIncident(store, alert('cccc', { status: 'suppressed' }), NOW)).incidentId, undefined);
    assert.deepEqual(await all(store.listIncidents()), []);
  });

  it('recovers when a crash left the incident written but not indexed: the retry joins it, no second incident', async () => {
    const store = memoryStateStore();
    const indexKeys = store.upsertIncidentActorKeys.bind(store);
    store.upsertIncidentActorKeys = () => Promise.reject(new Error('store unavailable'));
    await assert.rejects(assignIncident(store, alert('dddd'), NOW), /store unavailable/);
    store.upsertIncidentActorKeys = indexKeys;
    const retried = await assignIncident(store, alert('dddd'), NOW);
    const incidents = await all(store.listIncidents());
    assert.deepEqual(
      incidents.map((incident) => incident.id),
      [retried.incidentId],
    );
    assert.equal((await assignIncident(store, alert('eeee'), NOW)).incidentId, retried.incidentId, 'and it is indexed now');
  });
});

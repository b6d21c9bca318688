import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { alertRevisionOf, SENTINEL_COLUMNS, sentinelRowOf } from '../../../src/alerting/sentinelRow.js';
import { techniquesOf } from '../../../src/detections/detection.js';
import { foldAlert } from '../../../src/correlation/foldAlert.js';
import { type TriageAction, triageAlert } from '../../../src/correlation/triage.js';
import { SEVERITIES, type StoredAlert } from '../../../src/domain/alerts.js';
import { alertFixture, finding } from '../../helpers/alerts.js';

type Step = { readonly kind: 'evidence'; readonly id: number } | { readonly kind: 'triage'; readonly action: TriageAction } | { readonly kind: 'incident' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('evidence' as const), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('triage' as const), action: fc.constantFrom<TriageAction>('acknowledge', 'resolve') }),
  fc.constant({ kind: 'incident' as const }),
);

/** One step of an alert's life as Lure takes it: folding evidence, a triage decision, joining an incident. */
function apply(stored: StoredAlert, next: Step): StoredAlert {
  switch (next.kind) {
    case 'evidence': {
      // A record is what it is: seen again, it has its time and is judged as before.
      const time = `2026-11-02T08:${String((next.id * 7) % 60).padStart(2, '0')}:00.000Z`;
      const severity = SEVERITIES[next.id % SEVERITIES.length]!;
      return foldAlert(stored, stored.alert.dedupeKey, [finding({ id: `r${next.id}`, time, severity })], '2026-11-02T09:00:00.000Z').stored;
    }
    case 'triage': {
      const outcome = triageAlert(stored.alert, next.action, { by: { objectId: 'analyst' }, at: '2026-11-02T09:30:00.000Z' });
      return 'refused' in outcome ? stored : { ...stored, alert: outcome.alert };
    }
    case 'incident':
      return stored.alert.incidentId === undefined ? { ...stored, alert: { ...stored.alert, incidentId: 'inc-1' } } : stored;
  }
}

describe('the Sentinel row', () => {
  it('gives every change of an alert a higher revision, and an unchanged alert the same one, along any legal history', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const first = foldAlert(
          undefined,
          'k',
          [finding({ id: 'r-first', time: '2026-11-02T08:30:00.000Z', severity: 'medium' })],
          '2026-11-02T09:00:00.000Z',
        ).stored;
        let stored = first;
        for (const next of steps) {
          const after = apply(stored, next);
          const before = alertRevisionOf(stored.alert);
          if (JSON.stringify(after.alert) === JSON.stringify(stored.alert)) assert.equal(alertRevisionOf(after.alert), before);
          else assert.ok(alertRevisionOf(after.alert) > before, `${next.kind} changed the alert but not its revision`);
          stored = after;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('fills only declared columns, each of its declared type, and leaves absent fields out', () => {
    const alert = alertFixture('a-1', {
      decoyId: 'd-user-1',
      incidentId: 'inc-1',
      actor: { userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' },
      target: { objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44' },
      token: { uniqueTokenId: 'uti-1', kid: 'kid-1' },
      evidence: [{ source: 'entra', type: 'SignInLogs', id: 'rec-1', time: '2026-11-02T08:00:00.000Z' }],
    });
    const row = sentinelRowOf(
      { ...alert, mitre: techniquesOf(['TA0001:T1078.004', 'TA0006:T1110.003', 'TA0004:T1078.004']) },
      { cloud: 'usgov', tenantId: 'tenant-1' },
    );
    const types = new Map<string, string>(SENTINEL_COLUMNS.map((column) => [column.name, column.type]));
    for (const [name, value] of Object.entries(row)) {
      const type = types.get(name);
      assert.ok(type !== undefined, `${name} is a declared column`);
      if (type === 'datetime') assert.ok(typeof value === 'string' && !Number.isNaN(Date.parse(value)), `${name} is a time`);
      if (type === 'long') assert.ok(Number.isInteger(value), `${name} is an integer`);
      if (type === 'string') assert.equal(typeof value, 'string', name);
      if (type === 'dynamic') assert.ok(Array.isArray(value), name);
    }
    assert.equal(row.MitreTechniques?.toString(), 'T1078.004,T1110.003');
    assert.equal(row.AadTenantId, 'tenant-1');
    assert.equal(row.SigningKeyId, 'kid-1');
    assert.equal('Mailbox' in row, false, 'no mailbox, no column');
    assert.equal('TenantId' in row, false, 'TenantId is the workspace id in Log Analytics');
  });
});

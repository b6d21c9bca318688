import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withAlert } from '../../../src/correlation/incidents.js';
import { retractAlert, type TriageAction, triageAlert, triageIncident } from '../../../src/correlation/triage.js';
import { ALERT_STATUSES, type AlertStatus, type IncidentStatus } from '../../../src/domain/alerts.js';
import { alertFixture } from '../../helpers/alerts.js';

const AT = '2026-11-29T09:30:00.000Z';
const ANALYST = { objectId: '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21', userPrincipalName: 'secops-admin@contoso.example' };
const EARLIER_TRIAGE = { status: 'acknowledged', at: '2026-11-28T13:00:00.000Z', by: { objectId: 'someone-else' }, note: 'first look' } as const;

function alertIn(status: AlertStatus) {
  return alertFixture('a1', { status, ...(status === 'open' || status === 'suppressed' ? {} : { triage: { ...EARLIER_TRIAGE, status } }) });
}

describe('triageAlert', () => {
  it('moves open, acknowledged and suppressed alerts to resolved, and open ones to acknowledged, recording who, when and the note', () => {
    const moves: readonly [AlertStatus, TriageAction, AlertStatus][] = [
      ['open', 'acknowledge', 'acknowledged'],
      ['open', 'resolve', 'resolved'],
      ['acknowledged', 'resolve', 'resolved'],
      ['suppressed', 'resolve', 'resolved'],
    ];
    for (const [from, action, to] of moves) {
      const before = alertIn(from);
      const outcome = triageAlert(before, action, { by: ANALYST, at: AT, note: 'looking at the source IP' });
      assert.deepEqual(
        outcome,
        { alert: { ...before, status: to, triage: { status: to, at: AT, by: ANALYST, note: 'looking at the source IP' } }, changed: true },
        `${from} → ${action}`,
      );
    }
  });

  it('leaves an alert that has the status already as it is, earlier triage and all (asking twice is harmless)', () => {
    for (const [status, action] of [
      ['acknowledged', 'acknowledge'],
      ['resolved', 'resolve'],
    ] as const) {
      const before = alertIn(status);
      const outcome = triageAlert(before, action, { by: ANALYST, at: AT, note: 'again' });
      assert.deepEqual(outcome, { alert: before, changed: false });
      assert.ok('alert' in outcome && outcome.alert === before, 'the very alert: nothing to write');
    }
  });

  it('refuses to acknowledge a resolved alert, or a suppressed one (that would make later evidence notify)', () => {
    assert.deepEqual(triageAlert(alertIn('resolved'), 'acknowledge', { by: ANALYST, at: AT }), { refused: 'the alert is resolved already' });
    assert.deepEqual(triageAlert(alertIn('suppressed'), 'acknowledge', { by: ANALYST, at: AT }), {
      refused: 'a suppressed alert (a hit on a disabled decoy) notifies no one: resolve it instead',
    });
  });

  it('answers every status for every action (no status falls through the table)', () => {
    const answers = ALERT_STATUSES.flatMap((status) =>
      (['acknowledge', 'resolve'] as const).map((action) => {
        const outcome = triageAlert(alertIn(status), action, { by: ANALYST, at: AT });
        return `${status} ${action}: ${'refused' in outcome ? 'refused' : outcome.changed ? outcome.alert.status : 'unchanged'}`;
      }),
    );
    assert.deepEqual(answers, [
      'open acknowledge: acknowledged',
      'open resolve: resolved',
      'acknowledged acknowledge: unchanged',
      'acknowledged resolve: resolved',
      'resolved acknowledge: refused',
      'resolved resolve: unchanged',
      'suppressed acknowledge: refused',
      'suppressed resolve: resolved',
      'retracted acknowledge: refused',
      'retracted resolve: refused',
    ]);
  });

  it('retracts an alert of any status once, keeping its triage, and refuses to triage it after', () => {
    const retraction = {
      at: AT,
      reason: 'false alarm: the sign-in arrived late',
      evidence: { source: 'entra', type: 'SignInLogs', id: 'late', time: '2026-11-29T08:00:00.000Z' },
      lateByMinutes: 31,
    } as const;
    for (const status of ['open', 'acknowledged', 'resolved'] as const) {
      const before = alertIn(status);
      const outcome = retractAlert(before, retraction);
      assert.deepEqual(outcome, { alert: { ...before, status: 'retracted', retraction }, changed: true }, status);
      assert.deepEqual(retractAlert(outcome.alert, { ...retraction, at: 'later' }), { alert: outcome.alert, changed: false }, 'the first retraction stands');
      assert.match((triageAlert(outcome.alert, 'resolve', { by: ANALYST, at: AT }) as { refused: string }).refused, /retracted as a false alarm/);
    }
  });

  it('replaces an earlier triage record; leaves out a missing note and user name; keeps only who the caller is', () => {
    const before = alertIn('acknowledged');
    const caller = { objectId: 'app-sp-1', appId: 'client-app', roles: ['Lure.Admin'] };
    const outcome = triageAlert(before, 'resolve', { by: caller, at: AT });
    assert.ok('alert' in outcome);
    assert.deepEqual(outcome.alert.triage, { status: 'resolved', at: AT, by: { objectId: 'app-sp-1' } });
    assert.equal(before.status, 'acknowledged', 'the alert given is not changed');
    assert.deepEqual(before.triage, { ...EARLIER_TRIAGE });
  });
});

describe('triageIncident', () => {
  const incidentIn = (status: IncidentStatus) => ({
    ...withAlert(undefined, alertFixture('a1'), AT),
    status,
    ...(status === 'open' ? {} : { triage: { ...EARLIER_TRIAGE, status } }),
  });

  it('moves an open incident to acknowledged or resolved, and an acknowledged one to resolved, recording who, when and the note', () => {
    const moves: readonly [IncidentStatus, TriageAction, 'acknowledged' | 'resolved'][] = [
      ['open', 'acknowledge', 'acknowledged'],
      ['open', 'resolve', 'resolved'],
      ['acknowledged', 'resolve', 'resolved'],
    ];
    for (const [from, action, to] of moves) {
      const before = incidentIn(from);
      assert.deepEqual(
        triageIncident(before, action, { by: ANALYST, at: AT, note: 'one attacker, three detections' }),
        { incident: { ...before, status: to, triage: { status: to, at: AT, by: ANALYST, note: 'one attacker, three detections' } }, changed: true },
        `${from} → ${action}`,
      );
    }
  });

  it('leaves one with the status already as it is, and refuses to acknowledge a resolved one', () => {
    const acknowledged = incidentIn('acknowledged');
    assert.deepEqual(triageIncident(acknowledged, 'acknowledge', { by: ANALYST, at: AT }), { incident: acknowledged, changed: false });
    assert.deepEqual(triageIncident(incidentIn('resolved'), 'acknowledge', { by: ANALYST, at: AT }), { refused: 'the incident is resolved already' });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorKeysOf, escalated, incidentChanged, incidentToJoin, withAlert } from '../../../src/correlation/incidents.js';
import type { Alert, Incident } from '../../../src/domain/alerts.js';
import { ALERT_DETECTED_AT, alertFixture } from '../../helpers/alerts.js';

const NOW = ALERT_DETECTED_AT;
const alert = alertFixture;

function grouped(alerts: readonly Alert[]): Incident[] {
  const incidents: Incident[] = [];
  for (const next of alerts) {
    const joined = incidentToJoin(next, incidents);
    const updated = withAlert(joined, next, NOW);
    if (joined === undefined) incidents.push(updated);
    else incidents[incidents.indexOf(joined)] = updated;
  }
  return incidents;
}

describe('incidents', () => {
  it('recognise an actor by address, user, app, session and token, never mixing kinds', () => {
    const keys = actorKeysOf(
      alert('a', {
        actor: { ipAddress: '203.0.113.45', userId: 'U1', appId: 'A1', userPrincipalName: 'x@y' },
        token: { sessionId: 'S1', uniqueTokenId: 'T1' },
      }),
    );
    assert.deepEqual(keys.sort(), ['app:a1', 'ip:203.0.113.45', 'session:s1', 'token:t1', 'user:u1']);
    assert.deepEqual(actorKeysOf(alert('b', { actor: { servicePrincipalId: 'SP', appId: 'A' } })), ['app:sp']);
    // Microsoft Graph as the AppId of a mail read says nothing about who read it.
    assert.deepEqual(actorKeysOf(alert('c', { actor: { appId: '00000003-0000-0000-C000-000000000000', ipAddress: '192.0.2.1' } })), ['ip:192.0.2.1']);
  });

  it('join alerts sharing any actor key within 24 hours, and start a new incident past it', () => {
    const incidents = grouped([
      alert('a', { occurredAt: '2026-11-02T08:00:00.000Z', actor: { ipAddress: '203.0.113.45' } }),
      alert('b', { occurredAt: '2026-11-02T20:00:00.000Z', actor: { ipAddress: '198.51.100.7', userId: 'u-victim' }, token: { uniqueTokenId: 't1' } }),
      alert('c', { occurredAt: '2026-11-02T21:00:00.000Z', actor: { ipAddress: '203.0.113.45', userId: 'u-victim' } }),
      alert('d', { occurredAt: '2026-11-04T09:00:00.000Z', actor: { ipAddress: '203.0.113.45' } }),
      alert('e', { occurredAt: '2026-11-02T09:00:00.000Z', actor: { ipAddress: '192.0.2.1' } }),
    ]);
    // b shares nothing with a; c shares a's address (and b's user, but a's incident is older); d is two days on.
    assert.deepEqual(
      incidents.map((incident) => incident.alertIds),
      [['a', 'c'], ['b'], ['d'], ['e']],
    );
  });

  it('take the highest severity of their alerts, one step higher when two different detections agree', () => {
    const [single] = grouped([alert('a', { severity: 'high' }), alert('b', { severity: 'medium' })]);
    assert.equal(single!.severity, 'high');
    const [agreeing] = grouped([alert('a', { severity: 'high' }), alert('b', { severity: 'medium', detection: 'token.issuance.missing' })]);
    assert.equal(agreeing!.severity, 'critical');
    assert.deepEqual(agreeing!.detections, ['decoy.user.signIn', 'token.issuance.missing']);
    assert.equal(escalated('critical', 3), 'critical');
    assert.equal(escalated('medium', 1), 'medium');
  });

  it("keep their first and last event times and the founding alert's words", () => {
    const [incident] = grouped([alert('late', { occurredAt: '2026-11-02T10:00:00.000Z' }), alert('early', { occurredAt: '2026-11-02T07:00:00.000Z' })]);
    assert.deepEqual(
      [incident!.firstOccurredAt, incident!.lastOccurredAt, incident!.title, incident!.id],
      ['2026-11-02T07:00:00.000Z', '2026-11-02T10:00:00.000Z', 'alert late', 'inc-late'],
    );
  });

  it('stay unchanged when an alert already in them is joined again (a redelivery)', () => {
    const first = withAlert(undefined, alert('a'), NOW);
    const again = withAlert(first, alert('a'), '2026-11-28T13:00:00.000Z');
    assert.equal(incidentChanged(first, again), false);
    assert.equal(
      incidentToJoin(alert('a', { actor: { ipAddress: '10.0.0.1' }, occurredAt: '2026-12-25T00:00:00.000Z' }), [first])?.id,
      first.id,
      'an alert finds the incident that lists it',
    );
    assert.equal(incidentChanged(first, withAlert(first, alert('b', { severity: 'critical' }), NOW)), true);
  });

  it('open again when a new alert joins one acknowledged or resolved, and stay as decided on a redelivery', () => {
    const triage = { at: NOW, by: { objectId: 'analyst' }, note: 'red team' };
    for (const status of ['acknowledged', 'resolved'] as const) {
      const decided: Incident = { ...withAlert(undefined, alert('a'), NOW), status, triage: { ...triage, status } };
      const redelivered = withAlert(decided, alert('a'), NOW);
      assert.deepEqual([redelivered.status, redelivered.triage?.note, incidentChanged(decided, redelivered)], [status, 'red team', false], status);
      const reopened = withAlert(decided, alert('b'), NOW);
      assert.deepEqual([reopened.status, reopened.triage, incidentChanged(decided, reopened)], ['open', undefined, true], status);
    }
  });

  it('prefer the earliest-created incident when an alert could join two', () => {
    const older = { ...withAlert(undefined, alert('a', { actor: { ipAddress: '203.0.113.45' } }), '2026-11-28T10:00:00.000Z') };
    const newer = { ...withAlert(undefined, alert('b', { actor: { ipAddress: '198.51.100.7' } }), '2026-11-28T11:00:00.000Z') };
    const bridge = alert('c', { actor: { ipAddress: '198.51.100.7', userId: 'x' }, token: { uniqueTokenId: 't' } });
    assert.equal(incidentToJoin({ ...bridge, actor: { ipAddress: '203.0.113.45', userId: 'x' } }, [newer, older])?.id, older.id);
    assert.equal(incidentToJoin(bridge, [newer, older])?.id, newer.id);
  });
});

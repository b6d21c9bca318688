import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAlertLine } from '../../../src/alerting/formatAlertLine.js';
import type { Alert } from '../../../src/domain/alerts.js';

const alert: Alert = {
  id: '4be2a96a7639c2641d138eec82dff833',
  detection: 'decoy.user.signIn',
  severity: 'critical',
  title: 'Successful sign-in as decoy user svc-backup@contoso.example',
  summary: 'SignInLogs: sign-in as svc-backup@contoso.example from 203.0.113.45 succeeded.',
  occurredAt: '2026-11-02T08:14:03.123Z',
  detectedAt: '2026-11-28T12:00:00.000Z',
  decoyId: 'd-user-1',
  actor: { ipAddress: '203.0.113.45' },
  target: {},
  evidence: [],
  count: 2,
  dedupeKey: 'k',
  status: 'open',
};

describe('formatAlertLine', () => {
  it('puts severity, detection and title on one line, summary and identifiers on the next', () => {
    assert.equal(
      formatAlertLine(alert),
      '[CRITICAL] decoy.user.signIn  Successful sign-in as decoy user svc-backup@contoso.example\n' +
        '    SignInLogs: sign-in as svc-backup@contoso.example from 203.0.113.45 succeeded. (2 records, first at 2026-11-02T08:14:03.123Z, alert 4be2a96a7639c2641d138eec82dff833, decoy d-user-1)',
    );
  });

  it('marks suppressed alerts and colours only when asked', () => {
    const line = formatAlertLine({ ...alert, status: 'suppressed', severity: 'high', count: 1 });
    assert.match(line, /^\[suppressed HIGH\] .*\(1 record,/s);
    assert.ok(!line.includes('\u001b'), line);
    const coloured = formatAlertLine(alert, { colour: true });
    assert.ok(coloured.startsWith('\u001b[1;31m[CRITICAL]\u001b[0m '), coloured);
  });
});

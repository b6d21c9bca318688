import type { Alert, Severity } from '../../src/domain/alerts.js';
import type { Finding } from '../../src/domain/findings.js';

export const ALERT_DETECTED_AT = '2026-11-28T12:00:00.000Z';

/** An open alert with the given id as its dedupe key; tests override what they are about. */
export function alertFixture(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    detection: 'decoy.user.signIn',
    severity: 'high',
    title: `alert ${id}`,
    summary: 's',
    occurredAt: '2026-11-02T08:00:00.000Z',
    detectedAt: ALERT_DETECTED_AT,
    actor: { ipAddress: '203.0.113.45' },
    target: {},
    evidence: [],
    count: 1,
    dedupeKey: id,
    status: 'open',
    ...overrides,
  };
}

/** A decoy finding as a detection would raise it, for correlation tests. */
export function finding(overrides: { id: string; time: string; severity?: Severity; ip?: string; suppressed?: boolean; title?: string }): Finding {
  return {
    detection: 'decoy.user.signIn',
    severity: overrides.severity ?? 'high',
    title: overrides.title ?? `hit ${overrides.id}`,
    summary: `summary of ${overrides.id}`,
    subjectKey: 'd-user-1',
    decoyId: 'd-user-1',
    suppressed: overrides.suppressed ?? false,
    actor: { userPrincipalName: 'svc-backup@contoso.example', ipAddress: overrides.ip ?? '203.0.113.45' },
    target: { objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44' },
    evidence: { source: 'entra', type: 'SignInLogs', id: overrides.id, time: overrides.time },
  };
}

import type { Alert } from '../../src/domain/alerts.js';

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

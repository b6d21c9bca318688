import type { Alert, StoredAlert } from '../../../src/domain/alerts.js';
import type { DeadLetter } from '../../../src/domain/deadLetters.js';
import type { PendingTokenCheck, TokenIssuance } from '../../../src/domain/tokens.js';

/* Documents the store contracts write and read. */

/** Ids holding every character Table keys forbid, plus the ones message and item ids really carry. */
export const AWKWARD_IDS = [
  'a/b',
  'back\\slash',
  'hash#tag',
  'what?',
  'LgAAAA+/x/y==',
  '<msg@contoso.example>',
  'ctl\u0001\u007f',
  'é-ü-日本',
  'x'.repeat(900),
];

export function storedAlert(id: string, overrides: Partial<Alert> = {}): StoredAlert {
  const alert: Alert = {
    id,
    detection: 'decoy.user.signIn',
    severity: 'high',
    title: 'Sign-in attempt as decoy user svc-backup@contoso.example',
    summary: 'summary',
    occurredAt: '2026-11-02T08:14:03.123Z',
    detectedAt: '2026-11-28T12:00:00.000Z',
    decoyId: 'd-user-1',
    actor: { userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' },
    target: { objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44' },
    evidence: [{ source: 'entra', type: 'SignInLogs', id: 'e1', time: '2026-11-02T08:14:03.123Z' }],
    count: 1,
    dedupeKey: `decoy.user.signIn|d-user-1|x|${id}`,
    status: 'open',
    ...overrides,
  };
  return { alert, evidenceKeys: ['aaaaaaaaaaaa'], lead: { severity: alert.severity, time: alert.occurredAt, evidenceKey: 'aaaaaaaaaaaa' } };
}

export function deadLetter(id: string, receivedAt = '2026-11-28T12:00:00.000Z'): DeadLetter {
  return { id, receivedAt, origin: 'entra partition 0', reason: 'malformed-json', detail: 'malformed-json', excerpt: `{"broken": ${JSON.stringify(id)}` };
}

export function issuance(uti: string, issuedAt: string): TokenIssuance {
  return { uti, issuedAt, tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', category: 'SignInLogs', principal: 'svc@contoso.example' };
}

export function pendingCheck(uti: string, dueAt: string, recordId = `r-${uti}`): PendingTokenCheck {
  return {
    uti,
    source: 'graph',
    usedAt: '2026-11-02T08:00:00.000Z',
    issuedAt: '2026-11-02T07:59:00.000Z',
    appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
    resource: 'GET https://graph.microsoft.com/v1.0/me/messages',
    readsMail: true,
    touchesDecoy: false,
    actor: { userId: 'u1', ipAddress: '203.0.113.45' },
    token: { uniqueTokenId: uti },
    evidence: { source: 'entra', type: 'MicrosoftGraphActivityLogs', id: recordId, time: '2026-11-02T08:00:00.000Z' },
    dueAt,
  };
}

export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

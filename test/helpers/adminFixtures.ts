import assert from 'node:assert/strict';
import type { Services } from '../../src/app/services.js';
import { signInRecord, TENANT } from './records.js';

export const DECOY_USER_UPN = 'svc-payroll-export@contoso.example';

/** What the admin API tests find in a fresh store: a token decoy, a user decoy, and a real alert and incident. */
export interface AdminFixtures {
  readonly alertId: string;
  readonly incidentId: string;
}

/** Registers two decoys and ingests a sign-in to the user decoy, which raises an alert in an incident. */
export async function seedAdminFixtures(services: Services): Promise<AdminFixtures> {
  await services.importDecoys([
    { id: 'd-token-1', kind: 'token', enabled: true, kid: 'honey-kid-1', memo: 'planted in the build server' },
    { id: 'd-user-1', kind: 'user', enabled: true, userPrincipalName: DECOY_USER_UPN },
  ]);
  const report = await services.ingest([{ records: [signInRecord({ time: '2026-11-28T11:50:00.000Z', userPrincipalName: DECOY_USER_UPN, ipAddress: '203.0.113.77', tenantId: TENANT })] }], 'entra partition 0');
  const alert = report.alerts[0];
  assert.ok(alert !== undefined && alert.incidentId !== undefined, 'the fixture sign-in raises an alert in an incident');
  return { alertId: alert.id, incidentId: alert.incidentId };
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectoryAuditEvent } from '../../../src/domain/events.js';
import { fromEntraAudit } from '../../../src/normalize/fromEntraAudit.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';

// Our own records, shaped after formats.md §2.2: properties = Graph directoryAudit; envelope `callerIpAddress`
// often "<null>"; `Level`/`level` in either casing; no resultType; modifiedProperties values JSON-in-strings.
const TENANT = 'a1b2c3d4-0000-4000-8000-00000000aa01';

const credentialAdded = {
  // Different serialisation from activityDateTime (7-digit Z vs 6-digit +00:00), and here a little later.
  time: '2025-03-04T12:00:01.4567890Z',
  resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
  operationName: 'Update application – Certificates and secrets management ',
  operationVersion: '1.0',
  category: 'AuditLogs',
  tenantId: TENANT,
  resultSignature: 'None',
  durationMs: 0,
  callerIpAddress: '<null>',
  correlationId: 'cccccccc-0000-4000-8000-000000000001',
  Level: 4,
  properties: {
    id: 'Directory_LURE1_000000001',
    category: 'ApplicationManagement',
    correlationId: 'cccccccc-0000-4000-8000-000000000001',
    result: 'success',
    resultReason: '',
    activityDisplayName: 'Update application – Certificates and secrets management ',
    activityDateTime: '2025-03-04T11:59:58.123456+00:00',
    loggedByService: 'Core Directory',
    operationType: 'Update',
    initiatedBy: {
      user: {
        id: 'ad000000-0000-4000-8000-000000000001',
        displayName: null,
        userPrincipalName: 'attacker@contoso.example',
        ipAddress: '<null>',
      },
    },
    targetResources: [
      {
        id: 'app00000-0000-4000-8000-000000000001',
        displayName: 'lure-decoy-backup',
        type: 'Application',
        userPrincipalName: null,
        modifiedProperties: [
          {
            displayName: 'KeyDescription',
            oldValue: '[]',
            newValue: '["[KeyIdentifier=0ddba11a-9999-4999-8999-000000000001,KeyType=Password,KeyUsage=Verify,DisplayName=backup]"]',
          },
          { displayName: 'Included Updated Properties', oldValue: null, newValue: '"KeyDescription"' },
        ],
      },
    ],
    additionalDetails: [
      { key: 'User-Agent', value: 'Mozilla/5.0 (Lure test) Chrome/120' },
      { key: 'AppId', value: 'app11111-0000-4000-8000-000000000001' },
    ],
  },
};

describe('fromEntraAudit', () => {
  it('maps a user-initiated change exactly, with activityDateTime as event time', () => {
    const event = expectEvent(fromEntraAudit(credentialAdded), 'directoryAudit');
    const expected: DirectoryAuditEvent = {
      kind: 'directoryAudit',
      source: 'entra',
      recordType: 'AuditLogs',
      recordId: 'Directory_LURE1_000000001',
      time: '2025-03-04T11:59:58.123Z',
      tenantId: TENANT,
      activity: 'Update application – Certificates and secrets management',
      category: 'ApplicationManagement',
      operationType: 'Update',
      result: 'success',
      targets: [
        {
          id: 'app00000-0000-4000-8000-000000000001',
          type: 'Application',
          displayName: 'lure-decoy-backup',
          modifiedProperties: ['KeyDescription', 'Included Updated Properties'],
        },
      ],
      // Both IPs are "<null>": no IP at all.
      actor: {
        userPrincipalName: 'attacker@contoso.example',
        userId: 'ad000000-0000-4000-8000-000000000001',
        userAgent: 'Mozilla/5.0 (Lure test) Chrome/120',
      },
    };
    assert.deepEqual(event, expected);
    // Old and new values may describe secrets: never kept.
    assert.equal(JSON.stringify(event).includes('KeyIdentifier'), false);
  });

  it('uses the initiating user IP, then the envelope callerIpAddress', () => {
    const withUserIp = structuredClone(credentialAdded);
    withUserIp.properties.initiatedBy.user.ipAddress = '198.51.100.8';
    assert.equal(expectEvent(fromEntraAudit(withUserIp), 'directoryAudit').actor.ipAddress, '198.51.100.8');

    const withCallerIp = { ...structuredClone(credentialAdded), callerIpAddress: '2001:db8::1' };
    assert.equal(expectEvent(fromEntraAudit(withCallerIp), 'directoryAudit').actor.ipAddress, '2001:db8::1');
  });

  it('maps an app-initiated change (user: null, app: {...}) with lower-case level', () => {
    const record = {
      time: '2025-05-07T01:42:40.2820000Z',
      category: 'AuditLogs',
      operationName: 'Add service principal credentials',
      tenantId: TENANT,
      level: 'Informational',
      callerIpAddress: '<null>',
      properties: {
        id: 'Directory_LURE2_000000002',
        category: 'ApplicationManagement',
        result: 'failure',
        activityDisplayName: 'Add service principal credentials',
        activityDateTime: '2025-05-07T01:42:40.282+00:00',
        operationType: 'Update',
        initiatedBy: {
          user: null,
          app: {
            appId: 'ap000000-0000-4000-8000-000000000002',
            displayName: null,
            servicePrincipalId: 'sp000000-0000-4000-8000-000000000002',
            servicePrincipalName: null,
          },
        },
        targetResources: [
          { id: 'sp000000-0000-4000-8000-000000000003', type: 'ServicePrincipal', displayName: null, modifiedProperties: [] },
          { id: 'us000000-0000-4000-8000-000000000004', type: 'User', userPrincipalName: 'decoy.finance@contoso.example' },
        ],
        additionalDetails: [],
      },
    };
    const event = expectEvent(fromEntraAudit(record), 'directoryAudit');
    assert.equal(event.time, '2025-05-07T01:42:40.282Z');
    assert.equal(event.result, 'failure');
    assert.deepEqual(event.actor, { appId: 'ap000000-0000-4000-8000-000000000002', servicePrincipalId: 'sp000000-0000-4000-8000-000000000002' });
    assert.deepEqual(event.targets, [
      { id: 'sp000000-0000-4000-8000-000000000003', type: 'ServicePrincipal', modifiedProperties: [] },
      { id: 'us000000-0000-4000-8000-000000000004', type: 'User', userPrincipalName: 'decoy.finance@contoso.example', modifiedProperties: [] },
    ]);
  });

  it('maps a system-initiated change (initiatedBy {}) with an empty actor', () => {
    const record = {
      time: '2025-01-29T17:07:02.5860000Z',
      category: 'AuditLogs',
      operationName: 'Update StsRefreshTokenValidFrom Timestamp',
      Level: 4,
      callerIpAddress: '<null>',
      properties: {
        id: 'Directory_LURE3_000000003',
        activityDisplayName: 'Update StsRefreshTokenValidFrom Timestamp',
        activityDateTime: '2025-01-29T17:07:02.586+00:00',
        initiatedBy: {},
        targetResources: [{ id: 'us000000-0000-4000-8000-000000000004', type: 'User' }],
      },
    };
    const event = expectEvent(fromEntraAudit(record), 'directoryAudit');
    assert.deepEqual(event.actor, {});
    assert.equal(event.tenantId, undefined);
    assert.equal(event.category, undefined);
  });

  it('falls back to operationName for the activity and to the envelope time', () => {
    const record = {
      time: '2025-01-29T17:07:02.5861234Z',
      category: 'AuditLogs',
      operationName: 'Reset user password',
      properties: { id: 'Directory_LURE4', initiatedBy: {} },
    };
    const event = expectEvent(fromEntraAudit(record), 'directoryAudit');
    assert.equal(event.activity, 'Reset user password');
    assert.equal(event.time, '2025-01-29T17:07:02.586Z');
    assert.deepEqual(event.targets, []);
  });

  it('rejects a record without properties, time or activity', () => {
    expectSkip(fromEntraAudit({ time: '2025-01-01T00:00:00Z', category: 'AuditLogs' }), 'invalid-record');
    expectSkip(fromEntraAudit({ category: 'AuditLogs', operationName: 'x', properties: { activityDateTime: '<null>' } }), 'invalid-record');
    expectSkip(fromEntraAudit({ time: '2025-01-01T00:00:00Z', category: 'AuditLogs', properties: { id: 'no-activity' } }), 'invalid-record');
  });
});

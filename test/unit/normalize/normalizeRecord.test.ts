import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SIGN_IN_CATEGORIES } from '../../../src/domain/events.js';
import { normalizeRecord } from '../../../src/normalize/normalizeRecord.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';
import { isDeadLettered } from '../../../src/domain/skips.js';

// Our own minimal records, one per route (formats.md §1.2, §3.1, §3.4, §5.1).
const TIME = '2025-06-01T12:00:00.0000000Z';

function signIn(category: string): Record<string, unknown> {
  return {
    time: TIME,
    category,
    resultType: '0',
    level: '4',
    properties: { id: `id-${category}`, createdDateTime: '2025-06-01T11:59:00+00:00', status: { errorCode: 0 } },
  };
}

const jwt = `${Buffer.from('{"alg":"RS256","kid":"k1"}').toString('base64url')}.${Buffer.from('{"uti":"u1","iat":1748779200}').toString('base64url')}`;

describe('normalizeRecord: routing', () => {
  it('sends every Entra sign-in category to the sign-in mapper', () => {
    for (const category of SIGN_IN_CATEGORIES) {
      const event = expectEvent(normalizeRecord(signIn(category)), 'signIn');
      assert.equal(event.category, category);
      assert.equal(event.recordType, category);
      assert.equal(event.recordId, `id-${category}`);
      assert.equal(event.source, 'entra');
      assert.equal(event.time, '2025-06-01T11:59:00.000Z');
    }
  });

  it('sends AuditLogs to the directory-audit mapper', () => {
    const record = {
      time: TIME,
      category: 'AuditLogs',
      Level: 4,
      properties: { id: 'Directory_R1', activityDisplayName: 'Reset user password', activityDateTime: '2025-06-01T11:58:00.5+00:00' },
    };
    const event = expectEvent(normalizeRecord(record), 'directoryAudit');
    assert.equal(event.recordId, 'Directory_R1');
    assert.equal(event.time, '2025-06-01T11:58:00.500Z');
  });

  it('sends MicrosoftGraphActivityLogs to the Graph mapper', () => {
    const record = {
      time: TIME,
      category: 'MicrosoftGraphActivityLogs',
      properties: { requestId: 'g-1', timeGenerated: TIME, requestMethod: 'GET', requestUri: 'https://graph.microsoft.com/v1.0/me' },
    };
    const event = expectEvent(normalizeRecord(record), 'graphActivity');
    assert.equal(event.recordId, 'g-1');
  });

  it('sends TokenObservation to the token mapper', () => {
    const event = expectEvent(normalizeRecord({ time: TIME, category: 'TokenObservation', properties: { jwt } }), 'tokenObservation');
    assert.equal(event.claims.uti, 'u1');
    assert.equal(event.source, 'token');
  });

  it('sends AdvancedHunting-CloudAppEvents to the Defender mapper', () => {
    const record = {
      time: TIME,
      category: 'AdvancedHunting-CloudAppEvents',
      tenantId: 't-1',
      properties: {
        ActionType: 'MailItemsAccessed',
        ApplicationId: 20893,
        Timestamp: '2025-06-01T11:57:00Z',
        ReportId: 'rep-1',
        RawEventData: { Operation: 'MailItemsAccessed', RecordType: 50, OperationProperties: [{ Name: 'MailAccessType', Value: 'Sync' }] },
      },
    };
    const event = expectEvent(normalizeRecord(record), 'mailItemsAccessed');
    assert.equal(event.source, 'defender');
    assert.equal(event.recordId, 'rep-1');
    assert.equal(event.tenantId, 't-1');
    assert.equal(event.accessType, 'Sync');
  });

  it('sends other AdvancedHunting tables to the Defender mapper, which does not use them', () => {
    expectSkip(normalizeRecord({ time: TIME, category: 'AdvancedHunting-DeviceEvents', properties: {} }), 'table-not-used');
  });

  it('sends Management Activity API records by Workload', () => {
    const exchange = { CreationTime: '2025-06-01T11:56:00', Id: 'x-1', Operation: 'Send', RecordType: 2, Workload: 'Exchange' };
    const exchangeEvent = expectEvent(normalizeRecord(exchange), 'mailItemOperation');
    assert.equal(exchangeEvent.source, 'exchange');
    assert.equal(exchangeEvent.time, '2025-06-01T11:56:00.000Z');

    const aad = { CreationTime: '2025-06-01T11:55:00', Id: 'a-1', Operation: 'UserLoggedIn', RecordType: 15, Workload: 'AzureActiveDirectory' };
    const aadEvent = expectEvent(normalizeRecord(aad), 'signIn');
    assert.equal(aadEvent.category, 'AzureActiveDirectoryStsLogon');

    const directory = { CreationTime: '2025-06-01T11:55:00', Id: 'a-2', Operation: 'Update user.', RecordType: 8, Workload: 'AzureActiveDirectory' };
    expectEvent(normalizeRecord(directory), 'directoryAudit');
  });

  it('routes a Management Activity API record by Workload even when it has a Category of its own', () => {
    const record = {
      CreationTime: '2025-06-01T11:56:00',
      Id: 'x-2',
      Operation: 'MailItemsAccessed',
      RecordType: 50,
      Workload: 'Exchange',
      category: 'AuditLogs',
    };
    expectEvent(normalizeRecord(record), 'mailItemsAccessed');
  });
});

describe('normalizeRecord: skips', () => {
  it('marks known Entra categories Lure does not use as category-not-used (not dead-lettered)', () => {
    for (const category of [
      'UserRiskEvents',
      'RiskyUsers',
      'ProvisioningLogs',
      'GraphNotificationsActivityLogs',
      'RiskyServicePrincipals',
      'ServicePrincipalRiskEvents',
    ]) {
      const skipped = expectSkip(normalizeRecord({ time: TIME, category, Level: 'Information', properties: { id: 'x' } }), 'category-not-used');
      assert.equal(skipped.detail, category);
      assert.equal(isDeadLettered(skipped.skipped), false);
    }
  });

  it('marks unknown categories as unknown-category (dead-lettered)', () => {
    for (const category of ['OperationalLogs', 'Devices', 'signinlogs']) {
      const skipped = expectSkip(normalizeRecord({ time: TIME, category, properties: {} }), 'unknown-category');
      assert.equal(skipped.detail, category);
      assert.equal(isDeadLettered(skipped.skipped), true);
    }
  });

  it('marks Management Activity API records of other workloads as workload-not-used', () => {
    for (const workload of ['MicrosoftTeams', 'SecurityComplianceCenter', 'PowerBI']) {
      const skipped = expectSkip(
        normalizeRecord({ CreationTime: '2025-06-01T11:56:00', Id: 'w', Operation: 'Anything', RecordType: 6, Workload: workload }),
        'workload-not-used',
      );
      assert.equal(skipped.detail, workload);
    }
  });

  it('marks a record with category but no properties (Graph REST shape) as unrecognized-shape', () => {
    const graphRestAudit = {
      id: 'Directory_REST_1',
      category: 'UserManagement',
      activityDisplayName: 'Update user',
      activityDateTime: '2025-06-01T11:00:00Z',
      initiatedBy: { user: { userPrincipalName: 'admin@contoso.example' } },
      targetResources: [],
    };
    expectSkip(normalizeRecord(graphRestAudit), 'unrecognized-shape');
    expectSkip(normalizeRecord({ category: 'SignInLogs', id: 'x', createdDateTime: TIME }), 'unrecognized-shape');
  });

  it('marks a record with neither category nor Workload/Operation/RecordType as unrecognized-shape', () => {
    expectSkip(normalizeRecord({ id: 'x', createdDateTime: TIME, userPrincipalName: 'a@contoso.example' }), 'unrecognized-shape');
    expectSkip(normalizeRecord({ Workload: 'Exchange', Operation: 'Send' }), 'unrecognized-shape');
    expectSkip(normalizeRecord({}), 'unrecognized-shape');
  });

  it('marks non-objects as not-an-object, naming what they were', () => {
    assert.equal(expectSkip(normalizeRecord(null), 'not-an-object').detail, 'null');
    assert.equal(expectSkip(normalizeRecord([{ category: 'SignInLogs' }]), 'not-an-object').detail, 'array');
    assert.equal(expectSkip(normalizeRecord('{"category":"SignInLogs"}'), 'not-an-object').detail, 'string');
    assert.equal(expectSkip(normalizeRecord(42), 'not-an-object').detail, 'number');
    assert.equal(expectSkip(normalizeRecord(undefined), 'not-an-object').detail, 'undefined');
    assert.equal(expectSkip(normalizeRecord(true), 'not-an-object').detail, 'boolean');
  });

  it('reports invalid-record when a routed record cannot be read', () => {
    expectSkip(normalizeRecord({ time: TIME, category: 'SignInLogs', properties: null }), 'invalid-record');
    expectSkip(normalizeRecord({ category: 'AuditLogs', properties: { id: 'no-time', activityDisplayName: 'x' } }), 'invalid-record');
  });
});

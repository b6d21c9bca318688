import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectoryAuditEvent, SignInEvent } from '../../../src/domain/events.js';
import { fromAzureAdAudit } from '../../../src/normalize/fromAzureAdAudit.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';

// Our own Management Activity API records of the AzureActiveDirectory workload (formats.md §3.1): RecordType 15
// STS logons and RecordType 8 directory changes; PascalCase; CreationTime without a zone means UTC.
const ORG = 'a1b2c3d4-0000-4000-8000-00000000aa01';
const USER_OID = 'b0b0b0b0-3333-4333-8333-000000000001';
const UPN = 'decoy.finance@contoso.example';
const OFFICE_HOME = '4765445b-32c6-49b0-83e6-1d93765276ca';
const EXCHANGE_RESOURCE = '00000002-0000-0ff1-ce00-000000000000';

const loggedIn = {
  CreationTime: '2025-04-01T08:59:26',
  Id: 'aa11aa11-0000-4000-8000-000000000001',
  Operation: 'UserLoggedIn',
  OrganizationId: ORG,
  RecordType: 15,
  ResultStatus: 'Success',
  UserKey: '10030000A9F382C6',
  UserType: 0,
  Version: 1,
  Workload: 'AzureActiveDirectory',
  ClientIP: '198.51.100.31',
  ObjectId: EXCHANGE_RESOURCE,
  UserId: UPN,
  AzureActiveDirectoryEventType: 1,
  ExtendedProperties: [
    { Name: 'ResultStatusDetail', Value: 'Redirect' },
    { Name: 'UserAgent', Value: 'Mozilla/5.0 (X11; Linux x86_64) LureTest/2.0' },
    { Name: 'RequestType', Value: 'OAuth2:Authorize' },
  ],
  ModifiedProperties: [],
  Actor: [
    { ID: USER_OID, Type: 0 },
    { ID: UPN, Type: 5 },
    { ID: '10030000A9F382C6', Type: 3 },
  ],
  ActorContextId: ORG,
  ActorIpAddress: '198.51.100.30',
  Target: [{ ID: EXCHANGE_RESOURCE, Type: 0 }],
  ApplicationId: OFFICE_HOME,
  DeviceProperties: [
    { Name: 'OS', Value: 'Linux' },
    { Name: 'SessionId', Value: '5e551011-dddd-4ddd-8ddd-000000000001' },
  ],
};

describe('fromAzureAdAudit: STS logons (RecordType 15)', () => {
  it('maps UserLoggedIn exactly as a sign-in', () => {
    const event = expectEvent(fromAzureAdAudit(loggedIn), 'signIn');
    const expected: SignInEvent = {
      kind: 'signIn',
      source: 'exchange',
      recordType: 'UserLoggedIn',
      recordId: 'aa11aa11-0000-4000-8000-000000000001',
      time: '2025-04-01T08:59:26.000Z',
      tenantId: ORG,
      category: 'AzureActiveDirectoryStsLogon',
      succeeded: true,
      errorCode: 0,
      resourceId: EXCHANGE_RESOURCE,
      actor: {
        userPrincipalName: UPN,
        userId: USER_OID,
        appId: OFFICE_HOME,
        // ActorIpAddress before ClientIP.
        ipAddress: '198.51.100.30',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) LureTest/2.0',
      },
      token: { sessionId: '5e551011-dddd-4ddd-8ddd-000000000001' },
    };
    assert.deepEqual(event, expected);
  });

  it('maps UserLoginFailed with a string ErrorNumber as a failed sign-in', () => {
    const record = {
      ...loggedIn,
      Id: 'aa11aa11-0000-4000-8000-000000000002',
      Operation: 'UserLoginFailed',
      ErrorNumber: '50126',
      LogonError: 'InvalidUserNameOrPassword',
      ActorIpAddress: undefined,
      ClientIP: '[2001:db8::7]:443',
    };
    const event = expectEvent(fromAzureAdAudit(record), 'signIn');
    assert.equal(event.recordType, 'UserLoginFailed');
    assert.equal(event.succeeded, false);
    assert.equal(event.errorCode, 50126);
    assert.equal(event.failureReason, 'InvalidUserNameOrPassword');
    assert.equal(event.actor.ipAddress, '2001:db8::7');
  });

  it('treats UserLoggedIn with a non-zero ErrorNumber as a failure', () => {
    const event = expectEvent(fromAzureAdAudit({ ...loggedIn, ErrorNumber: 50140 }), 'signIn');
    assert.equal(event.succeeded, false);
    assert.equal(event.errorCode, 50140);
  });

  it('leaves the error code absent on a failed logon without ErrorNumber', () => {
    const event = expectEvent(fromAzureAdAudit({ ...loggedIn, Operation: 'UserLoginFailed' }), 'signIn');
    assert.equal(event.succeeded, false);
    assert.equal(event.errorCode, undefined);
  });
});

describe('fromAzureAdAudit: directory changes (RecordType 8)', () => {
  it('maps a user update exactly: typed ids, UPN targets, modified property names, trailing dot dropped', () => {
    const target = 'c0c0c0c0-4444-4444-8444-000000000001';
    const record = {
      CreationTime: '2025-04-02T14:18:19',
      Id: 'bb22bb22-0000-4000-8000-000000000001',
      Operation: 'Update user.',
      OrganizationId: ORG,
      RecordType: 8,
      ResultStatus: 'Success',
      UserKey: '10030000A9F382C6@contoso.example',
      UserType: 0,
      Workload: 'AzureActiveDirectory',
      ObjectId: UPN,
      UserId: 'admin@contoso.example',
      ExtendedProperties: [
        { Name: 'additionalDetails', Value: '{"UserType":"Member"}' },
        { Name: 'extendedAuditEventCategory', Value: 'User' },
      ],
      ModifiedProperties: [
        { Name: 'StrongAuthenticationMethod', NewValue: '[]', OldValue: '[]' },
        { Name: 'Included Updated Properties', NewValue: 'StrongAuthenticationMethod', OldValue: '' },
      ],
      Actor: [
        { ID: 'admin@contoso.example', Type: 5 },
        { ID: '10030000A9F382C6', Type: 3 },
        { ID: 'User_AD00AD00-5555-4555-8555-000000000001', Type: 2 },
        { ID: 'ad00ad00-5555-4555-8555-000000000001', Type: 2 },
        { ID: 'User', Type: 2 },
      ],
      ActorIpAddress: '<null>',
      ClientIP: '203.0.113.90',
      Target: [
        { ID: `User_${target}`, Type: 2 },
        { ID: target, Type: 2 },
        { ID: 'User', Type: 2 },
        { ID: UPN, Type: 5 },
      ],
    };
    const event = expectEvent(fromAzureAdAudit(record), 'directoryAudit');
    const modifiedProperties = ['StrongAuthenticationMethod', 'Included Updated Properties'];
    const expected: DirectoryAuditEvent = {
      kind: 'directoryAudit',
      source: 'exchange',
      recordType: 'Update user.',
      recordId: 'bb22bb22-0000-4000-8000-000000000001',
      time: '2025-04-02T14:18:19.000Z',
      tenantId: ORG,
      activity: 'Update user',
      category: 'User',
      result: 'Success',
      targets: [
        { id: target, type: 'User', modifiedProperties },
        { userPrincipalName: UPN, modifiedProperties },
      ],
      actor: {
        userPrincipalName: 'admin@contoso.example',
        userId: 'ad00ad00-5555-4555-8555-000000000001',
        ipAddress: '203.0.113.90',
      },
    };
    // ObjectId names the same user by UPN as Target does: it is one target, listed once.
    assert.deepEqual(event, expected);
  });

  it('names a service-principal actor by servicePrincipalId, not userId', () => {
    const record = {
      CreationTime: '2025-04-03T10:41:35',
      Id: 'bb22bb22-0000-4000-8000-000000000002',
      Operation: 'Add service principal credentials.',
      RecordType: 8,
      Workload: 'AzureActiveDirectory',
      ResultStatus: 'Success',
      UserId: 'ServicePrincipal_5f5f5f5f-6666-4666-8666-000000000001',
      ObjectId: 'ServicePrincipal_6a6a6a6a-7777-4777-8777-000000000001',
      Actor: [
        { ID: 'lure-automation', Type: 1 },
        { ID: 'ServicePrincipal_5f5f5f5f-6666-4666-8666-000000000001', Type: 2 },
      ],
      Target: [],
    };
    const event = expectEvent(fromAzureAdAudit(record), 'directoryAudit');
    assert.deepEqual(event.actor, { servicePrincipalId: '5f5f5f5f-6666-4666-8666-000000000001' });
    assert.deepEqual(event.targets, [{ id: '6a6a6a6a-7777-4777-8777-000000000001', type: 'ServicePrincipal', modifiedProperties: [] }]);
    assert.equal(event.activity, 'Add service principal credentials');
  });
});

describe('fromAzureAdAudit: what is not used or not readable', () => {
  it('skips other record types as operation-not-used', () => {
    expectSkip(fromAzureAdAudit({ ...loggedIn, RecordType: 9, Operation: 'SomethingElse' }), 'operation-not-used');
  });

  it('rejects records without an Operation or a readable CreationTime', () => {
    expectSkip(fromAzureAdAudit({ ...loggedIn, Operation: '' }), 'invalid-record');
    expectSkip(fromAzureAdAudit({ ...loggedIn, CreationTime: 'soon' }), 'invalid-record');
  });
});

describe('fromAzureAdAudit identities', () => {
  const consent = {
    CreationTime: '2025-11-18T19:56:44',
    Id: 'cc11cc11-0000-4000-8000-000000000001',
    Operation: 'Consent to application.',
    OrganizationId: ORG,
    RecordType: 8,
    ResultStatus: 'Success',
    UserType: 0,
    Workload: 'AzureActiveDirectory',
    ObjectId: '6a6a6a6a-7777-4777-8777-000000000002',
    UserId: UPN,
    Actor: [
      { ID: UPN, Type: 5 },
      { ID: 'Azure ESTS Service', Type: 1 },
      { ID: 'e5e5e5e5-0000-4000-8000-000000000009', Type: 2 },
      { ID: `User_${USER_OID}`, Type: 2 },
      { ID: USER_OID, Type: 2 },
    ],
    Target: [
      { ID: 'ServicePrincipal_6a6a6a6a-7777-4777-8777-000000000001', Type: 2 },
      { ID: '6a6a6a6a-7777-4777-8777-000000000001', Type: 2 },
      { ID: '6a6a6a6a-7777-4777-8777-000000000002', Type: 2 },
      { ID: UPN, Type: 5 },
    ],
    ModifiedProperties: [{ Name: 'ConsentContext.IsAdminConsent', NewValue: 'False', OldValue: '' }],
  };

  it('takes the actor from the type-qualified id, not a bare GUID listed before it', () => {
    const event = expectEvent(fromAzureAdAudit(consent), 'directoryAudit');
    assert.equal(event.actor.userId, USER_OID);
    assert.equal(event.actor.userPrincipalName, UPN);
  });

  it('names each target once, even when Target and ObjectId repeat it', () => {
    const event = expectEvent(fromAzureAdAudit(consent), 'directoryAudit');
    assert.deepEqual(event.targets, [
      { id: '6a6a6a6a-7777-4777-8777-000000000001', type: 'ServicePrincipal', modifiedProperties: ['ConsentContext.IsAdminConsent'] },
      { id: '6a6a6a6a-7777-4777-8777-000000000002', modifiedProperties: ['ConsentContext.IsAdminConsent'] },
      { userPrincipalName: UPN, modifiedProperties: ['ConsentContext.IsAdminConsent'] },
    ]);
  });
});

describe('fromAzureAdAudit actor types', () => {
  it('reads a bare GUID typed by a separate "ServicePrincipal" entry as a service principal', () => {
    const record = {
      CreationTime: '2025-06-01T10:00:00',
      Id: 'dd11dd11-0000-4000-8000-000000000001',
      Operation: 'Update application – Certificates and secrets management ',
      OrganizationId: ORG,
      RecordType: 8,
      ResultStatus: 'Success',
      UserType: 4,
      Workload: 'AzureActiveDirectory',
      UserId: 'ServicePrincipal_7e7e7e7e',
      Actor: [
        { ID: 'Lure Rotation', Type: 1 },
        { ID: '7e7e7e7e-0000-4000-8000-000000000001', Type: 2 },
        { ID: 'ServicePrincipal', Type: 2 },
      ],
      Target: [{ ID: 'Application_8f8f8f8f-0000-4000-8000-000000000001', Type: 2 }],
    };
    const event = expectEvent(fromAzureAdAudit(record), 'directoryAudit');
    assert.deepEqual(event.actor, { servicePrincipalId: '7e7e7e7e-0000-4000-8000-000000000001' });
    assert.deepEqual(event.targets, [{ id: '8f8f8f8f-0000-4000-8000-000000000001', type: 'Application', modifiedProperties: [] }]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MailItemsAccessedEvent } from '../../../src/domain/events.js';
import { fromDefenderStreaming } from '../../../src/normalize/fromDefenderStreaming.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';

// Our own Defender XDR streaming records (formats.md §3.4): category AdvancedHunting-<Table>, PascalCase
// Advanced Hunting columns, RawEventData = the Management Activity API record (object or JSON string).
const TENANT = 'a1b2c3d4-0000-4000-8000-00000000aa01';
const CLOUD_APP_EVENTS = 'AdvancedHunting-CloudAppEvents';
const OWNER = 'decoy.finance@contoso.example';
const FOLDER = 'LgAAAACLureDefenderInbox';

const raw = {
  AppId: 'ab000000-0000-4000-8000-000000000020',
  ClientAppId: 'cb000000-0000-4000-8000-000000000020',
  ClientIPAddress: '2001:db8:aa::20',
  ClientInfoString: 'Client=REST;Client=RESTSystem;;',
  CreationTime: '2025-05-03T11:23:17Z',
  ExternalAccess: false,
  Folders: [
    {
      Id: FOLDER,
      Path: '\\Inbox',
      FolderItems: [
        { Id: 'RgAAAACLureDefItem1', InternetMessageId: '<def-1@contoso.example>', SizeInBytes: 10 },
        { Id: 'RgAAAACLureDefItem2', InternetMessageId: '<def-2@contoso.example>', SizeInBytes: 20 },
      ],
    },
  ],
  Id: 'dd00dd00-0000-4000-8000-000000000020',
  LogonType: 0,
  MailboxGuid: '0b0b0b0b-0000-4000-8000-000000000020',
  MailboxOwnerUPN: OWNER,
  Operation: 'MailItemsAccessed',
  OperationCount: 2,
  OperationProperties: [
    { Name: 'MailAccessType', Value: 'Bind' },
    { Name: 'IsThrottled', Value: 'False' },
  ],
  OrganizationId: TENANT,
  RecordType: 50,
  ResultStatus: 'Succeeded',
  UserId: OWNER,
  UserType: 5,
  Workload: 'Exchange',
};

function cloudAppEvent(properties: Record<string, unknown>): Record<string, unknown> {
  return {
    time: '2025-05-03T11:29:06.6566759Z',
    tenantId: TENANT,
    operationName: 'Publish',
    category: CLOUD_APP_EVENTS,
    _TimeReceivedBySvc: '2025-05-03T11:27:41.2820000Z',
    properties: {
      ActionType: 'MailItemsAccessed',
      ApplicationId: 20893,
      Application: 'Microsoft Exchange Online',
      AccountObjectId: null,
      AccountId: 'ab000000-0000-4000-8000-000000000020',
      IPAddress: '2001:db8:aa::20',
      UserAgent: 'Client=REST;Client=RESTSystem;;',
      ReportId: 'report-20893-0001',
      Timestamp: '2025-05-03T11:23:17Z',
      ...properties,
    },
    Tenant: 'DefaultTenant',
  };
}

const expectedBind: MailItemsAccessedEvent = {
  kind: 'mailItemsAccessed',
  source: 'defender',
  recordType: 'MailItemsAccessed',
  recordId: 'dd00dd00-0000-4000-8000-000000000020',
  time: '2025-05-03T11:23:17.000Z',
  tenantId: TENANT,
  // UserType 5: an application acted; UserId names the mailbox, so the actor is the app, not the owner.
  actor: {
    appId: 'ab000000-0000-4000-8000-000000000020',
    ipAddress: '2001:db8:aa::20',
    userAgent: 'Client=REST;Client=RESTSystem;;',
  },
  operation: 'MailItemsAccessed',
  mailbox: { ownerUpn: OWNER, guid: '0b0b0b0b-0000-4000-8000-000000000020' },
  clientInfoString: 'Client=REST;Client=RESTSystem;;',
  clientAppId: 'cb000000-0000-4000-8000-000000000020',
  accessType: 'Bind',
  folders: [
    {
      id: FOLDER,
      path: '\\Inbox',
      items: [
        { internetMessageId: '<def-1@contoso.example>', itemId: 'RgAAAACLureDefItem1', folderId: FOLDER },
        { internetMessageId: '<def-2@contoso.example>', itemId: 'RgAAAACLureDefItem2', folderId: FOLDER },
      ],
    },
  ],
  throttled: false,
  operationCount: 2,
};

describe('fromDefenderStreaming: CloudAppEvents of Exchange Online', () => {
  it('maps RawEventData given as an object exactly, with source "defender"', () => {
    const event = expectEvent(fromDefenderStreaming(cloudAppEvent({ RawEventData: raw }), CLOUD_APP_EVENTS), 'mailItemsAccessed');
    assert.deepEqual(event, expectedBind);
  });

  it('maps RawEventData given as a JSON string the same way', () => {
    const event = expectEvent(fromDefenderStreaming(cloudAppEvent({ RawEventData: JSON.stringify(raw) }), CLOUD_APP_EVENTS), 'mailItemsAccessed');
    assert.deepEqual(event, expectedBind);
  });

  it('identifies Exchange by ApplicationId 20893 when RawEventData has no Workload, and fills gaps from the AH columns', () => {
    const { Workload: _workload, Id: _id, CreationTime: _creation, ClientIPAddress: _ip, OrganizationId: _org, ...partial } = raw;
    const record = cloudAppEvent({ RawEventData: partial, Application: undefined, IPAddress: '192.0.2.200', Timestamp: '2025-05-03T11:23:18.5Z' });
    const event = expectEvent(fromDefenderStreaming(record, CLOUD_APP_EVENTS), 'mailItemsAccessed');
    assert.deepEqual(event, {
      ...expectedBind,
      recordId: 'report-20893-0001',
      time: '2025-05-03T11:23:18.500Z',
      tenantId: TENANT,
      actor: { ...expectedBind.actor, ipAddress: '192.0.2.200' },
    });
  });

  it('identifies Exchange by ApplicationId given as a string, or by the Application name', () => {
    const { Workload: _workload, ...noWorkload } = raw;
    const byStringId = cloudAppEvent({ RawEventData: noWorkload, ApplicationId: '20893', Application: null });
    assert.equal(expectEvent(fromDefenderStreaming(byStringId, CLOUD_APP_EVENTS), 'mailItemsAccessed').recordId, raw.Id);
    const byName = cloudAppEvent({ RawEventData: noWorkload, ApplicationId: null });
    assert.equal(expectEvent(fromDefenderStreaming(byName, CLOUD_APP_EVENTS), 'mailItemsAccessed').recordId, raw.Id);
  });

  it('maps a Send with the ClientIPAddress trailing space removed', () => {
    const send = {
      ...raw,
      Operation: 'Send',
      RecordType: 2,
      Id: 'dd00dd00-0000-4000-8000-000000000021',
      ClientIP: '192.0.2.21',
      ClientIPAddress: '192.0.2.21 ',
      Item: {
        Id: 'RgAAAACLureSend',
        ImmutableId: 'ErrorDuringIdConversion',
        InternetMessageId: '<send-1@contoso.example>',
        ParentFolder: { Id: 'LgAAAACLureDrafts', Path: '\\Drafts' },
      },
    };
    const event = expectEvent(fromDefenderStreaming(cloudAppEvent({ ActionType: 'Send', RawEventData: send }), CLOUD_APP_EVENTS), 'mailItemOperation');
    assert.equal(event.source, 'defender');
    assert.equal(event.actor.ipAddress, '192.0.2.21');
    assert.deepEqual(event.items, [{ internetMessageId: '<send-1@contoso.example>', itemId: 'RgAAAACLureSend', folderId: 'LgAAAACLureDrafts' }]);
  });

  it('routes an AzureActiveDirectory raw record to the directory mapper, still as source "defender"', () => {
    const logon = {
      CreationTime: '2025-05-03T12:00:00',
      Id: 'dd00dd00-0000-4000-8000-000000000022',
      Operation: 'UserLoggedIn',
      RecordType: 15,
      Workload: 'AzureActiveDirectory',
      UserId: OWNER,
      ApplicationId: '4765445b-32c6-49b0-83e6-1d93765276ca',
    };
    const record = cloudAppEvent({ ActionType: 'UserLoggedIn', ApplicationId: 12260, Application: 'Microsoft Azure', RawEventData: logon });
    const event = expectEvent(fromDefenderStreaming(record, CLOUD_APP_EVENTS), 'signIn');
    assert.equal(event.source, 'defender');
    assert.equal(event.category, 'AzureActiveDirectoryStsLogon');
    assert.equal(event.recordId, 'dd00dd00-0000-4000-8000-000000000022');
  });
});

describe('fromDefenderStreaming: records Lure does not use', () => {
  it('skips a CloudAppEvents record of another cloud app (no Workload, not Exchange)', () => {
    const record = cloudAppEvent({
      ActionType: 'activity',
      ApplicationId: 11770,
      Application: 'Google Workspace',
      RawEventData: { kind: 'admin#reports#activity', events: [{ name: 'activity' }] },
    });
    const skipped = expectSkip(fromDefenderStreaming(record, CLOUD_APP_EVENTS), 'workload-not-used');
    assert.match(skipped.detail, /Google Workspace/);
  });

  it('skips a CloudAppEvents record whose raw record is another workload', () => {
    const record = cloudAppEvent({
      ActionType: 'MessageSent',
      ApplicationId: 11394,
      Application: 'Microsoft Teams',
      RawEventData: { ...raw, Workload: 'MicrosoftTeams', Operation: 'MessageSent', RecordType: 25 },
    });
    expectSkip(fromDefenderStreaming(record, CLOUD_APP_EVENTS), 'workload-not-used');
  });

  it('skips other Advanced Hunting tables', () => {
    const record = { time: '2025-05-03T11:29:06Z', category: 'AdvancedHunting-EmailEvents', properties: { NetworkMessageId: 'x' } };
    expectSkip(fromDefenderStreaming(record, 'AdvancedHunting-EmailEvents'), 'table-not-used');
  });

  it('rejects CloudAppEvents without properties or RawEventData', () => {
    expectSkip(fromDefenderStreaming({ category: CLOUD_APP_EVENTS }, CLOUD_APP_EVENTS), 'invalid-record');
    expectSkip(fromDefenderStreaming(cloudAppEvent({ RawEventData: null }), CLOUD_APP_EVENTS), 'invalid-record');
    expectSkip(fromDefenderStreaming(cloudAppEvent({ RawEventData: '{"truncated":' }), CLOUD_APP_EVENTS), 'invalid-record');
  });
});

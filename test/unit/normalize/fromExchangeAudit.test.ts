import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MailboxChangeEvent, MailItemOperationEvent, MailItemsAccessedEvent } from '../../../src/domain/events.js';
import { fromExchangeAudit } from '../../../src/normalize/fromExchangeAudit.js';
import { expectEvent, expectMappedEvent, expectSkip } from '../../helpers/outcomes.js';

// Our own Management Activity API records, shaped after formats.md §3: PascalCase, CreationTime without a
// zone (UTC), OperationProperties [{Name, Value}] with string booleans in any order, ClientIP with a port,
// ClientIPAddress with a trailing space, ExternalAccess as "False", AppAccessContext {} or {"APIId":""}.
const ORG = 'a1b2c3d4-0000-4000-8000-00000000aa01';
const OWNER = 'decoy.finance@contoso.example';
const MAILBOX_GUID = '0b0b0b0b-0000-4000-8000-000000000001';
const INBOX = 'LgAAAACLureInboxFolderIdAAAAAAAAAAAEMAAAB';

const bind = {
  AppAccessContext: {
    AADSessionId: '5e551011-aaaa-4aaa-8aaa-000000000001',
    APIId: '00000003-0000-0000-c000-000000000000',
    ClientAppId: 'ca000000-0000-4000-8000-000000000001',
    ClientAppName: 'Unexpected Mail Client',
    CorrelationId: 'c0c0c0c0-aaaa-4aaa-8aaa-000000000001',
    IssuedAtTime: '2025-03-05T06:58:00',
    UniqueTokenId: 'ExoTokenEEEEEEEEEEEEEE',
  },
  CreationTime: '2025-03-05T07:09:33',
  Id: 'e0e0e0e0-0000-4000-8000-000000000001',
  Operation: 'MailItemsAccessed',
  OrganizationId: ORG,
  RecordType: 50,
  ResultStatus: 'Succeeded',
  UserKey: '1003000012345678',
  UserType: 0,
  Version: 1,
  Workload: 'Exchange',
  UserId: 'reader@contoso.example',
  AppId: 'ca000000-0000-4000-8000-000000000001',
  ClientAppId: '',
  ClientIPAddress: '203.0.113.66 ',
  ClientInfoString: 'Client=REST;Client=RESTSystem;;',
  ExternalAccess: 'False',
  InternalLogonType: 0,
  LogonType: 2,
  MailboxGuid: MAILBOX_GUID,
  MailboxOwnerUPN: OWNER,
  // Order is not guaranteed: IsThrottled first here.
  OperationProperties: [
    { Name: 'IsThrottled', Value: 'False' },
    { Name: 'MailAccessType', Value: 'Bind' },
  ],
  OriginatingServer: 'LURE01 (15.20.4200.000)\r\n',
  TokenObjectId: 'ad000000-0000-4000-8000-000000000009',
  TokenTenantId: ORG,
  Folders: [
    {
      Id: INBOX,
      Path: '\\Boîte de réception',
      FolderItems: [
        { Id: 'RgAAAACLureItem1', ImmutableId: 'LgAAAACLureImmutable1', InternetMessageId: '<decoy-1@contoso.example>', SizeInBytes: 1234 },
        { Id: 'RgAAAACLureItem2', ImmutableId: 'ErrorDuringIdConversion', InternetMessageId: '<decoy-2@contoso.example>', SizeInBytes: 99 },
        { InternetMessageId: '<only-imid@contoso.example>' },
      ],
    },
  ],
  OperationCount: 3,
};

describe('fromExchangeAudit: MailItemsAccessed', () => {
  it('maps a Bind record exactly', () => {
    const event = expectEvent(fromExchangeAudit(bind), 'mailItemsAccessed');
    const expected: MailItemsAccessedEvent = {
      kind: 'mailItemsAccessed',
      source: 'exchange',
      recordType: 'MailItemsAccessed',
      recordId: 'e0e0e0e0-0000-4000-8000-000000000001',
      // No zone on CreationTime: UTC.
      time: '2025-03-05T07:09:33.000Z',
      tenantId: ORG,
      actor: {
        userPrincipalName: 'reader@contoso.example',
        userId: 'ad000000-0000-4000-8000-000000000009',
        appId: 'ca000000-0000-4000-8000-000000000001',
        // Trailing space dropped.
        ipAddress: '203.0.113.66',
        userAgent: 'Client=REST;Client=RESTSystem;;',
      },
      token: {
        uniqueTokenId: 'ExoTokenEEEEEEEEEEEEEE',
        sessionId: '5e551011-aaaa-4aaa-8aaa-000000000001',
        issuedAt: '2025-03-05T06:58:00.000Z',
        tenantId: ORG,
      },
      operation: 'MailItemsAccessed',
      mailbox: { ownerUpn: OWNER, guid: MAILBOX_GUID },
      clientInfoString: 'Client=REST;Client=RESTSystem;;',
      // ClientAppId "" is absent: AppAccessContext.ClientAppId fills in.
      clientAppId: 'ca000000-0000-4000-8000-000000000001',
      accessType: 'Bind',
      folders: [
        {
          id: INBOX,
          path: '\\Boîte de réception',
          items: [
            { internetMessageId: '<decoy-1@contoso.example>', itemId: 'RgAAAACLureItem1', immutableId: 'LgAAAACLureImmutable1', folderId: INBOX },
            // ImmutableId "ErrorDuringIdConversion" is dropped, not kept as an id.
            { internetMessageId: '<decoy-2@contoso.example>', itemId: 'RgAAAACLureItem2', folderId: INBOX },
            { internetMessageId: '<only-imid@contoso.example>', folderId: INBOX },
          ],
        },
      ],
      throttled: false,
      operationCount: 3,
    };
    assert.deepEqual(event, expected);
  });

  it('maps a Sync record by an application (UserType 5): token object id is the service principal', () => {
    const record = {
      ...bind,
      Id: 'e0e0e0e0-0000-4000-8000-000000000002',
      UserType: 5,
      UserId: 'S-1-5-21-000-000-000-1000',
      ExternalAccess: false,
      ClientAppId: 'cb000000-0000-4000-8000-000000000002',
      OperationProperties: [
        { Name: 'MailAccessType', Value: 'Sync' },
        { Name: 'IsThrottled', Value: 'True' },
      ],
      Folders: [{ Id: INBOX, Path: '\\Inbox' }],
      OperationCount: 1,
    };
    const event = expectEvent(fromExchangeAudit(record), 'mailItemsAccessed');
    assert.equal(event.accessType, 'Sync');
    assert.equal(event.throttled, true);
    assert.deepEqual(event.folders, [{ id: INBOX, path: '\\Inbox', items: [] }]);
    assert.deepEqual(event.actor, {
      servicePrincipalId: 'ad000000-0000-4000-8000-000000000009',
      appId: 'ca000000-0000-4000-8000-000000000001',
      ipAddress: '203.0.113.66',
      userAgent: 'Client=REST;Client=RESTSystem;;',
    });
    assert.equal(event.clientAppId, 'cb000000-0000-4000-8000-000000000002');
  });

  it('reads MailAccessType in any case', () => {
    const record = { ...bind, OperationProperties: [{ Name: 'mailaccesstype', Value: 'sync' }] };
    assert.equal(expectEvent(fromExchangeAudit(record), 'mailItemsAccessed').accessType, 'Sync');
  });

  it('reads OperationProperties with only MailAccessType', () => {
    const record = { ...bind, OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }] };
    const event = expectEvent(fromExchangeAudit(record), 'mailItemsAccessed');
    assert.equal(event.accessType, 'Bind');
    assert.equal(event.throttled, undefined);
  });

  it('has no token context when AppAccessContext is {} or {"APIId":""} and no TokenTenantId', () => {
    const { TokenTenantId: _tenant, ...withoutTokenTenant } = bind;
    for (const context of [{}, { APIId: '' }]) {
      const event = expectMappedEvent(fromExchangeAudit({ ...withoutTokenTenant, AppAccessContext: context }), 'mailItemsAccessed');
      assert.equal(event.token, undefined, JSON.stringify(context));
    }
  });
});

describe('fromExchangeAudit: mail item operations', () => {
  it('maps Send with the item, its parent folder and ClientIP/ClientIPAddress quirks', () => {
    const record = {
      CreationTime: '2025-03-05T08:18:26',
      Id: 'e0e0e0e0-0000-4000-8000-000000000010',
      Operation: 'Send',
      OrganizationId: ORG,
      RecordType: 2,
      ResultStatus: 'Succeeded',
      UserType: 5,
      Workload: 'Exchange',
      UserId: 'noreply@contoso.example',
      AppId: 'ab000000-0000-4000-8000-000000000010',
      ClientAppId: 'cb000000-0000-4000-8000-000000000010',
      ClientIP: '192.0.2.10',
      ClientIPAddress: '192.0.2.10 ',
      ClientInfoString: 'Client=REST;Client=RESTSystem;;',
      ExternalAccess: false,
      MailboxGuid: MAILBOX_GUID,
      MailboxOwnerUPN: 'noreply@contoso.example',
      Item: {
        Id: 'RgAAAACLureSentItem',
        ImmutableId: 'LgAAAACLureSentImmutable',
        InternetMessageId: '<sent-1@contoso.example>',
        ParentFolder: { Id: 'LgAAAACLureDraftsFolder', Path: '\\Drafts' },
        SizeInBytes: 4199,
        Subject: 'quarterly numbers',
      },
      SaveToSentItems: true,
    };
    const event = expectEvent(fromExchangeAudit(record), 'mailItemOperation');
    const expected: MailItemOperationEvent = {
      kind: 'mailItemOperation',
      source: 'exchange',
      recordType: 'Send',
      recordId: 'e0e0e0e0-0000-4000-8000-000000000010',
      time: '2025-03-05T08:18:26.000Z',
      tenantId: ORG,
      // UserType 5: UserId is the mailbox the application sent from, not an actor.
      actor: {
        appId: 'ab000000-0000-4000-8000-000000000010',
        ipAddress: '192.0.2.10',
        userAgent: 'Client=REST;Client=RESTSystem;;',
      },
      operation: 'Send',
      mailbox: { ownerUpn: 'noreply@contoso.example', guid: MAILBOX_GUID },
      clientInfoString: 'Client=REST;Client=RESTSystem;;',
      clientAppId: 'cb000000-0000-4000-8000-000000000010',
      items: [
        {
          internetMessageId: '<sent-1@contoso.example>',
          itemId: 'RgAAAACLureSentItem',
          immutableId: 'LgAAAACLureSentImmutable',
          folderId: 'LgAAAACLureDraftsFolder',
        },
      ],
    };
    assert.deepEqual(event, expected);
  });

  it('strips the port from ClientIP when there is no ClientIPAddress', () => {
    const record = { CreationTime: '2025-03-05T08:18:26', Id: 'x', Operation: 'Send', RecordType: 2, Workload: 'Exchange', ClientIP: '198.51.100.5:63070' };
    assert.equal(expectEvent(fromExchangeAudit(record), 'mailItemOperation').actor.ipAddress, '198.51.100.5');
  });

  it('maps SoftDelete and HardDelete affected items, falling back to the record Folder for the folder id', () => {
    for (const operation of ['SoftDelete', 'HardDelete']) {
      const record = {
        CreationTime: '2025-03-06T13:51:02',
        Id: `del-${operation}`,
        Operation: operation,
        OrganizationId: ORG,
        RecordType: 3,
        UserType: 0,
        Workload: 'Exchange',
        UserId: OWNER,
        ClientIPAddress: '2603:1026:c09:834::5',
        MailboxOwnerUPN: OWNER,
        MailboxGuid: MAILBOX_GUID,
        AffectedItems: [
          {
            Id: 'RgAAAACLureDel1',
            InternetMessageId: '<del-1@contoso.example>',
            ParentFolder: { Id: 'LgAAAACLureDeletions', Path: '\\Recoverable Items\\Deletions' },
          },
          { Id: 'RgAAAACLureDel2', InternetMessageId: '<del-2@contoso.example>', ImmutableId: 'ErrorDuringIdConversion' },
        ],
        CrossMailboxOperation: false,
        Folder: { Id: INBOX, Path: '\\Inbox' },
      };
      const event = expectEvent(fromExchangeAudit(record), 'mailItemOperation');
      assert.equal(event.recordType, operation);
      assert.equal(event.operation, operation);
      assert.equal(event.time, '2025-03-06T13:51:02.000Z');
      assert.equal(event.actor.ipAddress, '2603:1026:c09:834::5');
      assert.deepEqual(event.items, [
        { itemId: 'RgAAAACLureDel1', internetMessageId: '<del-1@contoso.example>', folderId: 'LgAAAACLureDeletions' },
        { itemId: 'RgAAAACLureDel2', internetMessageId: '<del-2@contoso.example>', folderId: INBOX },
      ]);
      assert.equal(event.destinationFolderId, undefined);
    }
  });

  it('maps Create and Update, and a Move destination folder', () => {
    const create = {
      CreationTime: '2025-03-06T20:35:01',
      Id: 'c-1',
      Operation: 'Create',
      RecordType: 2,
      Workload: 'Exchange',
      Item: { Id: 'RgAAAACLureNew', ParentFolder: { Id: 'LgAAAACLureDrafts' } },
    };
    assert.deepEqual(expectEvent(fromExchangeAudit(create), 'mailItemOperation').items, [{ itemId: 'RgAAAACLureNew', folderId: 'LgAAAACLureDrafts' }]);
    const update = { ...create, Id: 'u-1', Operation: 'Update' };
    assert.equal(expectEvent(fromExchangeAudit(update), 'mailItemOperation').recordType, 'Update');
    const move = {
      CreationTime: '2025-03-06T20:36:00',
      Id: 'm-1',
      Operation: 'Move',
      RecordType: 3,
      Workload: 'Exchange',
      Folder: { Id: INBOX },
      DestFolder: { Id: 'LgAAAACLureArchive', Path: '\\Archive' },
      AffectedItems: [{ Id: 'RgAAAACLureMoved' }],
    };
    const moved = expectEvent(fromExchangeAudit(move), 'mailItemOperation');
    assert.equal(moved.destinationFolderId, 'LgAAAACLureArchive');
    assert.deepEqual(moved.items, [{ itemId: 'RgAAAACLureMoved', folderId: INBOX }]);
  });
});

describe('fromExchangeAudit: mailbox changes', () => {
  it('maps New-InboxRule exactly: ClientIP with a port, Parameters in order, ObjectId as target', () => {
    const objectId =
      'EURPR00A000.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/0b0b0b0b-0000-4000-8000-000000000001\\Forward all';
    const record = {
      CreationTime: '2025-03-07T15:10:53',
      Id: 'r0r0r0r0-0000-4000-8000-000000000001',
      Operation: 'New-InboxRule',
      OrganizationId: ORG,
      RecordType: 1,
      ResultStatus: 'True',
      UserKey: '1003000012345678',
      UserType: 2,
      Version: 1,
      Workload: 'Exchange',
      ClientIP: '203.0.113.70:51544',
      ObjectId: objectId,
      UserId: 'attacker@contoso.example',
      AppId: '00000002-0000-0ff1-ce00-000000000000',
      ClientAppId: '',
      ExternalAccess: false,
      OrganizationName: 'contoso.onmicrosoft.com',
      Parameters: [
        { Name: 'ForwardTo', Value: 'drop@evil.example' },
        { Name: 'Name', Value: 'Forward all' },
        { Name: 'DeleteMessage', Value: 'True' },
        { Name: 'StopProcessingRules', Value: '' },
      ],
      SessionId: '5e551011-bbbb-4bbb-8bbb-000000000001',
    };
    const event = expectEvent(fromExchangeAudit(record), 'mailboxChange');
    const expected: MailboxChangeEvent = {
      kind: 'mailboxChange',
      source: 'exchange',
      recordType: 'New-InboxRule',
      recordId: 'r0r0r0r0-0000-4000-8000-000000000001',
      time: '2025-03-07T15:10:53.000Z',
      tenantId: ORG,
      actor: {
        userPrincipalName: 'attacker@contoso.example',
        appId: '00000002-0000-0ff1-ce00-000000000000',
        ipAddress: '203.0.113.70',
      },
      operation: 'New-InboxRule',
      mailbox: {},
      targetIdentity: objectId,
      parameters: [
        { name: 'ForwardTo', value: 'drop@evil.example' },
        { name: 'Name', value: 'Forward all' },
        { name: 'DeleteMessage', value: 'True' },
        { name: 'StopProcessingRules' },
      ],
    };
    assert.deepEqual(event, expected);
  });

  it('maps UpdateInboxRules from OperationProperties, with AppAccessContext {} or {"APIId":""} giving no token', () => {
    for (const context of [{}, { APIId: '' }]) {
      const record = {
        AppAccessContext: context,
        CreationTime: '2025-03-08T10:34:13',
        Id: `uir-${Object.keys(context).length}`,
        Operation: 'UpdateInboxRules',
        OrganizationId: ORG,
        RecordType: 2,
        ResultStatus: 'Succeeded',
        UserType: 0,
        Workload: 'Exchange',
        ClientIP: '198.51.100.12',
        UserId: OWNER,
        ClientIPAddress: '198.51.100.12',
        ClientInfoString: 'Client=MSExchangeRPC',
        ExternalAccess: 'False',
        LogonType: 0,
        MailboxGuid: MAILBOX_GUID,
        MailboxOwnerUPN: OWNER,
        OperationProperties: [
          { Name: 'RuleName' },
          { Name: 'RuleActions', Value: '[{"ActionType":"Forward","Recipients":["drop@evil.example"],"ForwardFlags":"None"}]' },
          { Name: 'RuleOperation', Value: 'ModifyMailboxRule' },
          { Name: 'RuleState', Value: 'Enabled' },
        ],
        SessionId: '5e551011-cccc-4ccc-8ccc-000000000001',
        Item: { Id: 'RgAAAACLureRuleMsg', ImmutableId: 'ErrorDuringIdConversion', ParentFolder: { Id: INBOX, Path: '\\Inbox' } },
      };
      const event = expectEvent(fromExchangeAudit(record), 'mailboxChange');
      assert.equal(event.token, undefined);
      assert.equal(event.recordType, 'UpdateInboxRules');
      assert.equal(event.time, '2025-03-08T10:34:13.000Z');
      assert.deepEqual(event.mailbox, { ownerUpn: OWNER, guid: MAILBOX_GUID });
      assert.equal(event.targetIdentity, undefined);
      assert.equal(event.clientInfoString, 'Client=MSExchangeRPC');
      assert.deepEqual(event.parameters, [
        { name: 'RuleName' },
        { name: 'RuleActions', value: '[{"ActionType":"Forward","Recipients":["drop@evil.example"],"ForwardFlags":"None"}]' },
        { name: 'RuleOperation', value: 'ModifyMailboxRule' },
        { name: 'RuleState', value: 'Enabled' },
      ]);
    }
  });

  it('reads the target from the Identity parameter and cuts long parameter values', () => {
    const record = {
      CreationTime: '2025-03-09T00:00:00',
      Id: 'sm-1',
      Operation: 'Set-Mailbox',
      RecordType: 1,
      Workload: 'Exchange',
      ObjectId: 'ignored-object-id',
      Parameters: [
        { Name: 'Identity', Value: OWNER },
        { Name: 'ForwardingSmtpAddress', Value: 'smtp:drop@evil.example' },
        { Name: 'Notes', Value: 'x'.repeat(600) },
      ],
    };
    const event = expectEvent(fromExchangeAudit(record), 'mailboxChange');
    assert.equal(event.targetIdentity, OWNER);
    assert.equal(event.parameters[2]?.value?.length, 512);
  });
});

describe('fromExchangeAudit: search, login and what is not used', () => {
  it('maps SearchQueryInitiatedExchange and MailboxLogin', () => {
    const search = {
      CreationTime: '2025-03-10T01:02:03',
      Id: 's-1',
      Operation: 'SearchQueryInitiatedExchange',
      RecordType: 101,
      Workload: 'Exchange',
      MailboxOwnerUPN: OWNER,
    };
    const searchEvent = expectEvent(fromExchangeAudit(search), 'mailboxSearch');
    assert.deepEqual(searchEvent.mailbox, { ownerUpn: OWNER });
    assert.equal(searchEvent.time, '2025-03-10T01:02:03.000Z');

    const login = { CreationTime: '2025-03-10T01:02:04', Id: 'l-1', Operation: 'MailboxLogin', RecordType: 2, Workload: 'Exchange', LogonType: '1' };
    assert.equal(expectEvent(fromExchangeAudit(login), 'mailboxLogin').logonType, 1);
  });

  it('matches operations case-insensitively but keeps the operation as written', () => {
    const record = { CreationTime: '2025-03-10T01:02:03', Id: 'ci-1', Operation: 'mailitemsaccessed', RecordType: 50, Workload: 'Exchange' };
    const event = expectEvent(fromExchangeAudit(record), 'mailItemsAccessed');
    assert.equal(event.operation, 'mailitemsaccessed');
    assert.deepEqual(event.folders, []);
  });

  it('skips operations Lure does not use, and records without an operation or a readable CreationTime', () => {
    expectSkip(fromExchangeAudit({ CreationTime: '2025-03-10T01:02:03', Operation: 'MipLabel', RecordType: 2, Workload: 'Exchange' }), 'operation-not-used');
    expectSkip(fromExchangeAudit({ CreationTime: '2025-03-10T01:02:03', RecordType: 2, Workload: 'Exchange' }), 'invalid-record');
    expectSkip(fromExchangeAudit({ CreationTime: 'Tuesday', Operation: 'Send', RecordType: 2, Workload: 'Exchange' }), 'invalid-record');
  });

  it('gives a stable fingerprint id to a record without Id', () => {
    const record = { CreationTime: '2025-03-10T01:02:03', Operation: 'Send', RecordType: 2, Workload: 'Exchange', UserId: OWNER };
    const first = expectEvent(fromExchangeAudit(record), 'mailItemOperation');
    assert.match(first.recordId, /^sha256:[0-9a-f]{32}$/);
    assert.equal(expectEvent(fromExchangeAudit({ ...record }), 'mailItemOperation').recordId, first.recordId);
  });

  it('takes the source it is given (Defender passes its own)', () => {
    assert.equal(expectEvent(fromExchangeAudit(bind, 'defender'), 'mailItemsAccessed').source, 'defender');
  });
});

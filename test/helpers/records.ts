/**
 * Our own raw records for scenario tests where the fixture is easier to read as code than as JSON: the
 * shapes of src/demo/rawRecords.ts, with defaults for all a test does not name.
 */
import { graphActivityLogRecord, mailItemsAccessedAuditRecord, type SignInCategory, signInLogRecord } from '../../src/demo/rawRecords.js';

export const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}-${String(counter).padStart(8, '0')}-4000-8000-000000000000`;
}

/** An Entra sign-in diagnostic record; `time` is the event time (`createdDateTime`). */
export function signInRecord(options: {
  category?: SignInCategory;
  time: string;
  uti?: string;
  userPrincipalName?: string;
  userId?: string;
  appId?: string;
  servicePrincipalId?: string;
  ipAddress?: string;
  errorCode?: number;
  tenantId?: string;
}): Record<string, unknown> {
  return signInLogRecord({
    category: options.category ?? 'SignInLogs',
    // The diagnostic setting writes a sign-in some minutes after it happened.
    time: new Date(Date.parse(options.time) + 4 * 60_000).toISOString(),
    tenantId: options.tenantId ?? TENANT,
    id: nextId('51a1'),
    createdDateTime: options.time,
    properties: {
      userPrincipalName: options.userPrincipalName ?? '',
      userId: options.userId ?? '',
      appId: options.appId ?? '1950a258-227b-4e31-a9cf-717495945fc2',
      servicePrincipalId: options.servicePrincipalId ?? '',
      ipAddress: options.ipAddress ?? '192.0.2.10',
      status: { errorCode: options.errorCode ?? 0 },
      ...(options.uti === undefined ? {} : { uniqueTokenIdentifier: options.uti }),
    },
  });
}

/** A Microsoft Graph activity record: one request made with the token `uti`, issued at `issuedAt` if given. */
export function graphRecord(options: {
  time: string;
  uti: string;
  issuedAt?: string;
  method?: string;
  requestUri?: string;
  appId?: string;
  userId?: string;
  servicePrincipalId?: string;
  ipAddress?: string;
  tenantId?: string;
}): Record<string, unknown> {
  const app = options.servicePrincipalId !== undefined;
  return graphActivityLogRecord({
    time: options.time,
    tenantId: options.tenantId ?? TENANT,
    properties: {
      requestId: nextId('9a9a'),
      requestMethod: options.method ?? 'GET',
      requestUri: options.requestUri ?? 'https://graph.microsoft.com/v1.0/users?$top=10',
      responseStatusCode: 200,
      appId: options.appId ?? 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
      ...(app
        ? { servicePrincipalId: options.servicePrincipalId, C_Idtyp: 'app' }
        : { userId: options.userId ?? '11111111-2222-4333-8444-555555555555', C_Idtyp: 'user' }),
      ipAddress: options.ipAddress ?? '203.0.113.45',
      signInActivityId: options.uti,
      ...(options.issuedAt === undefined ? {} : { tokenIssuedAt: options.issuedAt }),
    },
  });
}

/** A Management Activity API MailItemsAccessed Bind record made with the token `uti`. */
export function mailItemsAccessedRecord(options: {
  time: string;
  uti: string;
  issuedAt?: string;
  mailbox?: string;
  appId?: string;
  clientAppId?: string;
}): Record<string, unknown> {
  const noZone = (iso: string) => iso.slice(0, 19);
  return mailItemsAccessedAuditRecord({
    creationTime: noZone(options.time),
    id: nextId('ea11'),
    organizationId: TENANT,
    userId: 'alice@contoso.example',
    details: {
      AppId: options.appId ?? '00000003-0000-0000-c000-000000000000',
      ClientAppId: options.clientAppId ?? 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      ClientIPAddress: '203.0.113.45',
      MailboxOwnerUPN: options.mailbox ?? 'alice@contoso.example',
      OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }],
      AppAccessContext: { UniqueTokenId: options.uti, ...(options.issuedAt === undefined ? {} : { IssuedAtTime: noZone(options.issuedAt) }) },
    },
    folders: [{ Id: 'LgAAAAAliceInbox', Path: '\\Inbox', FolderItems: [{ InternetMessageId: `<${options.uti}@contoso.example>` }] }],
  });
}

/** A sign-in of each gating and issuing category at `time`, so every stream has come that far. */
export function everyStreamAt(time: string): Record<string, unknown>[] {
  return [
    signInRecord({
      category: 'ManagedIdentitySignInLogs',
      time,
      appId: 'c0c0c0c0-1111-4222-8333-444444444444',
      servicePrincipalId: 'd0d0d0d0-1111-4222-8333-444444444444',
    }),
    signInRecord({ category: 'SignInLogs', time, userPrincipalName: 'bob@contoso.example', userId: '22222222-3333-4444-8555-666666666666' }),
    signInRecord({ category: 'NonInteractiveUserSignInLogs', time, userPrincipalName: 'bob@contoso.example', userId: '22222222-3333-4444-8555-666666666666' }),
    signInRecord({
      category: 'ServicePrincipalSignInLogs',
      time,
      appId: 'f0f0f0f0-1111-4222-8333-444444444444',
      servicePrincipalId: 'e0e0e0e0-1111-4222-8333-444444444444',
    }),
  ];
}

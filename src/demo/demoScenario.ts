/**
 * The demo scenario `npm start` drops into its inbox on first start: an attacker who found the planted
 * lures (a decoy password, a decoy app secret, a decoy message, a decoy file, a honeytoken) and read a
 * mailbox with a forged token, among benign traffic, in the shapes the three hubs carry. Our own records, real field names.
 */
import {
  graphActivityLogRecord,
  mailItemsAccessedAuditRecord,
  sharePointFileAuditRecord,
  type SignInCategory,
  signInLogRecord,
  type SignInProperties,
} from './rawRecords.js';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ATTACKER_IP = '203.0.113.45';
const DAY = '2026-11-02';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// A honeytoken as an API gateway logs it: header and payload only, the signature stripped.
const HONEYTOKEN = `${base64url({ typ: 'JWT', alg: 'RS256', kid: 'lure-demo-kid-01' })}.${base64url({
  iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  tid: TENANT,
  aud: 'api://intranet',
  iat: 1793610000,
  jti: '9d3c7b1a-lure-demo-honeytoken',
})}`;

function signIn(id: string, time: string, properties: SignInProperties, category: SignInCategory = 'SignInLogs') {
  return signInLogRecord({ category, time, tenantId: TENANT, id, createdDateTime: time.replace('Z', '+00:00'), properties, durationMs: 0 });
}

const entraMessage = {
  records: [
    signIn(
      '5e0b6a1c-0001-4c3e-9d2a-1f0e8b7c6d01',
      `${DAY}T08:14:03.1234567Z`,
      {
        userPrincipalName: 'svc-backup@contoso.example',
        userId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44',
        appId: '1950a258-227b-4e31-a9cf-717495945fc2',
        appDisplayName: 'Microsoft Azure PowerShell',
        ipAddress: ATTACKER_IP,
        userAgent: 'python-requests/2.31.0',
        status: { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.' },
        isInteractive: false,
        uniqueTokenIdentifier: 'aDemoUti00000000000001',
      },
      'NonInteractiveUserSignInLogs',
    ),
    signIn(
      '5e0b6a1c-0002-4c3e-9d2a-1f0e8b7c6d02',
      `${DAY}T08:16:40.7654321Z`,
      {
        userPrincipalName: 'svc-backup@contoso.example',
        userId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44',
        appId: '1950a258-227b-4e31-a9cf-717495945fc2',
        appDisplayName: 'Microsoft Azure PowerShell',
        ipAddress: ATTACKER_IP,
        userAgent: 'python-requests/2.31.0',
        status: { errorCode: 0 },
        isInteractive: false,
        uniqueTokenIdentifier: 'aDemoUti00000000000002',
        resourceDisplayName: 'Microsoft Graph',
        resourceId: '00000003-0000-0000-c000-000000000000',
      },
      'NonInteractiveUserSignInLogs',
    ),
    signIn('5e0b6a1c-0005-4c3e-9d2a-1f0e8b7c6d05', `${DAY}T08:18:30.0000000Z`, {
      userPrincipalName: 'svc-scanner@contoso.example',
      userId: '2d7e9a41-8c3b-4f5e-a6d7-1b2c3d4e5f60',
      appId: '1950a258-227b-4e31-a9cf-717495945fc2',
      ipAddress: '192.0.2.201',
      status: { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.' },
      isInteractive: true,
    }),
    signIn('5e0b6a1c-0003-4c3e-9d2a-1f0e8b7c6d03', `${DAY}T08:20:11.0000000Z`, {
      userPrincipalName: 'alice@contoso.example',
      userId: '11111111-2222-4333-8444-555555555555',
      appId: '00000002-0000-0ff1-ce00-000000000000',
      appDisplayName: 'Office 365 Exchange Online',
      ipAddress: '192.0.2.10',
      status: { errorCode: 0 },
      isInteractive: true,
      uniqueTokenIdentifier: 'aDemoUti00000000000003',
    }),
    signIn(
      '5e0b6a1c-0004-4c3e-9d2a-1f0e8b7c6d04',
      `${DAY}T08:31:52.5000000Z`,
      {
        appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c',
        appDisplayName: 'Backup Sync Connector',
        servicePrincipalId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d',
        servicePrincipalName: 'Backup Sync Connector',
        servicePrincipalCredentialKeyId: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
        clientCredentialType: 'clientSecret',
        ipAddress: '198.51.100.23',
        status: { errorCode: 0 },
        resourceDisplayName: 'Microsoft Graph',
        uniqueTokenIdentifier: 'aDemoUti00000000000004',
      },
      'ServicePrincipalSignInLogs',
    ),
    graphActivityLogRecord({
      time: `${DAY}T08:33:05.0000000Z`,
      resourceId: `/TENANTS/${TENANT.toUpperCase()}/PROVIDERS/MICROSOFT.AADIAM`,
      tenantId: TENANT,
      properties: {
        requestId: '7c2d9e4f-0005-4a1b-8c3d-5e6f7a8b9c05',
        requestMethod: 'GET',
        requestUri: 'https://graph.microsoft.com/v1.0/users/svc-backup@contoso.example/authentication/methods',
        responseStatusCode: 200,
        appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c',
        servicePrincipalId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d',
        ipAddress: '198.51.100.23',
        signInActivityId: 'aDemoUti00000000000004',
        C_Idtyp: 'app',
      },
    }),
    // A forged token: Graph accepted it, but no sign-in of any category ever issued it.
    graphActivityLogRecord({
      time: `${DAY}T08:50:12.0000000Z`,
      tenantId: TENANT,
      properties: {
        requestId: '7c2d9e4f-0010-4a1b-8c3d-5e6f7a8b9c10',
        requestMethod: 'GET',
        requestUri: 'https://graph.microsoft.com/v1.0/users/ceo@contoso.example/messages?$top=50',
        responseStatusCode: 200,
        appId: '00b41c95-dab0-4487-9791-b9d2c32c80f2',
        userId: '44444444-aaaa-4bbb-8ccc-000000000001',
        C_Idtyp: 'user',
        ipAddress: ATTACKER_IP,
        userAgent: 'Client=REST;Client=RESTSystem;;',
        signInActivityId: 'ForgedDemoUtiNeverIssued',
        tokenIssuedAt: `${DAY}T08:45:00.0000000Z`,
      },
    }),
    {
      time: `${DAY}T09:02:44.0000000Z`,
      category: 'AuditLogs',
      operationName: 'Reset user password',
      tenantId: TENANT,
      callerIpAddress: '<null>',
      level: 'Informational',
      properties: {
        id: 'Directory_DEMO_0006',
        category: 'UserManagement',
        activityDisplayName: 'Reset user password',
        activityDateTime: `${DAY}T09:02:44.0000000+00:00`,
        operationType: 'Update',
        result: 'success',
        initiatedBy: { user: { id: '99999999-8888-4777-8666-555555555555', userPrincipalName: 'helpdesk-7@contoso.example', ipAddress: '192.0.2.77' } },
        targetResources: [
          { id: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44', type: 'User', userPrincipalName: 'svc-backup@contoso.example', modifiedProperties: [] },
        ],
      },
    },
    { time: `${DAY}T09:05:00.0000000Z`, category: 'UserRiskEvents', tenantId: TENANT, properties: { id: 'risk-demo-1', riskEventType: 'unfamiliarFeatures' } },
    // The sign-in streams flow on past the forged token's grace period, so it can be judged.
    signIn('5e0b6a1c-0011-4c3e-9d2a-1f0e8b7c6d11', `${DAY}T10:50:00.0000000Z`, {
      userPrincipalName: 'alice@contoso.example',
      userId: '11111111-2222-4333-8444-555555555555',
      appId: '00000002-0000-0ff1-ce00-000000000000',
      ipAddress: '192.0.2.10',
      status: { errorCode: 0 },
      uniqueTokenIdentifier: 'aDemoUti00000000000011',
    }),
    signIn(
      '5e0b6a1c-0012-4c3e-9d2a-1f0e8b7c6d12',
      `${DAY}T10:51:00.0000000Z`,
      {
        userPrincipalName: 'alice@contoso.example',
        userId: '11111111-2222-4333-8444-555555555555',
        appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
        ipAddress: '192.0.2.10',
        status: { errorCode: 0 },
        uniqueTokenIdentifier: 'aDemoUti00000000000012',
      },
      'NonInteractiveUserSignInLogs',
    ),
    signIn(
      '5e0b6a1c-0013-4c3e-9d2a-1f0e8b7c6d13',
      `${DAY}T10:52:00.0000000Z`,
      {
        appId: 'f0f0f0f0-1111-4222-8333-444444444444',
        servicePrincipalId: 'e0e0e0e0-1111-4222-8333-444444444444',
        servicePrincipalName: 'Payroll Export',
        ipAddress: '20.190.1.7',
        status: { errorCode: 0 },
        uniqueTokenIdentifier: 'aDemoUti00000000000013',
      },
      'ServicePrincipalSignInLogs',
    ),
  ],
};

const exchangeRecords = [
  mailItemsAccessedAuditRecord({
    creationTime: `${DAY}T09:40:12`,
    id: 'a1e2d3c4-0008-4b5a-9c6d-7e8f9a0b1c08',
    organizationId: TENANT,
    userId: 'j.doe@contoso.example',
    details: {
      AppId: '00000003-0000-0000-c000-000000000000',
      ClientAppId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      ClientIPAddress: ATTACKER_IP,
      ClientInfoString: 'Client=REST;Client=RESTSystem;;',
      MailboxGuid: '4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f',
      MailboxOwnerUPN: 'finance-archive@contoso.example',
      LogonType: 2,
      OperationProperties: [
        { Name: 'MailAccessType', Value: 'Bind' },
        { Name: 'IsThrottled', Value: 'False' },
      ],
      AppAccessContext: { UniqueTokenId: 'aDemoUti00000000000009', AADSessionId: '0b1c2d3e-demo-session', IssuedAtTime: `${DAY}T09:31:00` },
    },
    folders: [
      {
        Id: 'LgAAAAC7lureDemoFolder01AAAAAAEMAAAA',
        Path: '\\Archive\\IT',
        FolderItems: [{ Id: 'LgAAAAC7lureDemoItem0001AAAAAAEMAAAB', InternetMessageId: '<lure-7f3a91c2@contoso.example>', SizeInBytes: 4211 }],
      },
    ],
  }),
  mailItemsAccessedAuditRecord({
    creationTime: `${DAY}T09:41:30`,
    id: 'a1e2d3c4-0009-4b5a-9c6d-7e8f9a0b1c09',
    organizationId: TENANT,
    userId: 'alice@contoso.example',
    details: {
      AppId: '00000002-0000-0ff1-ce00-000000000000',
      ClientIPAddress: '192.0.2.10',
      ClientInfoString: 'Client=OWA;Action=ViaProxy',
      MailboxOwnerUPN: 'alice@contoso.example',
      OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }],
    },
    folders: [{ Id: 'LgAAAAAliceInbox', Path: '\\Inbox', FolderItems: [{ InternetMessageId: '<weekly-report@contoso.example>' }] }],
  }),
  // The same intruder, in the finance site: downloads the decoy workbook beside the real payroll exports.
  sharePointFileAuditRecord({
    creationTime: `${DAY}T09:46:05`,
    id: 'a1e2d3c4-0010-4b5a-9c6d-7e8f9a0b1c10',
    operation: 'FileDownloaded',
    organizationId: TENANT,
    userId: 'j.doe@contoso.example',
    clientIp: ATTACKER_IP,
    siteUrl: 'https://contoso.sharepoint.com/sites/finance',
    folder: 'Shared Documents/Payroll',
    fileName: 'Q3 payroll export.xlsx',
    listItemUniqueId: '8e2f4c6a-1b3d-4e5f-9a7b-0c1d2e3f4a5b',
    details: {
      AppAccessContext: { UniqueTokenId: 'aDemoUti00000000000010', AADSessionId: '0b1c2d3e-demo-session', IssuedAtTime: `${DAY}T09:31:00` },
      UserAgent: 'python-requests/2.31.0',
    },
  }),
];

// A token forged with the Storm-0558 key, as a gateway in front of the payroll API logged it.
const STORM_TOKEN = `${base64url({ typ: 'JWT', alg: 'RS256', kid: '1LTMzakihiRla_8z2BEJVXeWMqo', x5t: '1LTMzakihiRla_8z2BEJVXeWMqo' })}.${base64url({
  iss: `https://sts.windows.net/${TENANT}/`,
  tid: TENANT,
  aud: 'https://outlook.office365.com',
  iat: 1793611200,
  appid: '00000002-0000-0ff1-ce00-000000000000',
  oid: '44444444-aaaa-4bbb-8ccc-000000000001',
  ver: '1.0',
})}.`;

const tokenMessage = {
  records: [
    {
      time: `${DAY}T09:20:44.0000000Z`,
      category: 'TokenObservation',
      properties: { jwt: STORM_TOKEN, observer: 'apim-prod', ipAddress: ATTACKER_IP, requestUri: 'https://api.contoso.example/payroll/v2/exports' },
    },
    {
      time: `${DAY}T10:12:09.0000000Z`,
      category: 'TokenObservation',
      properties: { jwt: HONEYTOKEN, observer: 'apim-prod', ipAddress: ATTACKER_IP, requestUri: 'https://api.contoso.example/intranet/v1/payroll' },
    },
  ],
};

/** The scenario as one NDJSON file: an Event Hub message per line, and Exchange records as the poller writes them. */
export function demoScenarioNdjson(): string {
  return [JSON.stringify(entraMessage), JSON.stringify(exchangeRecords), JSON.stringify(tokenMessage), '{"this line": is not JSON'].join('\n') + '\n';
}

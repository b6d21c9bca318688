/**
 * `lure replay` over the Log Analytics tables a Sentinel workspace holds: each table's row, made from one
 * diagnostic-settings (or streaming) record the way Log Analytics stores it, raises the same alerts as the
 * record itself, both as a workspace data export delivers rows (`{"records":[…]}`) and as
 * `az monitor log-analytics query -o json` prints them (every value a string, null as "None").
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import { totalAccepted } from '../../src/app/ingestReport.js';
import { replay } from '../../src/app/replay.js';
import type { Alert } from '../../src/domain/alerts.js';
import { DECOY_FILE } from '../helpers/mixedFixture.js';
import { FIXTURES } from '../helpers/paths.js';
import { graphRecord, mailItemsAccessedRecord, signInRecord } from '../helpers/records.js';
import { testServices } from '../helpers/services.js';
import { secretChangeAuditRecord } from '../helpers/tenant.js';

type Json = Record<string, unknown>;
const TIME = '2026-11-02T08:14:03.123Z';
const WORKSPACE_ID = 'c9a1f3e2-7b6d-4c5e-9f8a-1b2c3d4e5f60';

/** PascalCase, as Log Analytics names a diagnostic field (`ipAddress` → `IPAddress` is the exception it makes). */
const pascal = (name: string) => (name === 'ipAddress' ? 'IPAddress' : `${name.charAt(0).toUpperCase()}${name.slice(1)}`);

/**
 * A sign-in as its table stores it (Azure Monitor table reference): the signIn resource flattened into
 * PascalCase columns; `ResourceIdentity` for the resource app, `AADTenantId` for the Entra tenant (TenantId
 * is the workspace); `Status` dynamic in SigninLogs, JSON text in the other three tables.
 */
function signInRow(record: Json, table: string): Json {
  const properties = record['properties'] as Json;
  // AADNonInteractiveUserSignInLogs has no AADTenantId column: the tenant is the resource's.
  const tenant = table === 'AADNonInteractiveUserSignInLogs' ? { ResourceTenantId: record['tenantId'] } : { AADTenantId: record['tenantId'] };
  const row: Json = { TenantId: WORKSPACE_ID, Type: table, TimeGenerated: properties['createdDateTime'], ...tenant };
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'status' || name === 'resourceId') continue;
    row[pascal(name)] = value;
  }
  row['ResourceIdentity'] = properties['resourceId'];
  const status = properties['status'] as Json;
  row['Status'] = table === 'SigninLogs' ? status : JSON.stringify(status);
  row['ResultType'] = String(status['errorCode']);
  return row;
}

/** A Graph request as MicrosoftGraphActivityLogs stores it: the signed-in token as SignInActivityId, its sid as SessionId. */
function graphRow(record: Json): Json {
  const properties = record['properties'] as Json;
  return {
    TenantId: WORKSPACE_ID,
    Type: 'MicrosoftGraphActivityLogs',
    TimeGenerated: record['time'],
    AadTenantId: record['tenantId'],
    RequestId: properties['requestId'],
    RequestMethod: properties['requestMethod'],
    RequestUri: properties['requestUri'],
    ResponseStatusCode: properties['responseStatusCode'],
    AppId: properties['appId'],
    UserId: properties['userId'],
    ServicePrincipalId: properties['servicePrincipalId'],
    IPAddress: properties['ipAddress'],
    SignInActivityId: properties['signInActivityId'],
    TokenIssuedAt: properties['tokenIssuedAt'],
  };
}

/** A directory audit as AuditLogs stores it: InitiatedBy and TargetResources dynamic. */
function auditRow(record: Json): Json {
  const properties = record['properties'] as Json;
  return {
    TenantId: WORKSPACE_ID,
    Type: 'AuditLogs',
    TimeGenerated: record['time'],
    AADTenantId: record['tenantId'],
    OperationName: record['operationName'],
    Id: properties['id'],
    Category: properties['category'],
    Result: properties['result'],
    ActivityDisplayName: properties['activityDisplayName'],
    ActivityDateTime: properties['activityDateTime'],
    LoggedByService: properties['loggedByService'],
    AADOperationType: properties['operationType'],
    InitiatedBy: properties['initiatedBy'],
    TargetResources: properties['targetResources'],
    AdditionalDetails: properties['additionalDetails'],
  };
}

const USER_TYPE_NAMES = ['Regular', 'Reserved', 'Admin', 'DcAdmin', 'System', 'Application', 'ServicePrincipal'];

/**
 * A Management Activity API record as OfficeActivity stores it: its fields as columns, but Id as OfficeId,
 * Workload as OfficeWorkload, ObjectId as OfficeObjectId, ClientIPAddress as Client_IPAddress, RecordType,
 * UserType and LogonType (as Logon_Type) by name,
 * CreationTime as TimeGenerated (UTC), Folders as JSON text, AppAccessContext and OperationProperties dynamic.
 */
function officeActivityRow(record: Json): Json {
  const { Id, Workload, ClientIPAddress, CreationTime, RecordType, UserType, Folders, ObjectId, LogonType, ...rest } = record;
  return {
    ...rest,
    TenantId: WORKSPACE_ID,
    Type: 'OfficeActivity',
    TimeGenerated: `${String(CreationTime)}Z`,
    OfficeId: Id,
    OfficeWorkload: Workload,
    OfficeObjectId: ObjectId,
    Logon_Type:
      LogonType === undefined ? undefined : ['Owner', 'Admin', 'Delegated', 'Transport', 'SystemService', 'BestAccess', 'DelegatedAdmin'][Number(LogonType)],
    Client_IPAddress: ClientIPAddress,
    RecordType: RecordType === 50 ? 'ExchangeItemAggregated' : String(RecordType),
    UserType: USER_TYPE_NAMES[Number(UserType)],
    Folders: JSON.stringify(Folders),
    SourceSystem: 'OfficeActivityManager',
  };
}

/** A Defender streaming row as the workspace's CloudAppEvents table stores it: the same columns, at the top. */
function cloudAppEventsRow(record: Json): Json {
  return { TenantId: WORKSPACE_ID, Type: 'CloudAppEvents', TimeGenerated: record['time'], ...(record['properties'] as Json) };
}

/** Python's str() of a JSON value as the query API returns it (dynamic columns arrive as JSON text). */
function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** What `az monitor log-analytics query -o json` prints for a row: every value str()'d by Python. */
function azCliRow(row: Json): Json {
  const printed: Json = { TableName: 'PrimaryResult' };
  for (const [name, value] of Object.entries(row)) {
    printed[name] = pythonStr(value);
  }
  return printed;
}

async function cloudAppEventsSource(): Promise<Json> {
  const fixture = JSON.parse(await readFile(path.join(FIXTURES, 'detections', 'decoy.mailItem.accessed.json'), 'utf8')) as { cases: { record: Json }[] };
  const defender = fixture.cases.find((candidate) => candidate.record['category'] === 'AdvancedHunting-CloudAppEvents');
  assert.ok(defender !== undefined, 'the fixture has a CloudAppEvents case');
  return defender.record;
}

const DECOY_USER = { userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' };
const DECOY_APP = { appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', servicePrincipalId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d', ipAddress: '198.51.100.20' };

/** One source record per table, and its row. */
const CASES: readonly { table: string; source: () => Promise<Json> | Json; row: (record: Json) => Json }[] = [
  { table: 'SigninLogs', source: () => signInRecord({ time: TIME, ...DECOY_USER, uti: 'laUti0001' }), row: (record) => signInRow(record, 'SigninLogs') },
  {
    table: 'AADNonInteractiveUserSignInLogs',
    source: () => signInRecord({ category: 'NonInteractiveUserSignInLogs', time: TIME, ...DECOY_USER }),
    row: (record) => signInRow(record, 'AADNonInteractiveUserSignInLogs'),
  },
  {
    table: 'AADServicePrincipalSignInLogs',
    source: () => signInRecord({ category: 'ServicePrincipalSignInLogs', time: TIME, ...DECOY_APP }),
    row: (record) => signInRow(record, 'AADServicePrincipalSignInLogs'),
  },
  {
    table: 'AADManagedIdentitySignInLogs',
    source: () => signInRecord({ category: 'ManagedIdentitySignInLogs', time: TIME, ...DECOY_APP }),
    row: (record) => signInRow(record, 'AADManagedIdentitySignInLogs'),
  },
  {
    table: 'MicrosoftGraphActivityLogs',
    // Another app reading the decoy user's authentication methods.
    source: () =>
      graphRecord({
        time: TIME,
        uti: 'laGraphUti01',
        servicePrincipalId: 'e1d2c3b4-a5f6-4e7d-8c9b-0a1f2e3d4c5b',
        requestUri: 'https://graph.microsoft.com/v1.0/users/6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44/authentication/methods',
      }),
    row: graphRow,
  },
  {
    table: 'AuditLogs',
    source: () => secretChangeAuditRecord({ time: TIME, applicationObjectId: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e', actor: 'admin' }),
    row: auditRow,
  },
  { table: 'CloudAppEvents', source: cloudAppEventsSource, row: cloudAppEventsRow },
  {
    table: 'OfficeActivity',
    // A Bind of the decoy message in its mailbox.
    source: () => ({
      ...mailItemsAccessedRecord({ time: TIME, uti: 'laMailUti01', mailbox: 'finance-archive@contoso.example' }),
      Folders: [{ Id: 'LgAAAAC7lure/Folder+01AAAAAAEMAAAA', Path: '\\Archive', FolderItems: [{ InternetMessageId: '<lure-7f3a91c2@contoso.example>' }] }],
    }),
    row: officeActivityRow,
  },
];

describe('lure replay over Log Analytics tables (workspace export and az CLI)', () => {
  const directory = mkdtemp(path.join(tmpdir(), 'lure-la-'));
  after(async () => rm(await directory, { recursive: true, force: true }));

  /** The alerts a file raises, less the wall-clock detection time; and how many records it accepted of how many. */
  async function replayed(name: string, content: string): Promise<{ alerts: Omit<Alert, 'detectedAt'>[]; accepted: number; read: number }> {
    const file = path.join(await directory, name);
    await writeFile(file, content);
    const result = await replay(await testServices({ store: memoryStateStore() }), { files: [file], decoyFile: DECOY_FILE });
    return {
      alerts: result.alerts.map(({ detectedAt: _detectedAt, ...alert }) => alert),
      accepted: totalAccepted(result.report),
      read: result.report.read,
    };
  }

  for (const { table, source, row } of CASES) {
    it(`${table}: a row raises the alerts its record does, exported or queried`, async () => {
      const record = await source();
      const expected = await replayed(`${table}.diagnostic.json`, `${JSON.stringify({ records: [record] })}\n`);
      assert.ok(expected.alerts.length > 0, `the ${table} source record raises an alert`);
      const exported = await replayed(`${table}.export.json`, `${JSON.stringify({ records: [row(record)] })}\n`);
      assert.deepEqual([exported.accepted, exported.read], [1, 1]);
      assert.deepEqual(exported.alerts, expected.alerts);
      const queried = await replayed(`${table}.az.json`, `${JSON.stringify([azCliRow(row(record))], null, 2)}\n`);
      assert.deepEqual([queried.accepted, queried.read], [1, 1]);
      assert.deepEqual(queried.alerts, expected.alerts);
    });
  }
});

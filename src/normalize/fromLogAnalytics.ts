import { type JsonObject, objectOf, text } from './fields.js';

/**
 * Rows of the Log Analytics tables a Sentinel workspace already holds, as a workspace data export delivers
 * them (`{"records":[…]}`, a row per record) or as `az monitor log-analytics query -o json` prints them
 * (every value a string, `"None"` for null, and a `TableName` of `PrimaryResult`). A row names its table in
 * `Type`; its columns are the diagnostic record's fields in PascalCase, flattened, with dynamic columns as
 * objects or as JSON text depending on the table. Each row is rewritten into the diagnostic-settings (or
 * Management Activity API) record it came from, which the source's own mapper then reads: one reading of
 * each source, whatever carried it.
 */
export const LOG_ANALYTICS_TABLES = [
  'SigninLogs',
  'AADNonInteractiveUserSignInLogs',
  'AADServicePrincipalSignInLogs',
  'AADManagedIdentitySignInLogs',
  'AuditLogs',
  'MicrosoftGraphActivityLogs',
  'CloudAppEvents',
  'OfficeActivity',
] as const;
export type LogAnalyticsTable = (typeof LOG_ANALYTICS_TABLES)[number];

const TABLES: ReadonlySet<string> = new Set(LOG_ANALYTICS_TABLES);

/** OfficeActivity writes the audit record's UserType by name; the Management Activity API, by number. */
const USER_TYPE_NUMBER: Readonly<Record<string, number>> = {
  Regular: 0,
  Reserved: 1,
  Admin: 2,
  DcAdmin: 3,
  System: 4,
  Application: 5,
  ServicePrincipal: 6,
  CustomPolicy: 7,
  SystemPolicy: 8,
};

/** OfficeActivity columns that are Log Analytics' own, or renamed from the audit record (below). */
const OFFICE_ACTIVITY_OWN_COLUMNS = new Set([
  'TenantId',
  'Type',
  'TableName',
  'TimeGenerated',
  'SourceSystem',
  'OfficeId',
  'OfficeWorkload',
  'OfficeObjectId',
  'Client_IPAddress',
  'UserType',
  'Logon_Type',
  '_ResourceId',
]);

/** OfficeActivity writes LogonType by name too. */
const LOGON_TYPE_NUMBER: Readonly<Record<string, number>> = {
  Owner: 0,
  Admin: 1,
  Delegated: 2,
  Transport: 3,
  SystemService: 4,
  BestAccess: 5,
  DelegatedAdmin: 6,
};

const SIGN_IN_CATEGORY_OF = {
  SigninLogs: 'SignInLogs',
  AADNonInteractiveUserSignInLogs: 'NonInteractiveUserSignInLogs',
  AADServicePrincipalSignInLogs: 'ServicePrincipalSignInLogs',
  AADManagedIdentitySignInLogs: 'ManagedIdentitySignInLogs',
} as const;

/** The table a row says it is from, when it is one Lure reads. */
export function logAnalyticsTableOf(record: JsonObject): LogAnalyticsTable | undefined {
  const table = text(record['Type']);
  return table !== undefined && TABLES.has(table) ? (table as LogAnalyticsTable) : undefined;
}

/**
 * The record a row came from. `az` prints null as `"None"`: such a value is absent. Fields the mappers do not
 * read are left behind.
 */
export function diagnosticFormOf(row: JsonObject, table: LogAnalyticsTable): JsonObject {
  const fromCli = row['TableName'] === 'PrimaryResult';
  const column = (name: string): unknown => {
    const value = row[name];
    return fromCli && value === 'None' ? undefined : value;
  };
  switch (table) {
    case 'SigninLogs':
    case 'AADNonInteractiveUserSignInLogs':
    case 'AADServicePrincipalSignInLogs':
    case 'AADManagedIdentitySignInLogs':
      return {
        time: column('TimeGenerated'),
        category: SIGN_IN_CATEGORY_OF[table],
        // TenantId in Log Analytics is the workspace's; the Entra tenant is AADTenantId.
        // AADNonInteractiveUserSignInLogs has no AADTenantId; HomeTenantId is a guest's own tenant, so last.
        tenantId: column('AADTenantId') ?? column('ResourceTenantId') ?? column('HomeTenantId'),
        resultType: column('ResultType'),
        properties: {
          id: column('Id'),
          createdDateTime: column('CreatedDateTime') ?? column('TimeGenerated'),
          userPrincipalName: column('UserPrincipalName'),
          userId: column('UserId'),
          appId: column('AppId'),
          appDisplayName: column('AppDisplayName'),
          servicePrincipalId: column('ServicePrincipalId'),
          servicePrincipalName: column('ServicePrincipalName'),
          servicePrincipalCredentialKeyId: column('ServicePrincipalCredentialKeyId'),
          clientCredentialType: column('ClientCredentialType'),
          ipAddress: column('IPAddress'),
          userAgent: column('UserAgent'),
          uniqueTokenIdentifier: column('UniqueTokenIdentifier'),
          sessionId: column('SessionId'),
          // `ResourceId` in these tables is the tenant's ARM id; the resource app is `ResourceIdentity`.
          resourceId: column('ResourceIdentity'),
          resourceDisplayName: column('ResourceDisplayName'),
          resourceTenantId: column('ResourceTenantId'),
          status: objectOf(column('Status')) ?? { errorCode: column('ResultType'), failureReason: column('ResultDescription') },
        },
      };
    case 'AuditLogs':
      return {
        time: column('TimeGenerated'),
        category: 'AuditLogs',
        tenantId: column('AADTenantId'),
        operationName: column('OperationName'),
        properties: {
          id: column('Id'),
          activityDateTime: column('ActivityDateTime') ?? column('TimeGenerated'),
          activityDisplayName: column('ActivityDisplayName') ?? column('OperationName'),
          category: column('Category'),
          result: column('Result'),
          operationType: column('AADOperationType'),
          initiatedBy: column('InitiatedBy'),
          targetResources: column('TargetResources'),
          additionalDetails: column('AdditionalDetails'),
        },
      };
    case 'MicrosoftGraphActivityLogs':
      return {
        time: column('TimeGenerated'),
        category: 'MicrosoftGraphActivityLogs',
        tenantId: column('AadTenantId'),
        properties: {
          timeGenerated: column('TimeGenerated'),
          requestId: column('RequestId'),
          requestMethod: column('RequestMethod'),
          requestUri: column('RequestUri'),
          responseStatusCode: column('ResponseStatusCode'),
          appId: column('AppId'),
          userId: column('UserId'),
          servicePrincipalId: column('ServicePrincipalId'),
          // Older revisions of the table spell it IpAddress.
          ipAddress: column('IPAddress') ?? column('IpAddress'),
          userAgent: column('UserAgent'),
          signInActivityId: column('SignInActivityId'),
          C_Sid: column('SessionId'),
          tokenIssuedAt: column('TokenIssuedAt'),
          tenantId: column('AadTenantId'),
        },
      };
    case 'OfficeActivity': {
      // The Management Activity API record, its fields kept as columns but for a few renamed ones.
      const record: JsonObject = {};
      for (const name of Object.keys(row)) if (!OFFICE_ACTIVITY_OWN_COLUMNS.has(name) && column(name) !== undefined) record[name] = column(name);
      const userType = text(column('UserType'));
      const logonType = text(column('Logon_Type'));
      return {
        ...record,
        Id: column('OfficeId'),
        ObjectId: column('OfficeObjectId'),
        LogonType: logonType === undefined ? undefined : (LOGON_TYPE_NUMBER[logonType] ?? logonType),
        Workload: column('OfficeWorkload'),
        CreationTime: column('TimeGenerated'),
        ClientIPAddress: column('Client_IPAddress') ?? column('ClientIP'),
        UserType: userType === undefined ? undefined : (USER_TYPE_NUMBER[userType] ?? userType),
      };
    }
    case 'CloudAppEvents':
      // The same rows Defender XDR streams as AdvancedHunting-CloudAppEvents, whose mapper reads RawEventData.
      return {
        time: column('TimeGenerated'),
        category: 'AdvancedHunting-CloudAppEvents',
        properties: {
          Timestamp: column('Timestamp') ?? column('TimeGenerated'),
          ActionType: column('ActionType'),
          Application: column('Application'),
          ApplicationId: column('ApplicationId'),
          IPAddress: column('IPAddress'),
          ReportId: column('ReportId'),
          RawEventData: column('RawEventData'),
        },
      };
  }
}

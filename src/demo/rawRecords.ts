/**
 * Builders of raw records in the exact shapes the hubs and the Management Activity API carry (real field
 * names, in their order). The demo scenario is written with them, and so are the tests' scenario records:
 * each caller names the fields its records differ in, in the order it writes them.
 */

export type SignInCategory =
  | 'SignInLogs'
  | 'NonInteractiveUserSignInLogs'
  | 'ServicePrincipalSignInLogs'
  | 'MicrosoftServicePrincipalSignInLogs'
  | 'ManagedIdentitySignInLogs'
  | 'ADFSSignInLogs';

/** A sign-in's own fields after its id and time; its result is its `status.errorCode`. */
export type SignInProperties = { readonly status: { readonly errorCode: number; readonly failureReason?: string } } & Record<string, unknown>;

/** An Entra sign-in as the diagnostic setting writes it. */
export function signInLogRecord(signIn: {
  readonly category: SignInCategory;
  /** When the diagnostic setting wrote the record (the sign-in itself happened at `createdDateTime`). */
  readonly time: string;
  readonly tenantId: string;
  readonly id: string;
  readonly createdDateTime: string;
  readonly properties: SignInProperties;
  /** Given, the record also carries its duration and result signature, as most real ones do. */
  readonly durationMs?: number;
}): Record<string, unknown> {
  const errorCode = signIn.properties.status.errorCode;
  return {
    time: signIn.time,
    resourceId: `/tenants/${signIn.tenantId}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: signIn.category,
    tenantId: signIn.tenantId,
    resultType: String(errorCode),
    ...(signIn.durationMs === undefined ? {} : { resultSignature: errorCode === 0 ? 'SUCCESS' : 'FAILURE', durationMs: signIn.durationMs }),
    level: '4',
    properties: { id: signIn.id, createdDateTime: signIn.createdDateTime, ...signIn.properties },
  };
}

/** A Microsoft Graph activity log record of one request made at `time`. */
export function graphActivityLogRecord(request: {
  readonly time: string;
  readonly tenantId: string;
  /** Real records carry it in whatever case the pipeline wrote; most test records leave it out. */
  readonly resourceId?: string;
  /** The request's fields after its time and before its tenant. */
  readonly properties: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    time: request.time,
    ...(request.resourceId === undefined ? {} : { resourceId: request.resourceId }),
    category: 'MicrosoftGraphActivityLogs',
    operationName: 'Microsoft Graph Activity',
    tenantId: request.tenantId,
    level: 'Informational',
    properties: { timeGenerated: request.time, ...request.properties, tenantId: request.tenantId },
  };
}

/** A MailItemsAccessed record as the Management Activity API writes it: one access, by `userId`, to `folders`. */
export function mailItemsAccessedAuditRecord(access: {
  /** Without a zone, as the API writes it. */
  readonly creationTime: string;
  readonly id: string;
  readonly organizationId: string;
  readonly userId: string;
  /** The access's fields after its user and before its folders. */
  readonly details: Record<string, unknown>;
  readonly folders: readonly unknown[];
}): Record<string, unknown> {
  return {
    CreationTime: access.creationTime,
    Id: access.id,
    Operation: 'MailItemsAccessed',
    OrganizationId: access.organizationId,
    RecordType: 50,
    ResultStatus: 'Succeeded',
    UserType: 0,
    Workload: 'Exchange',
    UserId: access.userId,
    ...access.details,
    Folders: access.folders,
    OperationCount: 1,
  };
}

/** A SharePoint file operation as the Management Activity API writes it (RecordType 6, `Audit.SharePoint`). */
export function sharePointFileAuditRecord(operation: {
  readonly creationTime: string;
  readonly id: string;
  readonly operation: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly clientIp: string;
  readonly siteUrl: string;
  /** The folder, relative to the site: `Shared Documents/Payroll`. */
  readonly folder: string;
  readonly fileName: string;
  readonly listItemUniqueId: string;
  readonly details: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    CreationTime: operation.creationTime,
    Id: operation.id,
    Operation: operation.operation,
    OrganizationId: operation.organizationId,
    RecordType: 6,
    UserType: 0,
    Version: 1,
    Workload: 'SharePoint',
    ClientIP: operation.clientIp,
    UserId: operation.userId,
    ...operation.details,
    EventSource: 'SharePoint',
    ItemType: 'File',
    ListItemUniqueId: operation.listItemUniqueId,
    SourceFileExtension: operation.fileName.split('.').at(-1),
    SiteUrl: `${operation.siteUrl}/`,
    SourceRelativeUrl: operation.folder,
    SourceFileName: operation.fileName,
    ObjectId: `${operation.siteUrl}/${operation.folder}/${operation.fileName}`,
  };
}

import { type Alert, type AlertStatus, severityRank } from '../domain/alerts.js';

/** The column types a data collection rule's stream declares (the custom table's own names differ only in `dateTime`). */
export type SentinelColumnType = 'string' | 'long' | 'datetime' | 'dynamic';

/** Column names a custom table may not use (Logs Ingestion API, "Supported tables"). */
export const RESERVED_COLUMN_NAMES = ['_ResourceId', 'id', '_SubscriptionId', 'TenantId', 'Type', 'UniqueId', 'Title'] as const;

/**
 * The `LureAlerts_CL` row, column by column: the one list the channel's rows, the Bicep table schema, the
 * stream declaration and the transform are held to (`infra/sentinel/lureAlertsColumns.json` is written from it by
 * `npm run sentinel:columns`, and a test fails when the two drift). Log Analytics reserves `TenantId` (the
 * workspace id) and `Title`, so the Entra tenant is `AadTenantId`, as in Microsoft's own tables, and the
 * title `AlertTitle`.
 */
export const SENTINEL_COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime', description: 'When Lure raised the alert (detection time)' },
  { name: 'OccurredAt', type: 'datetime', description: 'Event time of the earliest evidence' },
  { name: 'AlertId', type: 'string', description: 'The alert id; one row per revision' },
  { name: 'Revision', type: 'long', description: 'Grows with every change of the alert: take arg_max(Revision, *) by AlertId for its latest state' },
  { name: 'Detection', type: 'string', description: 'Detection id (decoy.user.signIn, token.issuance.missing, …)' },
  { name: 'Severity', type: 'string', description: 'low, medium, high or critical' },
  { name: 'Status', type: 'string', description: 'open, acknowledged, resolved, suppressed or retracted (a false alarm Lure withdrew)' },
  { name: 'AlertTitle', type: 'string', description: 'The alert title (attacker-controlled text may appear in it)' },
  { name: 'Summary', type: 'string', description: 'What happened, in a sentence' },
  { name: 'DecoyId', type: 'string', description: 'The decoy touched, when one was' },
  { name: 'IncidentId', type: 'string', description: "Lure's incident: alerts sharing an actor" },
  { name: 'UserPrincipalName', type: 'string', description: 'Actor: user principal name' },
  { name: 'UserId', type: 'string', description: 'Actor: Entra object id of the user' },
  { name: 'AppId', type: 'string', description: 'Actor: application (client) id' },
  { name: 'ServicePrincipalId', type: 'string', description: 'Actor: service principal object id' },
  { name: 'IPAddress', type: 'string', description: 'Actor: IP address' },
  { name: 'UserAgent', type: 'string', description: 'Actor: user agent' },
  { name: 'ObjectId', type: 'string', description: 'Target: directory object id' },
  { name: 'Mailbox', type: 'string', description: 'Target: mailbox' },
  { name: 'Resource', type: 'string', description: 'Target: the resource, URI or activity' },
  { name: 'UniqueTokenId', type: 'string', description: 'Token: the uti claim (sign-in UniqueTokenIdentifier, Graph SignInActivityId)' },
  { name: 'SessionId', type: 'string', description: 'Token: the sid claim' },
  { name: 'SigningKeyId', type: 'string', description: 'Token: the kid it was signed with' },
  { name: 'EvidenceCount', type: 'long', description: 'Distinct evidence records counted' },
  { name: 'Evidence', type: 'dynamic', description: 'The earliest evidence records: source, type, id, time' },
  { name: 'MitreTechniques', type: 'dynamic', description: 'ATT&CK technique ids (T1078.004, …)' },
  { name: 'Cloud', type: 'string', description: 'public, usgov, usgovdod or china' },
  { name: 'AadTenantId', type: 'string', description: 'The Entra tenant Lure watches' },
] as const satisfies readonly { readonly name: string; readonly type: SentinelColumnType; readonly description: string }[];

export type SentinelColumn = (typeof SENTINEL_COLUMNS)[number]['name'];
export type SentinelRow = Partial<Record<SentinelColumn, string | number | readonly unknown[]>>;

const STATUS_RANK: Readonly<Record<AlertStatus, number>> = { open: 0, suppressed: 0, acknowledged: 1, resolved: 2, retracted: 3 };

/**
 * A number that grows with every change of an alert, the same for the same state on every instance. An
 * alert only moves forward: evidence is added (count), severity rises, status goes open → acknowledged →
 * resolved (or suppressed → resolved), and any of them → retracted; an incident is joined once. A sum of parts that never fall grows when
 * any part does, and two states with one sum in one alert's history are the same state.
 */
export function alertRevisionOf(alert: Alert): number {
  return alert.count + severityRank(alert.severity) + STATUS_RANK[alert.status] + (alert.incidentId === undefined ? 0 : 1);
}

/** The alert as one row of `LureAlerts_CL`: absent fields are absent columns (empty in Log Analytics), never placeholders. */
export function sentinelRowOf(alert: Alert, context: { readonly cloud: string; readonly tenantId?: string }): SentinelRow {
  const row: Record<SentinelColumn, string | number | readonly unknown[] | undefined> = {
    TimeGenerated: alert.detectedAt,
    OccurredAt: alert.occurredAt,
    AlertId: alert.id,
    Revision: alertRevisionOf(alert),
    Detection: alert.detection,
    Severity: alert.severity,
    Status: alert.status,
    AlertTitle: alert.title,
    Summary: alert.summary,
    DecoyId: alert.decoyId,
    IncidentId: alert.incidentId,
    UserPrincipalName: alert.actor.userPrincipalName,
    UserId: alert.actor.userId,
    AppId: alert.actor.appId,
    ServicePrincipalId: alert.actor.servicePrincipalId,
    IPAddress: alert.actor.ipAddress,
    UserAgent: alert.actor.userAgent,
    ObjectId: alert.target.objectId,
    Mailbox: alert.target.mailbox,
    Resource: alert.target.resource,
    UniqueTokenId: alert.token?.uniqueTokenId,
    SessionId: alert.token?.sessionId,
    SigningKeyId: alert.token?.kid,
    EvidenceCount: alert.count,
    Evidence: alert.evidence.map(({ source, type, id, time }) => ({ source, type, id, time })),
    MitreTechniques: [...(alert.mitre ?? [])],
    Cloud: context.cloud,
    AadTenantId: context.tenantId,
  };
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
}

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Decoy } from '../../src/domain/decoys.js';

/**
 * A reproducible day-in-the-life of a large tenant, as the Event Hubs deliver it: batches of 100 events
 * (host.json maxEventBatchSize), each event an envelope of 10 records, in the shapes and sizes the sources
 * write (a sign-in record is 2–3 KB). Nearly all of it is benign: sign-ins of every category, Graph activity
 * made with tokens those sign-ins issued, MailItemsAccessed by the usual apps, a few token observations.
 * A handful of decoy sign-ins and forged tokens ride along, so the detections run as they would.
 */
export interface Workload {
  /** Each batch: the hub it came from and its events as the host hands them over (JSON text). */
  readonly batches: readonly { readonly hub: 'entra' | 'exchange' | 'token'; readonly events: readonly string[]; readonly records: number }[];
  readonly records: number;
  readonly decoys: readonly Decoy[];
  /** What the workload plants that must raise an alert. */
  readonly planted: { readonly decoySignIns: number; readonly forgedKeyTokens: number };
}

export const TENANT = '7d1c9a52-3f4b-4e8a-9b1c-2d3e4f5a6b7c';
const EVENTS_PER_BATCH = 100;
const RECORDS_PER_EVENT = 10;
const STORM_KID = '1LTMzakihiRla_8z2BEJVXeWMqo';
const CATEGORIES = [
  ['NonInteractiveUserSignInLogs', 50],
  ['SignInLogs', 15],
  ['ServicePrincipalSignInLogs', 12],
  ['ManagedIdentitySignInLogs', 10],
  ['MicrosoftServicePrincipalSignInLogs', 10],
  ['ADFSSignInLogs', 3],
] as const;
const APPS = [
  'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '00000003-0000-0ff1-ce00-000000000000',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
];

export interface WorkloadOptions {
  readonly seed: number;
  readonly batches: number;
  readonly users: number;
  readonly start?: string;
  readonly mailboxes?: number;
}

/** The whole workload in memory (for the smaller runs). */
export function generateWorkload(options: WorkloadOptions): Workload {
  const batches: Batch[] = [];
  const stream = workloadBatches(options);
  for (let next = stream.next(); ; next = stream.next()) {
    if (next.done === true) return { batches, ...next.value };
    batches.push(next.value);
  }
}

export interface Batch {
  readonly hub: 'entra' | 'exchange' | 'token';
  readonly events: readonly string[];
  readonly records: number;
}

/**
 * The workload one batch at a time, as a host receives it: only the batch in hand is in memory, so the
 * measurement is not a measurement of the benchmark's own heap. Returns the totals at the end.
 */
export function* workloadBatches(options: WorkloadOptions): Generator<Batch, Omit<Workload, 'batches'>> {
  const rng = xoroshiro128plus(options.seed);
  const pick = (n: number) => uniformInt(rng, 0, n - 1);
  const hex = (length: number) => Array.from({ length }, () => '0123456789abcdef'[pick(16)]).join('');
  const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
  const uti = () => Buffer.from(hex(32), 'hex').toString('base64url').slice(0, 22);
  let clock = Date.parse(options.start ?? '2026-11-02T08:00:00.000Z');
  const issued: { uti: string; at: string; user: number }[] = [];
  const decoys = workloadDecoys();
  let decoySignIns = 0;
  let forgedKeyTokens = 0;
  let total = 0;

  const upn = (user: number) => `user${user}@contoso.example`;
  const userId = (user: number) => `${String(user).padStart(8, '0')}-1111-4222-8333-444444444444`;
  const category = () => {
    let roll = pick(100);
    for (const [name, weight] of CATEGORIES) {
      if (roll < weight) return name;
      roll -= weight;
    }
    return 'SignInLogs';
  };

  const signIn = (time: string): Record<string, unknown> => {
    const user = pick(options.users);
    const token = uti();
    const cat = category();
    issued.push({ uti: token, at: time, user });
    if (issued.length > 20_000) issued.splice(0, 10_000);
    const app = APPS[pick(APPS.length)]!;
    const principal = cat === 'ServicePrincipalSignInLogs' || cat === 'ManagedIdentitySignInLogs' || cat === 'MicrosoftServicePrincipalSignInLogs';
    return {
      time: new Date(Date.parse(time) + 240_000).toISOString(),
      resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
      operationName: 'Sign-in activity',
      operationVersion: '1.0',
      category: cat,
      tenantId: TENANT,
      resultType: '0',
      resultSignature: 'None',
      durationMs: 0,
      callerIpAddress: `198.51.${pick(256)}.${pick(256)}`,
      correlationId: guid(),
      identity: principal ? 'Backup agent' : `User ${user}`,
      Level: 4,
      location: 'GB',
      properties: {
        id: guid(),
        createdDateTime: time,
        userDisplayName: principal ? '' : `User ${user}`,
        userPrincipalName: principal ? '' : upn(user),
        userId: principal ? '' : userId(user),
        appId: app,
        appDisplayName: 'Office 365 Exchange Online',
        ipAddress: `198.51.${pick(256)}.${pick(256)}`,
        clientAppUsed: 'Browser',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
        correlationId: guid(),
        conditionalAccessStatus: 'success',
        originalRequestId: guid(),
        isInteractive: cat === 'SignInLogs',
        tokenIssuerName: '',
        tokenIssuerType: 'AzureAD',
        processingTimeInMilliseconds: pick(400),
        riskDetail: 'none',
        riskLevelAggregated: 'none',
        riskLevelDuringSignIn: 'none',
        riskState: 'none',
        riskEventTypes_v2: [],
        resourceDisplayName: 'Microsoft Graph',
        resourceId: '00000003-0000-0000-c000-000000000000',
        resourceTenantId: TENANT,
        homeTenantId: TENANT,
        status: { errorCode: 0 },
        deviceDetail: {
          deviceId: guid(),
          displayName: `LAPTOP-${hex(6).toUpperCase()}`,
          operatingSystem: 'Windows10',
          browser: 'Edge 131.0.0',
          isCompliant: true,
          isManaged: true,
          trustType: 'Azure AD joined',
        },
        location: { city: 'London', state: 'London', countryOrRegion: 'GB', geoCoordinates: { latitude: 51.5, longitude: -0.12 } },
        appliedConditionalAccessPolicies: Array.from({ length: 6 }, (_, index) => ({
          id: guid(),
          displayName: `CA${String(index).padStart(3, '0')} - Require compliant device`,
          enforcedGrantControls: ['RequireCompliantDevice'],
          enforcedSessionControls: [],
          result: index % 2 === 0 ? 'success' : 'notApplied',
        })),
        authenticationDetails: [
          {
            authenticationStepDateTime: time,
            authenticationMethod: 'Previously satisfied',
            succeeded: true,
            authenticationStepResultDetail: 'First factor requirement satisfied by claim in the token',
          },
        ],
        authenticationProcessingDetails: [
          { key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'False' },
          { key: 'Is CAE Token', value: 'False' },
        ],
        uniqueTokenIdentifier: token,
        sessionId: guid(),
        ...(principal ? { servicePrincipalId: guid(), servicePrincipalName: 'Backup agent' } : {}),
      },
    };
  };

  const graphUse = (time: string, forged: boolean): Record<string, unknown> => {
    const token =
      forged || issued.length === 0 ? { uti: uti(), at: time, user: pick(options.users) } : issued[issued.length - 1 - pick(Math.min(issued.length, 5_000))]!;
    return {
      time,
      resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
      operationName: 'Microsoft Graph Activity',
      category: 'MicrosoftGraphActivityLogs',
      tenantId: TENANT,
      level: 'Informational',
      properties: {
        timeGenerated: time,
        location: 'West Europe',
        requestId: guid(),
        operationId: guid(),
        clientRequestId: guid(),
        apiVersion: 'v1.0',
        requestMethod: 'GET',
        responseStatusCode: 200,
        tenantId: TENANT,
        durationMs: pick(300),
        responseSizeBytes: pick(20_000),
        signInActivityId: token.uti,
        roles: '',
        tokenIssuedAt: token.at,
        appId: APPS[pick(APPS.length)],
        userId: userId(token.user),
        C_Idtyp: 'user',
        C_Iat: String(Math.floor(Date.parse(token.at) / 1000)),
        ipAddress: `198.51.${pick(256)}.${pick(256)}`,
        requestUri: `https://graph.microsoft.com/v1.0/users/${userId(token.user)}/calendar/events?$top=10`,
        userAgent: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
        wids: 'b79fbf4d-3ef9-4689-8143-76b194e85509',
        scopes: 'Calendars.Read User.Read',
      },
    };
  };

  const mailRead = (time: string): Record<string, unknown> => {
    // The mailboxes busy in this hour: each is read many times (Outlook syncs), as in a real tenant.
    const user = pick(Math.min(options.users, options.mailboxes ?? 500));
    const token = issued.length === 0 ? { uti: uti(), at: time, user } : issued[issued.length - 1 - pick(Math.min(issued.length, 5_000))]!;
    return {
      CreationTime: time.slice(0, 19),
      Id: guid(),
      Operation: 'MailItemsAccessed',
      OrganizationId: TENANT,
      RecordType: 50,
      ResultStatus: 'Succeeded',
      UserKey: `1003${hex(12).toUpperCase()}`,
      UserType: 0,
      Version: 1,
      Workload: 'Exchange',
      UserId: upn(user),
      AppId: '00000002-0000-0ff1-ce00-000000000000',
      ClientAppId: '5d661950-3475-41cd-a2c3-d671a3162bc1',
      ClientIPAddress: `198.51.${pick(256)}.${pick(256)}`,
      ClientInfoString: 'Client=OutlookService;Outlook/16.0',
      ExternalAccess: false,
      InternalLogonType: 0,
      LogonType: 0,
      LogonUserSid: `S-1-5-21-${pick(1e9)}`,
      MailboxGuid: guid(),
      MailboxOwnerSid: `S-1-5-21-${pick(1e9)}`,
      MailboxOwnerUPN: upn(user),
      OperationProperties: [
        { Name: 'MailAccessType', Value: 'Sync' },
        { Name: 'IsThrottled', Value: 'False' },
      ],
      OrganizationName: 'contoso.onmicrosoft.com',
      OriginatingServer: 'AM0PR01MB1234 (15.20.8000.000)',
      SessionId: guid(),
      AppAccessContext: { UniqueTokenId: token.uti, IssuedAtTime: token.at.slice(0, 19) },
      Folders: [{ Id: `LgAAAA${hex(24)}`, Path: '\\Inbox' }],
      OperationCount: 1,
    };
  };

  const observation = (time: string, kid: string): Record<string, unknown> => {
    const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid, x5t: kid })).toString('base64url');
    const iat = Math.floor(Date.parse(time) / 1000) - 60;
    const payload = Buffer.from(
      JSON.stringify({
        aud: 'api://reporting',
        iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + 3600,
        tid: TENANT,
        oid: guid(),
        azp: APPS[0],
        ver: '2.0',
        uti: uti(),
      }),
    ).toString('base64url');
    return {
      time,
      category: 'TokenObservation',
      properties: {
        jwt: `${header}.${payload}`,
        observer: 'apim-prod',
        ipAddress: `198.51.${pick(256)}.${pick(256)}`,
        requestUri: 'https://api.contoso.example/reports',
      },
    };
  };

  for (let batch = 0; batch < options.batches; batch += 1) {
    const hub = batch % 10 === 9 ? 'token' : batch % 5 === 4 ? 'exchange' : 'entra';
    const events: string[] = [];
    let records = 0;
    for (let event = 0; event < EVENTS_PER_BATCH; event += 1) {
      const envelope: Record<string, unknown>[] = [];
      for (let index = 0; index < RECORDS_PER_EVENT; index += 1) {
        clock += 150;
        const time = new Date(clock).toISOString();
        if (hub === 'entra') envelope.push(pick(100) < 55 ? signIn(time) : graphUse(time, false));
        else if (hub === 'exchange') envelope.push(mailRead(time));
        else envelope.push(observation(time, `kid-${pick(3)}`));
      }
      // The planted few: a decoy sign-in every 20 batches, a forged-key token every 50.
      if (hub === 'entra' && event === 0 && batch % 20 === 0) {
        const decoy = decoys[pick(decoys.length)] as Extract<Decoy, { kind: 'user' }>;
        const record = signIn(new Date(clock).toISOString());
        envelope.push({
          ...record,
          properties: { ...(record['properties'] as object), userPrincipalName: decoy.userPrincipalName, ipAddress: '203.0.113.66' },
        });
        decoySignIns += 1;
      }
      if (hub === 'token' && event === 0 && batch % 50 === 49) {
        envelope.push(observation(new Date(clock).toISOString(), STORM_KID));
        forgedKeyTokens += 1;
      }
      records += envelope.length;
      events.push(JSON.stringify({ records: envelope }));
    }
    total += records;
    yield { hub, events, records };
  }
  return { records: total, decoys, planted: { decoySignIns, forgedKeyTokens } };
}

/** The decoys every workload plants hits on (the same for any seed). */
export function workloadDecoys(): Decoy[] {
  return Array.from({ length: 20 }, (_, index) => ({
    id: `d-user-${index}`,
    kind: 'user',
    enabled: true,
    userPrincipalName: `svc-decoy-${index}@contoso.example`,
  }));
}

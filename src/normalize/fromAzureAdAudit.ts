import type { DirectoryAuditEvent, DirectoryTarget, SignInEvent } from '../domain/events.js';
import { absentIfEmpty, ipAddressOf, type JsonObject, nameValuePairs, numberOf, objectsOf, text, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { wholeRecordFingerprint } from './recordFingerprint.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `User_<guid>`, `ServicePrincipal_<guid>`, `Application_<guid>`: the type-qualified form audit ids take. */
const TYPED_ID = /^([A-Za-z]+)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Type names the `Actor`/`Target` lists use on their own, as an entry of their own. */
const OBJECT_TYPE_NAMES = new Set(['User', 'ServicePrincipal', 'Application', 'Group', 'Device']);

const STS_LOGON_RECORD_TYPE = 15;
const DIRECTORY_RECORD_TYPE = 8;

/**
 * A Management Activity API record of the `AzureActiveDirectory` workload: STS logons (RecordType 15) become
 * sign-ins, directory changes (RecordType 8) become directory audits.
 */
export function fromAzureAdAudit(record: JsonObject): NormalizeOutcome {
  const operation = text(record['Operation']);
  if (operation === undefined) return skip('invalid-record', 'AzureActiveDirectory: no Operation');
  const time = timestampOf(record['CreationTime']);
  if (time === undefined) return skip('invalid-record', `AzureActiveDirectory ${operation}: no readable CreationTime`);
  const recordType = numberOf(record['RecordType']);
  const recordId = text(record['Id']) ?? wholeRecordFingerprint('aad', record);
  const userId = text(record['UserId']);
  const ipAddress = ipAddressOf(record['ActorIpAddress']) ?? ipAddressOf(record['ClientIP']);
  const extended = nameValuePairs(record['ExtendedProperties']);

  if (recordType === STS_LOGON_RECORD_TYPE) {
    const errorNumber = numberOf(record['ErrorNumber']);
    const succeeded = operation === 'UserLoggedIn' && (errorNumber === undefined || errorNumber === 0);
    const device = nameValuePairs(record['DeviceProperties']);
    // Fields this record lacks are written too, as undefined: one shape per kind of event (see fields.ts).
    const event: SignInEvent = {
      kind: 'signIn',
      source: 'exchange',
      recordType: operation,
      recordId,
      time,
      tenantId: text(record['OrganizationId']),
      category: 'AzureActiveDirectoryStsLogon',
      succeeded,
      errorCode: errorNumber ?? (succeeded ? 0 : undefined),
      failureReason: text(record['LogonError']),
      appDisplayName: undefined,
      servicePrincipalName: undefined,
      credentialKeyId: undefined,
      clientCredentialType: undefined,
      resourceId: text(record['ObjectId']),
      resourceDisplayName: undefined,
      actor: {
        userPrincipalName: userId,
        userId: identitiesOf(record['Actor']).ids[0]?.id,
        appId: text(record['ApplicationId']),
        servicePrincipalId: undefined,
        ipAddress,
        userAgent: extended.get('useragent'),
      },
      token: absentIfEmpty({
        uniqueTokenId: undefined,
        sessionId: device.get('sessionid'),
        issuedAt: undefined,
        kid: undefined,
        issuer: undefined,
        tenantId: undefined,
      }),
    };
    return event;
  }
  if (recordType === DIRECTORY_RECORD_TYPE) {
    const actorIdentities = identitiesOf(record['Actor']);
    const actorObject = actorIdentities.ids[0];
    const targets = targetsOf(record);
    const event: DirectoryAuditEvent = {
      kind: 'directoryAudit',
      source: 'exchange',
      recordType: operation,
      recordId,
      time,
      tenantId: text(record['OrganizationId']),
      activity: operation.replace(/\.$/, ''),
      category: extended.get('extendedauditeventcategory') ?? extended.get('auditeventcategory'),
      operationType: undefined,
      result: text(record['ResultStatus']),
      targets,
      actor: {
        userPrincipalName: actorIdentities.upns[0] ?? (userId?.includes('@') ? userId : undefined),
        userId: actorObject && actorObject.type?.toLowerCase() !== 'serviceprincipal' ? actorObject.id : undefined,
        appId: undefined,
        servicePrincipalId: actorObject?.type?.toLowerCase() === 'serviceprincipal' ? actorObject.id : undefined,
        ipAddress,
        userAgent: undefined,
      },
    };
    return event;
  }
  return skip('operation-not-used', `AzureActiveDirectory RecordType ${recordType ?? '?'} ${operation}`);
}

interface Identities {
  readonly ids: { id: string; type?: string }[];
  readonly upns: string[];
}

/**
 * Reads the `Actor`/`Target` lists, whose entries mix object ids, `Type_<guid>` forms, UPNs, PUIDs and
 * names. Ids that a `Type_<guid>` entry names come first: a bare GUID before them may be another party
 * (the consenting service, the tenant).
 */
function identitiesOf(entries: unknown): Identities {
  const typed = new Map<string, string>();
  const untyped: string[] = [];
  const upns: string[] = [];
  // Some lists type their bare GUIDs with a separate entry holding only the type name (`"ServicePrincipal"`).
  let typeName: string | undefined;
  for (const entry of objectsOf(entries)) {
    const value = text(entry['ID']) ?? text(entry['Id']);
    if (value === undefined) continue;
    const typedId = TYPED_ID.exec(value);
    if (typedId?.[1] !== undefined && typedId[2] !== undefined) typed.set(typedId[2].toLowerCase(), typedId[1]);
    else if (GUID.test(value)) untyped.push(value.toLowerCase());
    else if (value.includes('@')) upns.push(value);
    else if (OBJECT_TYPE_NAMES.has(value)) typeName = value;
  }
  const ids: { id: string; type?: string }[] = [...typed].map(([id, type]) => ({ id, type }));
  for (const id of untyped) {
    if (!typed.has(id) && !ids.some((known) => known.id === id)) ids.push(typed.size === 0 && typeName !== undefined ? { id, type: typeName } : { id });
  }
  return { ids, upns: [...new Set(upns)] };
}

function targetsOf(record: JsonObject): DirectoryTarget[] {
  const { ids, upns } = identitiesOf([...objectsOf(record['Target']), { ID: record['ObjectId'] }]);
  const modifiedProperties = objectsOf(record['ModifiedProperties'])
    .map((property) => text(property['Name']))
    .filter((name): name is string => name !== undefined);
  return [
    ...ids.map((target) => ({ id: target.id, type: target.type, userPrincipalName: undefined, displayName: undefined, modifiedProperties })),
    ...upns.map((userPrincipalName) => ({ id: undefined, type: undefined, userPrincipalName, displayName: undefined, modifiedProperties })),
  ];
}

import type { Actor, EventSource, ExchangeEvent, MailboxRef, MailFolderRef, MailItemRef } from '../domain/events.js';
import { booleanOf, ipAddressOf, type JsonObject, nameValuePairs, numberOf, objectOf, objectsOf, text, timestampOf } from './fields.js';
import { tokenOfAppAccess } from './appAccessContext.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { wholeRecordFingerprint } from './recordFingerprint.js';

type ExchangeKind = ExchangeEvent['kind'];

/** Exchange operations Lure reads, and the event kind each becomes. Everything else is `operation-not-used`. */
const OPERATION_KINDS: ReadonlyMap<string, ExchangeKind> = new Map<string, ExchangeKind>([
  ['mailitemsaccessed', 'mailItemsAccessed'],
  ['send', 'mailItemOperation'],
  ['sendas', 'mailItemOperation'],
  ['sendonbehalf', 'mailItemOperation'],
  ['movetodeleteditems', 'mailItemOperation'],
  ['softdelete', 'mailItemOperation'],
  ['harddelete', 'mailItemOperation'],
  ['move', 'mailItemOperation'],
  ['copy', 'mailItemOperation'],
  ['create', 'mailItemOperation'],
  ['update', 'mailItemOperation'],
  ['new-inboxrule', 'mailboxChange'],
  ['set-inboxrule', 'mailboxChange'],
  ['enable-inboxrule', 'mailboxChange'],
  ['disable-inboxrule', 'mailboxChange'],
  ['remove-inboxrule', 'mailboxChange'],
  ['updateinboxrules', 'mailboxChange'],
  ['set-mailbox', 'mailboxChange'],
  ['add-mailboxpermission', 'mailboxChange'],
  ['remove-mailboxpermission', 'mailboxChange'],
  ['add-recipientpermission', 'mailboxChange'],
  ['add-mailboxfolderpermission', 'mailboxChange'],
  ['set-mailboxfolderpermission', 'mailboxChange'],
  ['set-mailboxauditbypassassociation', 'mailboxChange'],
  ['set-casmailbox', 'mailboxChange'],
  ['searchqueryinitiatedexchange', 'mailboxSearch'],
  ['mailboxlogin', 'mailboxLogin'],
]);

/** Management Activity API user types that mean "an application acted" (5 Application, 6 ServicePrincipal). */
const APPLICATION_USER_TYPES = new Set([5, 6]);
const MAX_PARAMETER_VALUE_LENGTH = 512;

/**
 * An Exchange audit record as the Office 365 Management Activity API writes it (PascalCase; `CreationTime`
 * without a zone means UTC). The same record arrives inside Defender's `RawEventData`, hence `source`.
 */
export function fromExchangeAudit(record: JsonObject, source: EventSource = 'exchange'): NormalizeOutcome {
  const operation = text(record['Operation']);
  if (operation === undefined) return skip('invalid-record', 'Exchange: no Operation');
  const kind = OPERATION_KINDS.get(operation.toLowerCase());
  if (kind === undefined) return skip('operation-not-used', `Exchange ${operation}`);
  const time = timestampOf(record['CreationTime']);
  if (time === undefined) return skip('invalid-record', `Exchange ${operation}: no readable CreationTime`);

  const appAccess = objectOf(record['AppAccessContext']);
  const userType = numberOf(record['UserType']);
  const userId = text(record['UserId']);
  const tokenObjectId = text(record['TokenObjectId']);
  const actsAsApplication = userType !== undefined && APPLICATION_USER_TYPES.has(userType);
  const clientInfoString = text(record['ClientInfoString']);

  const actor: Actor = {
    // When an application acted, UserId names the mailbox it acted on, not who acted.
    userPrincipalName: !actsAsApplication && userId !== undefined && looksLikeUpn(userId) ? userId : undefined,
    userId: actsAsApplication ? undefined : tokenObjectId,
    appId: text(record['AppId']),
    servicePrincipalId: actsAsApplication ? tokenObjectId : undefined,
    ipAddress: ipAddressOf(record['ClientIPAddress']) ?? ipAddressOf(record['ClientIP']) ?? ipAddressOf(record['ActorIpAddress']),
    userAgent: clientInfoString,
  };
  const token = tokenOfAppAccess(appAccess, text(record['TokenTenantId']));
  const mailbox: MailboxRef = { ownerUpn: text(record['MailboxOwnerUPN']), guid: text(record['MailboxGuid']) };

  const recordId = text(record['Id']) ?? wholeRecordFingerprint('exchange', record);

  // Each kind's fields are assigned onto this one object: spreading it into each kind's literal cost
  // microseconds a record (V8 copies a spread with extra keys the slow way).
  const common = {
    source,
    recordType: operation,
    recordId,
    time,
    tenantId: text(record['OrganizationId']) ?? text(record['TokenTenantId']),
    actor,
    token,
    operation,
    mailbox,
    clientInfoString,
    clientAppId: text(record['ClientAppId']) ?? (appAccess && text(appAccess['ClientAppId'])),
  };

  switch (kind) {
    case 'mailItemsAccessed': {
      const properties = nameValuePairs(record['OperationProperties']);
      const accessType = properties.get('mailaccesstype')?.toLowerCase();
      return Object.assign(common, {
        kind,
        accessType: accessType === 'bind' ? ('Bind' as const) : accessType === 'sync' ? ('Sync' as const) : undefined,
        folders: objectsOf(record['Folders']).map(toFolder),
        throttled: booleanOf(properties.get('isthrottled')),
        operationCount: numberOf(record['OperationCount']),
      });
    }
    case 'mailItemOperation': {
      const items = [objectOf(record['Item']), ...objectsOf(record['AffectedItems'])]
        .filter((item): item is JsonObject => item !== undefined)
        .map((item) => toItem(item, text(objectOf(record['Folder'])?.['Id'])));
      return Object.assign(common, { kind, items, destinationFolderId: text(objectOf(record['DestFolder'])?.['Id']) });
    }
    case 'mailboxChange': {
      const parameterList = [...objectsOf(record['Parameters']), ...objectsOf(record['OperationProperties'])];
      const parameters = parameterList.flatMap((entry) => {
        const name = text(entry['Name']);
        if (name === undefined) return [];
        return [{ name, value: text(entry['Value'])?.slice(0, MAX_PARAMETER_VALUE_LENGTH) }];
      });
      const named = nameValuePairs(parameterList);
      return Object.assign(common, { kind, targetIdentity: named.get('identity') ?? named.get('mailbox') ?? text(record['ObjectId']), parameters });
    }
    case 'mailboxSearch':
      return Object.assign(common, { kind });
    case 'mailboxLogin':
      return Object.assign(common, { kind, logonType: numberOf(record['LogonType']) });
  }
}

function toFolder(folder: JsonObject): MailFolderRef {
  const folderId = text(folder['Id']);
  return {
    id: folderId,
    path: text(folder['Path']),
    items: objectsOf(folder['FolderItems']).map((item) => toItem(item, folderId)),
  };
}

function toItem(item: JsonObject, fallbackFolderId: string | undefined): MailItemRef {
  const immutableId = text(item['ImmutableId']);
  return {
    internetMessageId: text(item['InternetMessageId']),
    itemId: text(item['Id']),
    // Exchange writes this literal when it could not convert the id.
    immutableId: immutableId === 'ErrorDuringIdConversion' ? undefined : immutableId,
    folderId: text(objectOf(item['ParentFolder'])?.['Id']) ?? fallbackFolderId,
  };
}

function looksLikeUpn(value: string): boolean {
  return value.includes('@') && !/\s/.test(value);
}

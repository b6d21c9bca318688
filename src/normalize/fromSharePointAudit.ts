import type { Actor, EventSource, FileOperationEvent, FileRef } from '../domain/events.js';
import { ipAddressOf, type JsonObject, objectOf, text, timestampOf } from './fields.js';
import { tokenOfAppAccess } from './appAccessContext.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { wholeRecordFingerprint } from './recordFingerprint.js';

/** Operations that hand someone the file's content: opening, previewing, downloading, syncing, copying it. */
const READ_OPERATIONS = [
  'fileaccessed',
  'fileaccessedextended',
  'filedownloaded',
  'filepreviewed',
  'filesyncdownloadedfull',
  'filesyncdownloadedpartial',
  'filecopied',
  // A sharing link opened: the file was reached through it.
  'anonymouslinkused',
  'companylinkused',
  'securelinkused',
  // Someone reached the file without access and asked for it: they went looking.
  'accessrequestcreated',
];

/** Operations that change the file, or who may reach it. */
const CHANGE_OPERATIONS = [
  'filemodified',
  'filemodifiedextended',
  'filerenamed',
  'filemoved',
  'filedeleted',
  'filedeletedfirststagerecyclebin',
  'filedeletedsecondstagerecyclebin',
  'filerecycled',
  'fileuploaded',
  'filecheckedout',
  'filecheckedin',
  'filerestored',
  'filesensitivitylabelchanged',
  'sharingset',
  'sharinginvitationcreated',
  'sharinginheritancebroken',
  'anonymouslinkcreated',
  'anonymouslinkupdated',
  'companylinkcreated',
  'securelinkcreated',
  'addedtosecurelink',
  'permissionlevelsmodified',
];

const ACCESS_OF: ReadonlyMap<string, FileOperationEvent['access']> = new Map([
  ...READ_OPERATIONS.map((operation) => [operation, 'read'] as const),
  ...CHANGE_OPERATIONS.map((operation) => [operation, 'change'] as const),
]);

/** SharePoint writes guests as `urn:spo:guest#alice@example.com`. */
const GUEST_PREFIX = 'urn:spo:guest#';

/**
 * A SharePoint or OneDrive file operation as the Office 365 Management Activity API writes it (`Audit.SharePoint`,
 * RecordType 6 and friends). The same record arrives inside Defender's `RawEventData`, hence `source`. Searches,
 * page views and list operations are not used: a search that returns a decoy file has not read it.
 */
export function fromSharePointAudit(record: JsonObject, source: EventSource = 'exchange'): NormalizeOutcome {
  const operation = text(record['Operation']);
  const workload = text(record['Workload']) ?? 'SharePoint';
  if (operation === undefined) return skip('invalid-record', `${workload}: no Operation`);
  const access = ACCESS_OF.get(operation.toLowerCase());
  if (access === undefined) return skip('operation-not-used', `${workload} ${operation}`);
  const time = timestampOf(record['CreationTime']);
  if (time === undefined) return skip('invalid-record', `${workload} ${operation}: no readable CreationTime`);

  const appAccess = objectOf(record['AppAccessContext']);
  const userId = text(record['UserId']);
  const principal = userId?.startsWith(GUEST_PREFIX) ? userId.slice(GUEST_PREFIX.length) : userId;
  const actor: Actor = {
    // `app@sharepoint` and `SHAREPOINT\system` name no person: an app-only caller is known by its ApplicationId.
    userPrincipalName: principal !== undefined && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(principal) ? principal : undefined,
    // SharePoint records carry no object ids of the caller (UserKey is a PUID).
    userId: undefined,
    appId: text(record['ApplicationId']) ?? (appAccess && text(appAccess['ClientAppId'])),
    servicePrincipalId: undefined,
    ipAddress: ipAddressOf(record['ClientIP']) ?? ipAddressOf(record['ClientIPAddress']),
    userAgent: text(record['UserAgent']),
  };
  const token = tokenOfAppAccess(appAccess, undefined);
  const event: FileOperationEvent = {
    kind: 'fileOperation',
    source,
    recordType: operation,
    recordId: text(record['Id']) ?? wholeRecordFingerprint('sharepoint', record),
    time,
    tenantId: text(record['OrganizationId']),
    actor,
    token,
    operation,
    workload,
    access,
    file: fileOf(record),
    clientAppId: appAccess && text(appAccess['ClientAppId']),
  };
  return event;
}

function fileOf(record: JsonObject): FileRef {
  const siteUrl = text(record['SiteUrl']);
  const fileName = text(record['SourceFileName']);
  const relative = text(record['SourceRelativeUrl']);
  const objectId = text(record['ObjectId']);
  const urls: string[] = [];
  // `SourceRelativeUrl` is the folder, relative to the site (`Shared Documents/Finance`); sharing records
  // write the file's own path there (`Documents/Q3.xlsx`), so a last segment that is the file name may be either.
  if (siteUrl !== undefined && relative !== undefined) {
    const folder = [siteUrl.replace(/\/+$/, ''), ...relative.split('/')].filter((part) => part !== '');
    if (fileName !== undefined) urls.push([...folder, fileName].join('/'));
    if (fileName === undefined || folder.at(-1)?.toLowerCase() === fileName.toLowerCase()) urls.push(folder.join('/'));
  }
  if (objectId !== undefined && /^https?:\/\//i.test(objectId) && !urls.includes(objectId)) urls.push(objectId);
  return { listItemUniqueId: text(record['ListItemUniqueId']), urls, siteUrl, fileName };
}

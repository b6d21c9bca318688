import type { DirectoryAuditEvent, DirectoryTarget } from '../domain/events.js';
import { ipAddressOf, type JsonObject, nameValuePairs, objectOf, objectsOf, text, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { wholeRecordFingerprint } from './recordFingerprint.js';

/** An Entra `AuditLogs` record; `properties` is the Graph `directoryAudit` resource. */
export function fromEntraAudit(record: JsonObject): NormalizeOutcome {
  const properties = objectOf(record['properties']);
  if (properties === undefined) return skip('invalid-record', 'AuditLogs: no properties');
  const time = timestampOf(properties['activityDateTime']) ?? timestampOf(record['time']);
  if (time === undefined) return skip('invalid-record', 'AuditLogs: no readable time');
  const activity = text(properties['activityDisplayName']) ?? text(record['operationName']);
  if (activity === undefined) return skip('invalid-record', 'AuditLogs: no activity');

  const initiatedBy = objectOf(properties['initiatedBy']);
  const byUser = objectOf(initiatedBy?.['user']);
  const byApp = objectOf(initiatedBy?.['app']);
  const additional = nameValuePairs(properties['additionalDetails']);

  const recordId = text(properties['id']) ?? wholeRecordFingerprint('audit', record);

  const event: DirectoryAuditEvent = {
    kind: 'directoryAudit',
    source: 'entra',
    recordType: 'AuditLogs',
    recordId,
    time,
    tenantId: text(record['tenantId']) ?? text(properties['tenantId']),
    activity,
    category: text(properties['category']),
    operationType: text(properties['operationType']),
    result: text(properties['result']),
    targets: objectsOf(properties['targetResources']).map(toDirectoryTarget),
    actor: {
      userPrincipalName: byUser && text(byUser['userPrincipalName']),
      userId: byUser && text(byUser['id']),
      appId: byApp && text(byApp['appId']),
      servicePrincipalId: byApp && text(byApp['servicePrincipalId']),
      ipAddress: (byUser && ipAddressOf(byUser['ipAddress'])) ?? ipAddressOf(record['callerIpAddress']),
      userAgent: additional.get('user-agent'),
    },
  };
  return event;
}

function toDirectoryTarget(target: JsonObject): DirectoryTarget {
  return {
    id: text(target['id']),
    type: text(target['type']),
    userPrincipalName: text(target['userPrincipalName']),
    displayName: text(target['displayName']),
    modifiedProperties: objectsOf(target['modifiedProperties'])
      .map((property) => text(property['displayName']))
      .filter((name): name is string => name !== undefined),
  };
}

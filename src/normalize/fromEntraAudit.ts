import type { DirectoryAuditEvent, DirectoryTarget } from '../domain/events.js';
import { ipAddressOf, type JsonObject, nameValuePairs, objectOf, objectsOf, textOf, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { recordFingerprint } from './recordFingerprint.js';

/** An Entra `AuditLogs` record; `properties` is the Graph `directoryAudit` resource. */
export function fromEntraAudit(record: JsonObject): NormalizeOutcome {
  const properties = objectOf(record['properties']);
  if (properties === undefined) return skip('invalid-record', 'AuditLogs: no properties');
  const time = timestampOf(properties['activityDateTime']) ?? timestampOf(record['time']);
  if (time === undefined) return skip('invalid-record', 'AuditLogs: no readable time');
  const activity = textOf(properties, 'activityDisplayName') ?? textOf(record, 'operationName');
  if (activity === undefined) return skip('invalid-record', 'AuditLogs: no activity');

  const initiatedBy = objectOf(properties['initiatedBy']);
  const byUser = objectOf(initiatedBy?.['user']);
  const byApp = objectOf(initiatedBy?.['app']);
  const additional = nameValuePairs(properties['additionalDetails']);

  const event: DirectoryAuditEvent = {
    kind: 'directoryAudit',
    source: 'entra',
    recordType: 'AuditLogs',
    recordId: textOf(properties, 'id') ?? recordFingerprint('audit', JSON.stringify(record)),
    time,
    tenantId: textOf(record, 'tenantId') ?? textOf(properties, 'tenantId'),
    activity,
    category: textOf(properties, 'category'),
    operationType: textOf(properties, 'operationType'),
    result: textOf(properties, 'result'),
    targets: objectsOf(properties['targetResources']).map(toDirectoryTarget),
    actor: {
      userPrincipalName: byUser && textOf(byUser, 'userPrincipalName'),
      userId: byUser && textOf(byUser, 'id'),
      appId: byApp && textOf(byApp, 'appId'),
      servicePrincipalId: byApp && textOf(byApp, 'servicePrincipalId'),
      ipAddress: (byUser && ipAddressOf(byUser['ipAddress'])) ?? ipAddressOf(record['callerIpAddress']),
      userAgent: additional.get('user-agent'),
    },
  };
  return event;
}

function toDirectoryTarget(target: JsonObject): DirectoryTarget {
  return {
    id: textOf(target, 'id'),
    type: textOf(target, 'type'),
    userPrincipalName: textOf(target, 'userPrincipalName'),
    displayName: textOf(target, 'displayName'),
    modifiedProperties: objectsOf(target['modifiedProperties'])
      .map((property) => textOf(property, 'displayName'))
      .filter((name): name is string => name !== undefined),
  };
}

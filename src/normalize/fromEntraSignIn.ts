import type { EntraSignInCategory, SignInEvent } from '../domain/events.js';
import { absentIfEmpty, type JsonObject, numberOf, objectOf, ipAddressOf, text, textOf, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { recordFingerprint } from './recordFingerprint.js';

/**
 * An Entra sign-in diagnostic record (any sign-in category). Its `properties` are the Graph `signIn`
 * resource; envelope `time` is ingestion time, so event time is `properties.createdDateTime`.
 */
export function fromEntraSignIn(record: JsonObject, category: EntraSignInCategory): NormalizeOutcome {
  const properties = objectOf(record['properties']);
  if (properties === undefined) return skip('invalid-record', `${category}: no properties`);
  const time = timestampOf(properties['createdDateTime']) ?? timestampOf(record['time']);
  if (time === undefined) return skip('invalid-record', `${category}: no readable time`);

  const status = objectOf(properties['status']);
  const errorCode = numberOf(status?.['errorCode']) ?? numberOf(record['resultType']);
  const recordId = textOf(properties, 'id') ?? recordFingerprint(category, JSON.stringify(record));

  const event: SignInEvent = {
    kind: 'signIn',
    source: 'entra',
    recordType: category,
    recordId,
    time,
    tenantId: textOf(record, 'tenantId') ?? textOf(properties, 'tenantId', 'resourceTenantId'),
    category,
    succeeded: errorCode === 0,
    errorCode,
    failureReason: text(status?.['failureReason']),
    appDisplayName: textOf(properties, 'appDisplayName'),
    servicePrincipalName: textOf(properties, 'servicePrincipalName'),
    credentialKeyId: textOf(properties, 'servicePrincipalCredentialKeyId'),
    clientCredentialType: textOf(properties, 'clientCredentialType'),
    resourceId: textOf(properties, 'resourceId'),
    resourceDisplayName: textOf(properties, 'resourceDisplayName'),
    actor: {
      userPrincipalName: textOf(properties, 'userPrincipalName'),
      userId: textOf(properties, 'userId'),
      appId: textOf(properties, 'appId'),
      servicePrincipalId: textOf(properties, 'servicePrincipalId'),
      ipAddress: ipAddressOf(properties['ipAddress']) ?? ipAddressOf(record['callerIpAddress']),
      userAgent: textOf(properties, 'userAgent'),
    },
    token: absentIfEmpty({
      uniqueTokenId: textOf(properties, 'uniqueTokenIdentifier'),
      sessionId: textOf(properties, 'sessionId'),
      // A failed sign-in issued no token.
      issuedAt: errorCode === 0 ? time : undefined,
      kid: undefined,
      issuer: undefined,
      tenantId: undefined,
    }),
  };
  return event;
}

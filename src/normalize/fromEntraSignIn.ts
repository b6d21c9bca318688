import type { EntraSignInCategory, SignInEvent } from '../domain/events.js';
import { absentIfEmpty, ipAddressOf, type JsonObject, numberOf, objectOf, text, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { wholeRecordFingerprint } from './recordFingerprint.js';

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
  const recordId = text(properties['id']) ?? wholeRecordFingerprint(category, record);

  const event: SignInEvent = {
    kind: 'signIn',
    source: 'entra',
    recordType: category,
    recordId,
    time,
    tenantId: text(record['tenantId']) ?? text(properties['tenantId']) ?? text(properties['resourceTenantId']),
    category,
    succeeded: errorCode === 0,
    errorCode,
    failureReason: text(status?.['failureReason']),
    appDisplayName: text(properties['appDisplayName']),
    servicePrincipalName: text(properties['servicePrincipalName']),
    credentialKeyId: text(properties['servicePrincipalCredentialKeyId']),
    clientCredentialType: text(properties['clientCredentialType']),
    resourceId: text(properties['resourceId']),
    resourceDisplayName: text(properties['resourceDisplayName']),
    actor: {
      userPrincipalName: text(properties['userPrincipalName']),
      userId: text(properties['userId']),
      appId: text(properties['appId']),
      servicePrincipalId: text(properties['servicePrincipalId']),
      ipAddress: ipAddressOf(properties['ipAddress']) ?? ipAddressOf(record['callerIpAddress']),
      userAgent: text(properties['userAgent']),
    },
    token: absentIfEmpty({
      uniqueTokenId: text(properties['uniqueTokenIdentifier']),
      sessionId: text(properties['sessionId']),
      // A failed sign-in issued no token.
      issuedAt: errorCode === 0 ? time : undefined,
      kid: undefined,
      issuer: undefined,
      tenantId: undefined,
    }),
  };
  return event;
}

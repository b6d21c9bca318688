import type { GraphActivityEvent } from '../domain/events.js';
import { absentIfEmpty, epochSecondsOf, ipAddressOf, type JsonObject, numberOf, objectOf, text, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { wholeRecordFingerprint } from './recordFingerprint.js';
import { redactedUri } from './redactedUri.js';

/**
 * A `MicrosoftGraphActivityLogs` record: one Graph API request. Wire keys are camelCase except the token
 * claims Graph copies as `C_*` (spelled `c_*` by some producers) and `UserPrincipalObjectID`.
 */
export function fromGraphActivity(record: JsonObject): NormalizeOutcome {
  const properties = objectOf(record['properties']);
  if (properties === undefined) return skip('invalid-record', 'MicrosoftGraphActivityLogs: no properties');
  const time = timestampOf(properties['timeGenerated']) ?? timestampOf(record['time']);
  if (time === undefined) return skip('invalid-record', 'MicrosoftGraphActivityLogs: no readable time');
  const method = text(properties['requestMethod'])?.toUpperCase();
  const requestUri = text(properties['requestUri']);
  if (method === undefined || requestUri === undefined) {
    return skip('invalid-record', 'MicrosoftGraphActivityLogs: no requestMethod or requestUri');
  }

  const identityTypeRaw = (text(properties['C_Idtyp']) ?? text(properties['c_Idtyp']) ?? text(properties['c_idtyp']))?.toLowerCase();
  const identityType = identityTypeRaw === 'app' || identityTypeRaw === 'user' ? identityTypeRaw : undefined;
  const principalObjectId = text(properties['UserPrincipalObjectID']) ?? text(properties['userPrincipalObjectId']);
  const servicePrincipalId = text(properties['servicePrincipalId']) ?? (identityType === 'app' ? principalObjectId : undefined);
  const userId = text(properties['userId']) ?? (identityType === 'user' ? principalObjectId : undefined);

  const recordId = text(properties['requestId']) ?? wholeRecordFingerprint('graph', record);

  const event: GraphActivityEvent = {
    kind: 'graphActivity',
    source: 'entra',
    recordType: 'MicrosoftGraphActivityLogs',
    recordId,
    time,
    tenantId: text(properties['tenantId']) ?? text(record['tenantId']),
    method,
    requestUri: redactedUri(requestUri),
    responseStatusCode: numberOf(properties['responseStatusCode']) ?? numberOf(record['resultSignature']),
    identityType,
    actor: {
      userPrincipalName: undefined,
      userId,
      appId: text(properties['appId']),
      servicePrincipalId,
      ipAddress: ipAddressOf(properties['ipAddress']) ?? ipAddressOf(record['callerIpAddress']),
      userAgent: text(properties['userAgent']),
    },
    token: absentIfEmpty({
      uniqueTokenId: text(properties['signInActivityId']),
      sessionId: text(properties['C_Sid']) ?? text(properties['c_Sid']) ?? text(properties['c_sid']),
      issuedAt: timestampOf(properties['tokenIssuedAt']) ?? epochSecondsOf(properties['C_Iat']) ?? epochSecondsOf(properties['c_Iat']),
      kid: undefined,
      issuer: undefined,
      tenantId: text(properties['tenantId']),
    }),
  };
  return event;
}

import type { GraphActivityEvent } from '../domain/events.js';
import { absentIfEmpty, epochSecondsOf, ipAddressOf, type JsonObject, numberOf, objectOf, textOf, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { recordFingerprint } from './recordFingerprint.js';
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
  const method = textOf(properties, 'requestMethod')?.toUpperCase();
  const requestUri = textOf(properties, 'requestUri');
  if (method === undefined || requestUri === undefined) {
    return skip('invalid-record', 'MicrosoftGraphActivityLogs: no requestMethod or requestUri');
  }

  const identityTypeRaw = textOf(properties, 'C_Idtyp', 'c_Idtyp', 'c_idtyp')?.toLowerCase();
  const identityType = identityTypeRaw === 'app' || identityTypeRaw === 'user' ? identityTypeRaw : undefined;
  const principalObjectId = textOf(properties, 'UserPrincipalObjectID', 'userPrincipalObjectId');
  const servicePrincipalId =
    textOf(properties, 'servicePrincipalId') ?? (identityType === 'app' ? principalObjectId : undefined);
  const userId = textOf(properties, 'userId') ?? (identityType === 'user' ? principalObjectId : undefined);

  const event: GraphActivityEvent = {
    kind: 'graphActivity',
    source: 'entra',
    recordType: 'MicrosoftGraphActivityLogs',
    recordId: textOf(properties, 'requestId') ?? recordFingerprint('graph', JSON.stringify(record)),
    time,
    tenantId: textOf(properties, 'tenantId') ?? textOf(record, 'tenantId'),
    method,
    requestUri: redactedUri(requestUri),
    responseStatusCode: numberOf(properties['responseStatusCode']) ?? numberOf(record['resultSignature']),
    identityType,
    actor: {
      userPrincipalName: undefined,
      userId,
      appId: textOf(properties, 'appId'),
      servicePrincipalId,
      ipAddress: ipAddressOf(properties['ipAddress']) ?? ipAddressOf(record['callerIpAddress']),
      userAgent: textOf(properties, 'userAgent'),
    },
    token: absentIfEmpty({
      uniqueTokenId: textOf(properties, 'signInActivityId'),
      sessionId: textOf(properties, 'C_Sid', 'c_Sid', 'c_sid'),
      issuedAt: timestampOf(properties['tokenIssuedAt']) ?? epochSecondsOf(properties['C_Iat']) ?? epochSecondsOf(properties['c_Iat']),
      kid: undefined,
      issuer: undefined,
      tenantId: textOf(properties, 'tenantId'),
    }),
  };
  return event;
}

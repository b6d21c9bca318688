import type { TokenObservationEvent } from '../domain/events.js';
import { absentIfEmpty, epochSecondsOf, ipAddressOf, isObject, type JsonObject, numberOf, objectOf, text, timestampOf } from './fields.js';
import { type NormalizeOutcome, skip } from './outcome.js';
import { recordFingerprint } from './recordFingerprint.js';
import { redactedUri } from './redactedUri.js';

/**
 * A `TokenObservation` record from the customer's API gateway. The JWT usually arrives without its
 * signature (`header.payload` or `header.payload.`); only its header and claims are kept, never the token.
 */
export function fromTokenObservation(record: JsonObject): NormalizeOutcome {
  const properties = objectOf(record['properties']);
  if (properties === undefined) return skip('invalid-record', 'TokenObservation: no properties');
  const time = timestampOf(record['time']);
  if (time === undefined) return skip('invalid-record', 'TokenObservation: no readable time');
  const jwt = typeof properties['jwt'] === 'string' ? properties['jwt'].trim() : undefined;
  if (jwt === undefined || jwt === '') return skip('invalid-record', 'TokenObservation: no jwt');

  const segments = jwt.split('.');
  const [headerSegment, claimsSegment] = segments;
  if (headerSegment === undefined || claimsSegment === undefined || segments.length > 3) {
    return skip('invalid-record', `TokenObservation: jwt has ${segments.length} segments, expected 2 or 3`);
  }
  const header = jsonObjectOf(headerSegment);
  const claims = jsonObjectOf(claimsSegment);
  if (header === undefined || claims === undefined) {
    return skip('invalid-record', 'TokenObservation: jwt header or payload is not base64url JSON');
  }

  const requestUri = text(properties['requestUri']);
  const audience = audienceOf(claims['aud']);
  const observer = text(properties['observer']);
  const event: TokenObservationEvent = {
    kind: 'tokenObservation',
    source: 'token',
    recordType: 'TokenObservation',
    // Hash of the whole observation: a redelivered record is the same evidence; the hash reveals nothing.
    recordId: recordFingerprint('token', time, observer, jwt),
    time,
    tenantId: text(claims['tid']),
    header: { alg: text(header['alg']), kid: text(header['kid']), x5t: text(header['x5t']), typ: text(header['typ']) },
    claims: {
      iss: text(claims['iss']),
      tid: text(claims['tid']),
      aud: audience,
      iat: numberOf(claims['iat']),
      uti: text(claims['uti']),
      jti: text(claims['jti']),
      appId: text(claims['appid']) ?? text(claims['azp']),
      oid: text(claims['oid']),
      ver: text(claims['ver']),
    },
    signaturePresent: segments.length === 3 && segments[2] !== '',
    observer,
    // Gateways log full URLs, and some clients put the bearer token in the query string.
    requestUri: requestUri === undefined ? undefined : redactedUri(requestUri),
    actor: {
      userPrincipalName: undefined,
      userId: text(claims['oid']),
      appId: text(claims['appid']) ?? text(claims['azp']),
      servicePrincipalId: undefined,
      ipAddress: ipAddressOf(properties['ipAddress']),
      userAgent: text(properties['userAgent']),
    },
    token: absentIfEmpty({
      uniqueTokenId: text(claims['uti']),
      sessionId: text(claims['sid']),
      issuedAt: epochSecondsOf(claims['iat']),
      kid: text(header['kid']),
      issuer: text(claims['iss']),
      tenantId: text(claims['tid']),
    }),
  };
  return event;
}

/**
 * `aud` as one string: a list's audiences joined. The payload is the forger's to shape, so only strings are
 * read: joining what else a list holds would walk it (a list nested a million deep overflows the stack), and a
 * token with a deep claim must still be judged, not dead-lettered, or the depth would hide the forgery.
 */
function audienceOf(value: unknown): string | undefined {
  if (!Array.isArray(value)) return text(value);
  const audiences: string[] = [];
  for (const item of value) {
    const audience = text(item);
    if (audience !== undefined) audiences.push(audience);
  }
  return audiences.length === 0 ? undefined : audiences.join(' ');
}

/** As jose decodes a segment: a leading byte-order mark is dropped, invalid bytes become U+FFFD. */
const UTF8 = new TextDecoder();

/**
 * A JWT segment's JSON object, or undefined when it does not decode to one. Decoded with Buffer rather than
 * jose's decoders (they go through atob and each re-split the token; nothing is verified here, so nothing
 * of jose's is lost). Buffer passes over characters outside the alphabet rather than refusing them: a
 * segment with stray characters still has to decode to a JSON object to be read.
 */
function jsonObjectOf(segment: string): JsonObject | undefined {
  if (segment === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(UTF8.decode(Buffer.from(segment, 'base64url')));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

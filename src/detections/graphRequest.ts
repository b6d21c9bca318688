import type { GraphActivityEvent } from '../domain/events.js';

/**
 * Reads the resource a Microsoft Graph request addressed out of its URI (`requestUri` in Graph activity
 * logs): `/v1.0/users/{id|upn}/messages/{id}`, `/beta/applications(appId='…')/addPassword`, `/me/…`.
 * Graph paths are case-insensitive, so collection and segment names are compared lower-cased; keys are
 * kept as written (URL-decoded) and compared by the decoy index's own rules.
 */
export interface GraphRequestPath {
  /** `users`, `applications`, `serviceprincipals`, `directoryobjects`, `me`, … lower-cased. */
  readonly collection: string;
  /** The addressed object's key, when the path names one. */
  readonly key?: string;
  /** How the key addresses it: `id` for `/users/{id}`, else the alternate key name (`appid`). */
  readonly keyName?: string;
  /** The segments after the addressed object, URL-decoded; names in them lower-cased. */
  readonly rest: readonly string[];
  /** The same segments as written (ids in them are case-sensitive). */
  readonly restAsWritten: readonly string[];
}

const parsedRequests = new WeakMap<GraphActivityEvent, GraphRequestPath | null>();

/** The request path of a Graph activity event, parsed once however many detections ask. */
export function graphRequestOf(event: GraphActivityEvent): GraphRequestPath | undefined {
  let parsed = parsedRequests.get(event);
  if (parsed === undefined) {
    parsed = parseGraphRequest(event.requestUri) ?? null;
    parsedRequests.set(event, parsed);
  }
  return parsed ?? undefined;
}

const VERSION_SEGMENT = /^(v1\.0|beta)$/i;
// users('x'), applications(appId='x'), servicePrincipals(appId='x')
const KEY_IN_PARENS = /^([A-Za-z]+)\((?:([A-Za-z]+)=)?'?([^')]*)'?\)$/;

export function parseGraphRequest(requestUri: string): GraphRequestPath | undefined {
  let path: string;
  try {
    path = new URL(requestUri, 'https://graph.microsoft.com').pathname;
  } catch {
    return undefined;
  }
  const segments = path.split('/').filter((segment) => segment !== '').map(safeDecode);
  if (segments.length > 0 && VERSION_SEGMENT.test(segments[0]!)) segments.shift();
  const first = segments.shift();
  if (first === undefined) return undefined;

  const inParens = KEY_IN_PARENS.exec(first);
  if (inParens) {
    return {
      collection: inParens[1]!.toLowerCase(),
      key: inParens[3],
      keyName: (inParens[2] ?? 'id').toLowerCase(),
      rest: segments.map((segment) => segment.toLowerCase()),
      restAsWritten: segments,
    };
  }
  const collection = first.toLowerCase();
  if (collection === 'me') {
    return { collection, rest: segments.map((segment) => segment.toLowerCase()), restAsWritten: segments };
  }
  const key = segments.shift();
  return {
    collection,
    key,
    keyName: key === undefined ? undefined : 'id',
    rest: segments.map((segment) => segment.toLowerCase()),
    restAsWritten: segments,
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Methods that change what they address. Graph's read-only POST actions are few and not decoy-relevant. */
export function isWriteMethod(method: string): boolean {
  return method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
}

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

// The detections that read a request's path meet each event one after another: remembering the last one
// parses each path once (a WeakMap did the same at several times the cost, on every Graph record).
let lastEvent: GraphActivityEvent | undefined;
let lastPath: GraphRequestPath | undefined;

/** The request path of a Graph activity event, parsed once however many detections ask in a row. */
export function graphRequestOf(event: GraphActivityEvent): GraphRequestPath | undefined {
  if (event !== lastEvent) {
    lastPath = parseGraphRequest(event.requestUri);
    lastEvent = event;
  }
  return lastPath;
}

const VERSION_SEGMENT = /^(v1\.0|beta)$/i;
// users('x'), applications(appId='x'), servicePrincipals(appId='x')
const KEY_IN_PARENS = /^([A-Za-z]+)\((?:([A-Za-z]+)=)?'?([^')]*)'?\)$/;

export function parseGraphRequest(requestUri: string): GraphRequestPath | undefined {
  const path = pathOf(requestUri);
  if (path === undefined) return undefined;
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map(safeDecode);
  const [head] = segments;
  if (head !== undefined && VERSION_SEGMENT.test(head)) segments.shift();
  const first = segments.shift();
  if (first === undefined) return undefined;

  const [, collectionInParens, keyNameInParens, keyInParens] = KEY_IN_PARENS.exec(first) ?? [];
  if (collectionInParens !== undefined) {
    return {
      collection: collectionInParens.toLowerCase(),
      key: keyInParens,
      keyName: (keyNameInParens ?? 'id').toLowerCase(),
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

const GRAPH_ORIGIN = 'https://graph.microsoft.com/';
// Characters the URL parser leaves as they are in a path (it encodes controls, space, " # < > ? ` { } and
// non-ASCII, and reads a backslash as a slash).
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/^|[\]]*$/;

/**
 * The request's path as the URL parser reads it. Every Graph activity record has one: a path of plain
 * characters with no dot segments (`/.`, `%2e`) is its own answer, which spares a URL parse per record;
 * anything else takes the parser's word.
 */
function pathOf(requestUri: string): string | undefined {
  const start = requestUri.startsWith(GRAPH_ORIGIN) ? GRAPH_ORIGIN.length - 1 : requestUri.startsWith('/') && !requestUri.startsWith('//') ? 0 : -1;
  if (start !== -1) {
    const query = requestUri.indexOf('?', start);
    const fragment = requestUri.indexOf('#', start);
    const end = Math.min(query === -1 ? requestUri.length : query, fragment === -1 ? requestUri.length : fragment);
    const path = requestUri.slice(start, end);
    if (PLAIN_PATH.test(path) && !path.includes('/.') && !/%2e/i.test(path)) return path;
  }
  try {
    return new URL(requestUri, 'https://graph.microsoft.com').pathname;
  } catch {
    return undefined;
  }
}

function safeDecode(segment: string): string {
  if (!segment.includes('%')) return segment;
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

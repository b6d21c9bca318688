import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Caller } from '../../domain/audit.js';
import { DecoyValidationError } from '../../decoys/parseDecoys.js';
import { DirectoryError } from '../../ports/directory.js';
import type { AdminApiDependencies } from './adminDependencies.js';
import { DecoyNotFoundError, LifecycleConflictError, NotConfiguredError } from '../decoys/errors.js';
import { DecoyStateError } from '../../decoys/decoyKind.js';
import { ApiError, errorBody } from './apiError.js';
import { ADMIN_ROUTES } from './adminRoutes.js';
import type { Route, RouteResult } from './routes/route.js';
import type { CallerAuthenticator } from './callerAuthenticator.js';
import { openApiDocument } from './openApiDocument.js';
import { ConcurrencyError } from '../../ports/store/versioned.js';
import type { ConsoleConfig } from './consoleConfig.js';

/** The admin API's requests, whichever host received them (the Functions host or the local one). */
export interface AdminRequest {
  readonly method: string;
  /** The full URL, path under `/api`. */
  readonly url: URL;
  readonly headers: { get(name: string): string | null };
  /** Reads the body as text, refusing (`ApiError` 413) more than `limitInBytes`. */
  readonly readBody: (limitInBytes: number) => Promise<string>;
  /** The caller's address as the host saw it, for the logs. */
  readonly ipAddress?: string;
}

export interface AdminResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, or undefined for 204. */
  readonly body?: string;
}

export const API_BASE_PATH = '/api';
/** Request bodies are small JSON documents; anything larger is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;

export const RESPONSE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  // Answers may carry lure material or alert details: no cache may keep them.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // JSON is never a page: opened in a browser or framed, it runs and loads nothing.
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

/**
 * The admin API: routes a request, authenticates and authorises the caller, validates every input, runs
 * the use case and writes the audit trail. Every answer is JSON; every error has one shape and no stack.
 * `authenticator` is undefined when the API is not configured (no tenant or client id): then only the
 * OpenAPI document is served and every other route answers 503.
 */
export class AdminApi {
  constructor(
    private readonly dependencies: AdminApiDependencies,
    private readonly authenticator: CallerAuthenticator | undefined,
    private readonly consoleConfig: ConsoleConfig = { mode: 'unconfigured', cloud: 'public' },
  ) {}

  async handle(request: AdminRequest): Promise<AdminResponse> {
    let route: Route | undefined;
    let caller: Caller | undefined;
    let params: Record<string, string> = {};
    let body: unknown;
    try {
      const matched = this.match(request);
      if (matched === 'openapi') return respond(200, this.document);
      if (matched === 'console-config') return respond(200, this.consoleConfig);
      ({ route, params } = matched);
      if (this.authenticator === undefined)
        throw new ApiError(503, 'notConfigured', 'the admin API is not configured: set LURE_TENANT_ID and LURE_API_CLIENT_ID');
      caller = await this.authenticator.authenticate(request.headers.get('authorization'), route.access === 'public' ? 'read' : route.access, {
        ...(request.ipAddress === undefined ? {} : { ipAddress: request.ipAddress }),
      });
      const validParams = parseParams(route, params);
      const query = parseQuery(route, request.url.searchParams);
      body = await parseBody(route, request);
      // A bad body is reported before a missing precondition: the caller fixes one thing at a time, in order.
      const ifMatch = route.requiresIfMatch ? parseIfMatch(request.headers.get('if-match')) : undefined;
      const result = await route.handle(this.dependencies, { params: validParams, query, body, caller, ...(ifMatch === undefined ? {} : { ifMatch }) });
      const { audit } = route;
      if (audit !== undefined) {
        // The change is made: an answer carrying a new secret must reach the caller even if the trail cannot be written.
        const { objectId } = caller;
        await this.audit(audit, caller, params, body, 'succeeded', result.status, result.auditDetail).catch((error: unknown) =>
          this.dependencies.logger.error('admin API: audit entry not written', {
            action: audit.action,
            target: audit.target(params, body),
            objectId,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      }
      return respondWith(result);
    } catch (thrown) {
      const error = this.asApiError(thrown, route);
      // A change that started and could not finish is on the record too; a refused request changed nothing.
      if (route?.audit !== undefined && caller !== undefined && error.status >= 500) {
        await this.audit(route.audit, caller, params, body, 'failed', error.status, error.message).catch(() => undefined);
      }
      return respond(error.status, errorBody(error), error.headers);
    }
  }

  private readonly document = openApiDocument(ADMIN_ROUTES);

  private match(request: AdminRequest): { route: Route; params: Record<string, string> } | 'openapi' | 'console-config' {
    const path = request.url.pathname;
    if (!path.startsWith(`${API_BASE_PATH}/`)) throw new ApiError(404, 'notFound', 'no such route');
    const segments = path.slice(API_BASE_PATH.length + 1).split('/');
    // Read before anyone signs in: the API's description, and how the console signs a person in.
    if (segments.length === 1 && (segments[0] === 'openapi.json' || segments[0] === 'console-config')) {
      if (request.method !== 'GET') throw new ApiError(405, 'methodNotAllowed', 'only GET', undefined, { Allow: 'GET' });
      return segments[0] === 'openapi.json' ? 'openapi' : 'console-config';
    }
    let decoded: string[];
    try {
      decoded = segments.map((segment) => decodeURIComponent(segment));
    } catch {
      throw new ApiError(400, 'invalidPath', 'the path is not validly percent-encoded');
    }
    const candidates = ADMIN_ROUTES.flatMap((route) => {
      const params = matchPath(route.path, decoded);
      return params === undefined ? [] : [{ route, params }];
    });
    if (candidates.length === 0) throw new ApiError(404, 'notFound', 'no such route');
    const chosen = candidates.find((candidate) => candidate.route.method === request.method);
    if (chosen === undefined) {
      const allowed = [...new Set(candidates.map((candidate) => candidate.route.method))].join(', ');
      throw new ApiError(405, 'methodNotAllowed', `this route takes ${allowed}`, undefined, { Allow: allowed });
    }
    return { route: chosen.route, params: chosen.params };
  }

  private asApiError(error: unknown, route: Route | undefined): ApiError {
    if (error instanceof ApiError) return error;
    if (error instanceof DecoyNotFoundError) return new ApiError(404, 'notFound', error.message);
    if (error instanceof LifecycleConflictError || error instanceof DecoyStateError) return new ApiError(409, 'conflict', error.message);
    if (error instanceof NotConfiguredError) return new ApiError(501, 'notConfigured', error.message);
    if (error instanceof DecoyValidationError) {
      // Identifiers another decoy owns are a conflict with the registry, not a malformed field.
      const conflict = /duplicate|also owned|already/.test(error.message);
      return new ApiError(conflict ? 409 : 400, conflict ? 'conflict' : 'invalidField', error.message, error.field);
    }
    if (error instanceof ConcurrencyError) return new ApiError(409, 'conflict', 'the object changed meanwhile; try again');
    if (error instanceof DirectoryError) return new ApiError(502, 'directoryFailed', `Microsoft Graph: ${error.message}`);
    const reference = newAuditId();
    this.dependencies.logger.error('admin API: request failed', {
      reference,
      route: route?.operationId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return new ApiError(500, 'internal', `the request failed inside Lure (reference ${reference}); nothing secret is in the logs, the reference is`);
  }

  private async audit(
    audit: NonNullable<Route['audit']>,
    caller: Caller,
    params: Readonly<Record<string, string>>,
    body: unknown,
    outcome: 'succeeded' | 'failed',
    status: number,
    detail: string | undefined,
  ): Promise<void> {
    await this.dependencies.store.createAuditEntry({
      id: newAuditId(),
      at: this.dependencies.clock.now().toISOString(),
      caller: {
        objectId: caller.objectId,
        ...(caller.userPrincipalName === undefined ? {} : { userPrincipalName: caller.userPrincipalName }),
        ...(caller.appId === undefined ? {} : { appId: caller.appId }),
      },
      action: audit.action,
      target: audit.target(params, body),
      outcome,
      status,
      ...(detail === undefined ? {} : { detail: detail.slice(0, 2000) }),
    });
  }
}

/** `{name}` segments bind parameters; others must match exactly. */
function matchPath(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = template.slice(1).split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index];
    // The lengths are equal, so there is a segment for every part.
    if (segment === undefined) return undefined;
    if (part.startsWith('{')) params[part.slice(1, -1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

function parseParams(route: Route, params: Readonly<Record<string, string>>): Record<string, string> {
  const valid: Record<string, string> = {};
  for (const [name, schema] of Object.entries(route.params ?? {})) {
    const result = schema.safeParse(params[name]);
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a failed safeParse always has an issue
    if (!result.success) throw new ApiError(400, 'invalidField', result.error.issues[0]!.message, name);
    valid[name] = result.data;
  }
  return valid;
}

function parseQuery(route: Route, search: URLSearchParams): Record<string, unknown> {
  // A Map: the names are the caller's, and `name in {}` holds for `constructor` (and `__proto__` cannot be set).
  const raw = new Map<string, string>();
  for (const [name, value] of search) {
    if (raw.has(name)) throw new ApiError(400, 'invalidField', 'given more than once', name);
    raw.set(name, value);
  }
  if (route.query === undefined) {
    const first = raw.keys().next().value;
    if (first !== undefined) throw new ApiError(400, 'invalidField', 'this route takes no query parameters', first);
    return {};
  }
  // Own properties, even for `__proto__`: the schema sees every name and refuses what it does not know.
  return validated(route.query, Object.fromEntries(raw), '') as Record<string, unknown>;
}

function parseIfMatch(header: string | null): string {
  if (header === null)
    throw new ApiError(428, 'preconditionRequired', "send If-Match with the ETag of a GET of this decoy, so no one else's change is overwritten", 'If-Match');
  const tag = /^"([A-Za-z0-9_-]+)"$/.exec(header.trim())?.[1];
  if (tag === undefined) throw new ApiError(412, 'preconditionFailed', 'If-Match must be one ETag this API gave', 'If-Match');
  return Buffer.from(tag, 'base64url').toString('utf8');
}

async function parseBody(route: Route, request: AdminRequest): Promise<unknown> {
  const declaredLength = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declaredLength) && declaredLength > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.readBody(MAX_BODY_BYTES);
  if (route.body === undefined) {
    if (text.trim() !== '') throw new ApiError(400, 'invalidRequest', 'this route takes no body');
    return undefined;
  }
  if (text.trim() === '') {
    if (route.bodyOptional) return validated(route.body, {}, '');
    throw new ApiError(400, 'invalidRequest', 'a JSON body is required');
  }
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(contentType.trim())) {
    throw new ApiError(415, 'unsupportedMediaType', 'send the body as Content-Type: application/json (UTF-8)', 'Content-Type');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'malformedJson', `the body is not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : 'parse error'})`);
  }
  return validated(route.body, parsed, '');
}

/** Parses with a schema; the first problem becomes a 400 naming the field. */
function validated(schema: z.ZodType, input: unknown, prefix: string): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a failed safeParse always has an issue
  const issue = result.error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
  if (issue.code === 'unrecognized_keys') {
    return fail(`unknown field(s) ${issue.keys.join(', ')}`, [path, issue.keys[0]].filter((part) => part !== '' && part !== undefined).join('.'));
  }
  return fail(issue.message, path || '(body)');
}

function fail(message: string, field: string): never {
  throw new ApiError(400, 'invalidField', message, field);
}

export function tooLarge(): ApiError {
  return new ApiError(413, 'payloadTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes`);
}

/** A fresh audit entry id (also the reference an internal error names). */
function newAuditId(): string {
  return randomUUID();
}

function respondWith(result: RouteResult): AdminResponse {
  const headers: Record<string, string> = {};
  if (result.etag !== undefined) headers['ETag'] = `"${Buffer.from(result.etag, 'utf8').toString('base64url')}"`;
  if (result.location !== undefined) headers['Location'] = result.location;
  if (result.status === 204) return { status: 204, headers: { 'Cache-Control': 'no-store' } };
  return respond(result.status, result.body, headers);
}

function respond(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): AdminResponse {
  return { status, headers: { ...RESPONSE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

import type { z } from 'zod';
import type { Caller } from '../../../domain/audit.js';
import type { AdminDependencies } from '../adminDependencies.js';
import type { Versioned } from '../../../ports/store/versioned.js';
import { ApiError } from '../apiError.js';
import type { AccessLevel } from '../callerAuthenticator.js';
import { pageOf } from '../paging.js';

/** What a route handler gets: validated parameters, query and body, and who is calling. */
export interface RouteInput {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly caller: Caller;
  /** The store ETag an `If-Match` header named (decoded), if any. */
  readonly ifMatch?: string;
}

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  /** The store ETag of the resource returned (sent as the `ETag` header). */
  readonly etag?: string;
  readonly location?: string;
  /** What the change was, for the audit trail (changing routes only). */
  readonly auditDetail?: string;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Under `/api`, with `{name}` parameters. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** `public` needs no token; `read` needs Lure.Reader or Lure.Admin; `write` needs Lure.Admin. */
  readonly access: AccessLevel | 'public';
  readonly params?: Readonly<Record<string, z.ZodType<string>>>;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Whether the body may be left out (then it is `{}`). */
  readonly bodyOptional?: boolean;
  readonly requiresIfMatch?: boolean;
  readonly response: { readonly status: number; readonly schema?: z.ZodType; readonly description: string };
  /** Changing routes: the audit action, and the object it names. */
  readonly audit?: { readonly action: string; readonly target: (params: Readonly<Record<string, string>>, body: unknown) => string };
  readonly handle: (dependencies: AdminDependencies, input: RouteInput) => Promise<RouteResult>;
}

/** What a reading route says of itself; the factories add the method, the access and the handler. */
type ReadingRoute = Pick<Route, 'path' | 'operationId' | 'summary' | 'response'>;

/** The `{id}` a route's path binds: always there once the route has matched. */
export function idParam(params: Readonly<Record<string, string>>): string {
  const id = params['id'];
  if (id === undefined) throw new Error('the route has no {id} parameter');
  return id;
}

export function notFound(kind: string, id: string): ApiError {
  return new ApiError(404, 'notFound', `${kind} ${id} does not exist`);
}

/**
 * `GET …/{id}` of one object: 404 (`"{kind} {id} does not exist"`) when the store has none. With `sendsEtag`
 * the answer carries the store ETag, for the routes whose changes take `If-Match`.
 */
export function getRoute<T>(
  route: ReadingRoute & {
    readonly params: { readonly id: z.ZodType<string> };
    readonly kind: string;
    readonly load: (dependencies: AdminDependencies, id: string) => Promise<Versioned<T> | undefined>;
    readonly show: (value: T, dependencies: AdminDependencies) => unknown;
    readonly sendsEtag: boolean;
  },
): Route {
  const { kind, load, show, sendsEtag, ...described } = route;
  return {
    method: 'GET',
    access: 'read',
    ...described,
    async handle(dependencies, { params }) {
      const id = idParam(params);
      const found = await load(dependencies, id);
      if (found === undefined) throw notFound(kind, id);
      return { status: 200, body: await show(found.value, dependencies), ...(sendsEtag ? { etag: found.etag } : {}) };
    },
  };
}

/** The query every paged list takes, besides its own filters. */
interface PageQuery {
  readonly top?: number;
  readonly continuation?: string;
}

/** `GET` of a paged list: every item `list` yields for the query, paged by `key` (time descending, then id; see `pageOf`). */
export function listRoute<Q extends PageQuery, T>(
  route: ReadingRoute & {
    readonly query: z.ZodType<Q>;
    readonly list: (dependencies: AdminDependencies, query: Q) => AsyncIterable<T>;
    readonly key: (item: T) => { readonly time: string; readonly id: string };
  },
): Route {
  const { list, key, ...described } = route;
  return {
    method: 'GET',
    access: 'read',
    ...described,
    async handle(dependencies, { query }) {
      const parsed = query as Q;
      const items: T[] = [];
      for await (const item of list(dependencies, parsed)) items.push(item);
      return { status: 200, body: pageOf(items, key, parsed.top, parsed.continuation) };
    },
  };
}

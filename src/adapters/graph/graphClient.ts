import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, type Context, GraphError, HTTPMessageHandler, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { DirectoryError } from '../../ports/directory.js';
import { isRetryableStatus, type RetryOptions, retryAfterOf, withRetries } from '../retries.js';

export interface GraphDirectoryOptions extends RetryOptions {
  /** `https://graph.microsoft.com` in the public cloud; a loopback host in tests. */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  /** Each attempt is abandoned after this long. */
  readonly timeoutInMs: number;
}

/** How one call is retried and reported; see `GraphClient.call`. */
export interface CallOptions {
  readonly sensitive?: boolean;
  readonly justCreated?: boolean;
  readonly attempts?: number;
}

/** A page of a Graph collection. */
export interface RawPage<T> {
  readonly value?: readonly T[];
  readonly '@odata.nextLink'?: unknown;
}

/** Graph hosts the client attaches tokens to without being told; any other host is a custom (test) host. */
const KNOWN_GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

/**
 * `@microsoft/microsoft-graph-client` with a token from `@azure/identity`, and the retries and error mapping
 * every Graph call goes through. Retries (network errors, timeouts, 429, 5xx; `Retry-After` honoured) wrap
 * each call here rather than in the client's RetryHandler, which retries neither network errors nor timeouts.
 */
export class GraphClient {
  private readonly client: Client;
  private readonly origin: string;

  constructor(private readonly options: GraphDirectoryOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    const authProvider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [`${base.origin}/.default`] });
    this.client = Client.initWithMiddleware({
      baseUrl: base.origin,
      defaultVersion: 'v1.0',
      middleware: [new AuthenticationHandler(authProvider), new TimeoutHandler(options.timeoutInMs), new HTTPMessageHandler()],
      ...(KNOWN_GRAPH_HOSTS.has(base.hostname) ? {} : { customHosts: new Set([base.hostname]) }),
    });
  }

  /**
   * One Graph call with retries; a failure becomes a `DirectoryError` naming the call and its last status.
   * `sensitive`: the request carries a secret or lure text, so the error keeps Graph's code and drops its
   * message, which might quote the request. `justCreated`: the object was made moments ago and the
   * directory may not have replicated it yet, so a 404 is worth another try.
   */
  async call<T>(name: string, request: (client: Client) => Promise<unknown>, options: CallOptions = {}): Promise<T> {
    const judge =
      options.justCreated === true
        ? (error: unknown) => (error instanceof GraphError && error.statusCode === 404 ? { retryable: true } : judgeGraphFailure(error))
        : judgeGraphFailure;
    try {
      return (await withRetries(() => request(this.client), judge, {
        ...this.options,
        ...(options.attempts === undefined ? {} : { maxAttempts: options.attempts }),
      })) as T;
    } catch (error) {
      throw directoryErrorOf(name, error, options.sensitive === true);
    }
  }

  /** A call whose 404 means "there is none" (reads) or "already done" (deletes). */
  async callOrMissing<T>(name: string, request: (client: Client) => Promise<unknown>): Promise<T | undefined> {
    try {
      return await this.call<T>(name, request);
    } catch (error) {
      if (error instanceof DirectoryError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Adds a directory object to a reference collection. Graph answers 400 when it is there already, which is
   * also what a retry meets after an attempt whose answer was lost: that is success.
   */
  async addReference(name: string, path: string, objectId: string): Promise<void> {
    try {
      await this.call(name, (client) => client.api(path).post({ '@odata.id': `${this.origin}/v1.0/directoryObjects/${objectId}` }));
    } catch (error) {
      if (error instanceof DirectoryError && error.status === 400 && /already exist/i.test(error.message)) return;
      throw error;
    }
  }

  /** The ids of a directory collection, every page. */
  async listIds(name: string, path: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let page = await this.call<{ value?: { id: string }[]; '@odata.nextLink'?: string }>(name, (client) => client.api(path).select(['id']).top(999).get());
    for (;;) {
      for (const item of page.value ?? []) ids.add(item.id);
      const next = page['@odata.nextLink'];
      if (next === undefined) return ids;
      page = await this.call(name, (client) => client.api(next).get());
    }
  }
}

/** Single quotes double inside an OData string literal. */
export function odataString(value: string): string {
  return value.replace(/'/g, "''");
}

/** Sets a fresh timeout on every attempt (a retry must not inherit an expired signal). */
class TimeoutHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly timeoutInMs: number) {}

  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutInMs) };
    if (this.next === undefined) throw new Error('TimeoutHandler must not end the middleware chain');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function judgeGraphFailure(error: unknown): { retryable: boolean; retryAfterInMs?: number } {
  if (!(error instanceof GraphError)) return { retryable: false };
  // -1: no response at all (network error or timeout); GraphError puts -1 for a status it was not given.
  if (error.statusCode === -1) return { retryable: true };
  return { retryable: isRetryableStatus(error.statusCode), retryAfterInMs: retryAfterOf(error.headers?.get('retry-after')) };
}

function directoryErrorOf(call: string, error: unknown, sensitive: boolean): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : undefined;
    const detail = sensitive ? '' : `: ${error.message}`;
    const what = status === undefined ? 'no response (network error or timeout)' : `HTTP ${status}${error.code ? ` ${error.code}` : ''}${detail}`;
    return new DirectoryError(call, what.slice(0, 500), status);
  }
  // Credential failures: the token could not be had.
  return new DirectoryError(call, (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500));
}

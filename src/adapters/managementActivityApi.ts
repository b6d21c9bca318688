import type { TokenCredential } from '@azure/identity';
import type { AuditContent } from '../domain/auditFeed.js';
import { type AuditFeed, AuditFeedError } from '../ports/auditFeed.js';
import { isRetryableStatus, retryAfterOf, withRetries } from './retries.js';

export interface ManagementActivityApiOptions {
  /** `https://manage.office.com` (or the cloud's). */
  readonly host: string;
  readonly tenantId: string;
  /** Sent as `PublisherIdentifier`: the API counts its throttling quota per publisher. */
  readonly publisherId: string;
  /** Lure's identity, granted `ActivityFeed.Read` on the Office 365 Management APIs. */
  readonly credential: TokenCredential;
  readonly timeoutInMs?: number;
  readonly maxAttempts?: number;
  /** Waits between attempts; injectable so tests need not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The API's answer to starting a subscription that is already started. */
const ALREADY_ENABLED = 'AF20024';

/**
 * The Office 365 Management Activity API over HTTPS with an Entra token for the API's host. Every call has a
 * timeout and is retried with backoff on network errors, 429 and 5xx, honouring `Retry-After`. Only URLs on
 * the configured host are followed (`NextPageUri`, `contentUri`): the bearer token never goes elsewhere.
 */
export class ManagementActivityApi implements AuditFeed {
  private readonly base: string;
  private readonly origin: string;

  constructor(private readonly options: ManagementActivityApiOptions) {
    this.origin = new URL(options.host).origin;
    this.base = `${this.origin}/api/v1.0/${encodeURIComponent(options.tenantId)}/activity/feed`;
  }

  async startSubscription(contentType: string): Promise<void> {
    try {
      // One attempt: a retry would be another start request inside the API's 15-minute wait.
      await this.call('POST', this.url('subscriptions/start', { contentType }), 1);
    } catch (error) {
      if (error instanceof AuditFeedError && error.code === ALREADY_ENABLED) return;
      throw error;
    }
  }

  async listContent(contentType: string, startTime: string, endTime: string): Promise<AuditContent[]> {
    const listed: AuditContent[] = [];
    let next: string | undefined = this.url('subscriptions/content', { contentType, startTime: apiTimeOf(startTime), endTime: apiTimeOf(endTime) });
    for (let page = 0; next !== undefined; page += 1) {
      if (page >= 1000) throw new AuditFeedError(`listing ${contentType} did not end after 1,000 pages`);
      const { body, nextPageUri } = await this.call('GET', next);
      if (!Array.isArray(body)) throw new AuditFeedError(`listing ${contentType}: the answer is not a JSON array`);
      // An item that names no blob cannot be fetched: it is skipped, not allowed to stop the listing.
      listed.push(...body.flatMap((item) => contentOf(item) ?? []));
      next = nextPageUri === undefined ? undefined : this.withPublisher(this.onHost(nextPageUri, 'NextPageUri'));
    }
    return listed;
  }

  async fetchContent(content: AuditContent): Promise<unknown[]> {
    const { body } = await this.call('GET', this.withPublisher(this.onHost(content.contentUri, 'contentUri')));
    if (!Array.isArray(body)) throw new AuditFeedError(`content ${content.contentId}: the answer is not a JSON array`);
    const records: unknown[] = body;
    return records;
  }

  private url(operation: string, query: Record<string, string>): string {
    const url = new URL(`${this.base}/${operation}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('PublisherIdentifier', this.options.publisherId);
    return url.toString();
  }

  /**
   * A URL the API handed out (`NextPageUri`, `contentUri`) carries no `PublisherIdentifier`: without it the
   * call counts against the tenant's shared throttling quota, so it is added.
   */
  private withPublisher(url: string): string {
    const parsed = new URL(url);
    if (!parsed.searchParams.has('PublisherIdentifier')) parsed.searchParams.set('PublisherIdentifier', this.options.publisherId);
    return parsed.toString();
  }

  /** A URL the API handed out, refused unless it is on the API's own host. */
  private onHost(candidate: string, what: string): string {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      throw new AuditFeedError(`${what} is not a URL`);
    }
    if (url.origin !== this.origin) throw new AuditFeedError(`${what} points at ${url.origin}, not ${this.origin}: not followed`);
    return url.toString();
  }

  private async call(method: 'GET' | 'POST', url: string, maxAttempts = this.options.maxAttempts): Promise<{ body: unknown; nextPageUri?: string }> {
    const operation = new URL(url).pathname.replace(/^.*\/activity\/feed\//, '');
    return withRetries(
      async () => {
        const token = await this.options.credential.getToken(`${this.origin}/.default`);
        if (token === null) throw new AuditFeedError('no token for the Management Activity API');
        let response: Response;
        try {
          response = await fetch(url, {
            method,
            headers: {
              authorization: `Bearer ${token.token}`,
              accept: 'application/json',
              ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
            },
            ...(method === 'POST' ? { body: '{}' } : {}),
            signal: AbortSignal.timeout(this.options.timeoutInMs ?? 30_000),
          });
        } catch (error) {
          throw new AuditFeedError(`${method} ${operation}: no response (${error instanceof Error ? error.name : 'network error'})`);
        }
        const text = await response.text();
        if (!response.ok) {
          const { code, message } = apiErrorOf(text);
          throw new AuditFeedError(
            `${method} ${operation}: HTTP ${response.status}${code === undefined ? '' : ` ${code}`}`,
            response.status,
            code,
            retryAfterOf(response.headers.get('retry-after')),
            message,
          );
        }
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          throw new AuditFeedError(`${method} ${operation}: the answer is not JSON`);
        }
        const nextPageUri = response.headers.get('NextPageUri') ?? undefined;
        return { body, ...(nextPageUri === undefined || nextPageUri === '' ? {} : { nextPageUri }) };
      },
      (error) =>
        error instanceof AuditFeedError && error.status !== undefined
          ? { retryable: isRetryableStatus(error.status), ...(error.retryAfterInMs === undefined ? {} : { retryAfterInMs: error.retryAfterInMs }) }
          : { retryable: error instanceof AuditFeedError && error.message.includes('no response') },
      {
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
        ...(this.options.sleep === undefined ? {} : { sleep: this.options.sleep }),
      },
    );
  }
}

/** The API takes `YYYY-MM-DDTHH:MM:SS` in UTC. */
function apiTimeOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19);
}

/** The API's `{"error":{"code","message"}}`, as far as it is there; the message cut to 200 characters. */
function apiErrorOf(text: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message: message.slice(0, 200) } : {}) };
  } catch {
    return {};
  }
}

/** A listing item, or `undefined` when it lacks what fetching it needs. */
function contentOf(item: unknown): AuditContent | undefined {
  const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
  const text = (name: string): string | undefined => (typeof record[name] === 'string' && record[name] !== '' ? record[name] : undefined);
  const [contentType, contentId, contentUri, created] = [text('contentType'), text('contentId'), text('contentUri'), Date.parse(text('contentCreated') ?? '')];
  if (contentType === undefined || contentId === undefined || contentUri === undefined || Number.isNaN(created)) return undefined;
  return { contentType, contentId, contentUri, contentCreated: new Date(created).toISOString() };
}

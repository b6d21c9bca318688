import type { KeySetName } from '../domain/signingKeys.js';
import { CONSUMER_TENANT_ID, keySetUrl } from '../keys/clouds.js';
import { parseJwks } from '../keys/parseJwks.js';
import type { Clock } from '../ports/clock.js';
import type { FetchedKeySet, KeySetFetchResult, KeySource } from '../ports/keySource.js';

export interface HttpKeySourceOptions {
  readonly authorityHost: string;
  /** The organisation tenant whose keys (and whose apps' keys) to fetch, besides the consumer set. */
  readonly tenantId?: string;
  /** Apps with signing keys of their own (`…/discovery/keys?appid=`). */
  readonly appIds: readonly string[];
  readonly clock: Clock;
  readonly timeoutInMs?: number;
  readonly maxAttempts?: number;
  /** Waits between attempts; injectable so tests need not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Longest wait a `Retry-After` may ask for before Lure gives the set up until the next run. */
const MAX_RETRY_AFTER_IN_MS = 60_000;

/**
 * Fetches Entra's published key sets over HTTPS: the tenant's (organisation keys), the consumer one
 * (Microsoft account keys) and those of configured apps. Each request has a timeout and is retried with
 * exponential backoff on network errors, 429 and 5xx, honouring `Retry-After`.
 */
export class HttpKeySource implements KeySource {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: HttpKeySourceOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async fetchKeySets(): Promise<KeySetFetchResult> {
    const sets: { set: KeySetName; url: string }[] = [{ set: 'consumer', url: keySetUrl(this.options.authorityHost, { tenant: CONSUMER_TENANT_ID }) }];
    if (this.options.tenantId !== undefined) {
      const tenant = this.options.tenantId;
      sets.push({ set: 'organization', url: keySetUrl(this.options.authorityHost, { tenant }) });
      for (const appId of this.options.appIds) sets.push({ set: `app:${appId}`, url: keySetUrl(this.options.authorityHost, { tenant, appId }) });
    }
    const fetched: FetchedKeySet[] = [];
    const failures: { set: KeySetName; error: string }[] = [];
    for (const { set, url } of sets) {
      try {
        const document = await this.getJson(url);
        const fetchedAt = this.options.clock.now().toISOString();
        fetched.push({ set, fetchedAt, keys: parseJwks(document, set, fetchedAt) });
      } catch (error) {
        failures.push({ set, error: `GET ${url}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    return { fetched, failures };
  }

  private async getJson(url: string): Promise<unknown> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt += 1) {
      let retryAfterInMs: number | undefined;
      try {
        const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutInMs ?? 10_000) });
        if (response.ok) return await response.json();
        if (response.status !== 429 && response.status < 500) throw new NonRetryableError(`HTTP ${response.status}`);
        retryAfterInMs = retryAfterOf(response.headers.get('retry-after'));
        if (attempt >= maxAttempts) throw new Error(`HTTP ${response.status} after ${attempt} attempts`);
      } catch (error) {
        if (error instanceof NonRetryableError || attempt >= maxAttempts) throw error;
      }
      const backoffInMs = Math.min(500 * 2 ** (attempt - 1), 8_000) * (0.5 + Math.random() / 2);
      const waitInMs = retryAfterInMs ?? backoffInMs;
      if (waitInMs > MAX_RETRY_AFTER_IN_MS) throw new Error(`asked to wait ${Math.round(waitInMs / 1000)} s (Retry-After)`);
      await this.sleep(waitInMs);
    }
  }
}

/** A client error (4xx but 429): asking again will not help. */
class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterOf(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

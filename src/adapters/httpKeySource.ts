import type { KeySetName } from '../domain/signingKeys.js';
import { CONSUMER_TENANT_ID, keySetUrl } from '../keys/clouds.js';
import { parseJwks } from '../keys/parseJwks.js';
import type { Clock } from '../ports/clock.js';
import type { FetchedKeySet, KeySetFetchResult, KeySource } from '../ports/keySource.js';
import { isRetryableStatus, retryAfterOf, withRetries } from './retries.js';

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

/**
 * Fetches Entra's published key sets over HTTPS: the tenant's (organisation keys), the consumer one
 * (Microsoft account keys) and those of configured apps. Each request has a timeout and is retried with
 * exponential backoff on network errors, 429 and 5xx, honouring `Retry-After`.
 */
export class HttpKeySource implements KeySource {
  constructor(private readonly options: HttpKeySourceOptions) {}

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
    let attempts = 0;
    const response = await withRetries(
      async () => {
        attempts += 1;
        const answer = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutInMs ?? 10_000) });
        if (!answer.ok) throw new HttpStatusError(answer.status, retryAfterOf(answer.headers.get('retry-after')));
        return answer;
      },
      (error) =>
        error instanceof HttpStatusError ? { retryable: isRetryableStatus(error.status), retryAfterInMs: error.retryAfterInMs } : { retryable: true },
      { maxAttempts: this.options.maxAttempts, sleep: this.options.sleep },
    ).catch((error: unknown) => {
      if (error instanceof HttpStatusError && isRetryableStatus(error.status)) throw new Error(`HTTP ${error.status} after ${attempts} attempts`);
      throw error;
    });
    return response.json();
  }
}

class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly retryAfterInMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

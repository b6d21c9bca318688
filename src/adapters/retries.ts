/** How an HTTP adapter retries: attempts, backoff, and the longest `Retry-After` it will honour. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  /** Waits between attempts; injectable so tests need not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one failed attempt means for the next. */
export interface FailedAttempt {
  readonly retryable: boolean;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterInMs?: number;
}

/** Longest wait a `Retry-After` may ask for: past it, the caller fails now and the next run tries again. */
const MAX_RETRY_AFTER_IN_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 4;

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, `judge` says its failure is not worth retrying, or the attempts run
 * out; waits between attempts honour `Retry-After`, else back off exponentially with jitter. The last
 * error is rethrown as it was.
 */
export async function withRetries<T>(attempt: () => Promise<T>, judge: (error: unknown) => FailedAttempt, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const sleep = options.sleep ?? realSleep;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt();
    } catch (error) {
      const failure = judge(error);
      if (!failure.retryable || attemptNumber >= maxAttempts) throw error;
      const backoffInMs = Math.min(500 * 2 ** (attemptNumber - 1), 8_000) * (0.5 + Math.random() / 2);
      const waitInMs = failure.retryAfterInMs ?? backoffInMs;
      if (waitInMs > MAX_RETRY_AFTER_IN_MS) throw error;
      await sleep(waitInMs);
    }
  }
}

/** Whether an HTTP status is worth asking again for: throttling and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterOf(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

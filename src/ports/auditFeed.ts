import type { AuditContent } from '../domain/auditFeed.js';

/** The Office 365 Management Activity API, as far as Lure needs it. */
export interface AuditFeed {
  /**
   * Starts Lure's subscription to a content type; succeeds if it is already started. One request, never
   * retried: the API wants 15 minutes between start requests, so the caller decides when to ask again.
   */
  startSubscription(contentType: string): Promise<void>;
  /** The blobs listed for a window of at most 24 hours, following every `NextPageUri`. */
  listContent(contentType: string, startTime: string, endTime: string): Promise<AuditContent[]>;
  /** The records of one blob (a JSON array of audit records). */
  fetchContent(content: AuditContent): Promise<unknown[]>;
}

/** A call the Management Activity API refused or failed, with its status and the API's error code and message. */
export class AuditFeedError extends Error {
  override name = 'AuditFeedError';
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly retryAfterInMs?: number,
    /** The API's own `error.message` (`The subscription was disabled by a tenant admin.`), cut short. */
    readonly apiMessage?: string,
  ) {
    super(message);
  }
}

/** Whether a failure may pass by itself (network, throttling, a server error) rather than repeat on every try. */
export function isTransientFeedFailure(error: unknown): boolean {
  if (!(error instanceof AuditFeedError)) return false;
  // Throttling and server errors, as HTTP counts them; without a status, only a call that got no response
  // (its message says so) may pass.
  return error.status === undefined ? error.message.includes('no response') : error.status === 429 || error.status >= 500;
}

/** The API's answer when Lure's subscription to a content type was never started, or has stopped (expired) since. */
export const NO_SUBSCRIPTION = 'AF20022';
/** The API's answer when a tenant or service admin disabled the subscription (or turned unified audit logging off). */
export const SUBSCRIPTION_DISABLED = 'AF20023';

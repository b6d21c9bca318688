import type { AuditContent } from '../domain/auditFeed.js';

/** The Office 365 Management Activity API, as far as Lure needs it. */
export interface AuditFeed {
  /** Starts Lure's subscription to a content type; succeeds if it is already started. */
  startSubscription(contentType: string): Promise<void>;
  /** The blobs listed for a window of at most 24 hours, following every `NextPageUri`. */
  listContent(contentType: string, startTime: string, endTime: string): Promise<AuditContent[]>;
  /** The records of one blob (a JSON array of audit records). */
  fetchContent(content: AuditContent): Promise<unknown[]>;
}

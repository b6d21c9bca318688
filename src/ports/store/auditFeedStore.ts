import type { AuditFeedState, CopiedAuditContent } from '../../domain/auditFeed.js';

/** The audit poller's progress: subscriptions, how far listing has come, and the blobs already copied. */
export interface AuditFeedStore {
  getAuditFeedState(contentType: string): Promise<AuditFeedState | undefined>;
  /** Every content type's state, in no particular order. */
  listAuditFeedStates(): Promise<AuditFeedState[]>;
  /** Replaces the content type's state. */
  upsertAuditFeedState(state: AuditFeedState): Promise<void>;
  /** Ids of the content type's copied blobs created at or after `since`. */
  listCopiedAuditContent(contentType: string, since: string): Promise<Set<string>>;
  /** Idempotent per content type and id. */
  upsertCopiedAuditContent(contents: readonly CopiedAuditContent[]): Promise<void>;
  /** Deletes copied-blob rows created before `before` (the API keeps content seven days). Returns how many. */
  deleteCopiedAuditContentBefore(before: string): Promise<number>;
}

import type { MailAppBaseline } from '../../domain/mailBaselines.js';
import type { Versioned } from './versioned.js';

/** Which apps have read each mailbox (`mail.appId.firstSeen`), one document per mailbox, with ETags. */
export interface MailBaselineStore {
  getMailBaseline(mailbox: string): Promise<Versioned<MailAppBaseline> | undefined>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the mailbox already has a baseline. */
  createMailBaseline(baseline: MailAppBaseline): Promise<string>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the baseline changed since `etag` was read. */
  updateMailBaseline(baseline: MailAppBaseline, etag: string): Promise<string>;
}

/**
 * The Office 365 Management Activity API as Lure polls it: per content type, whether Lure's subscription is
 * started and how far listing has come; per content blob, that it was copied to the Exchange hub.
 */
export interface AuditFeedState {
  /** `Audit.Exchange`, `Audit.AzureActiveDirectory`, … */
  readonly contentType: string;
  /** When Lure started (or found started) the subscription. */
  readonly subscribedAt?: string;
  /** The end of the last listing window covered completely. */
  readonly listedUntil?: string;
}

/** One content blob the API listed: where to fetch it, and when it was created. */
export interface AuditContent {
  readonly contentType: string;
  readonly contentId: string;
  readonly contentUri: string;
  readonly contentCreated: string;
}

/** A blob whose records reached the Exchange hub (never fetched again). */
export type CopiedAuditContent = Pick<AuditContent, 'contentType' | 'contentId' | 'contentCreated'>;

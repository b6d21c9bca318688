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
  /** When Lure last asked to start the subscription: the API wants 15 minutes between start requests. */
  readonly startRequestedAt?: string;
  /** An admin disabled the subscription (AF20023): Lure never starts it again, and lists only to learn it is back. */
  readonly disabled?: AuditSubscriptionDisabled;
  /** The open `source.silent` alert for that disabling, kept by the silence check. */
  readonly silentAlertId?: string;
}

/** Since when the API has answered that the subscription was disabled, and what it said (code and message, cut short). */
export interface AuditSubscriptionDisabled {
  readonly since: string;
  readonly detail: string;
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

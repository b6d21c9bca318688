import type { Evidence } from './alerts.js';
import type { Actor, SignInCategory, TokenContext } from './events.js';

/** Where a token was seen used: Microsoft Graph activity, Exchange or SharePoint audit (either path), or an API gateway. */
export const TOKEN_USE_SOURCES = ['graph', 'exchange', 'sharepoint', 'token'] as const;
export type TokenUseSource = (typeof TOKEN_USE_SOURCES)[number];

/** A token Entra issued, as a sign-in record of any category names it. */
export interface TokenIssuance {
  /** The token's `uti`: sign-in `uniqueTokenIdentifier`. Case-sensitive. */
  readonly uti: string;
  /** The sign-in's event time. */
  readonly issuedAt: string;
  readonly tenantId?: string;
  readonly category: SignInCategory;
  /** The user or app it was issued to, for people reading the index. */
  readonly principal?: string;
  /** The sign-in record's id: the evidence when its late arrival retracts an alert. */
  readonly recordId?: string;
}

/** A token presented to a Microsoft service, to be matched against the issuances. */
export interface TokenUse {
  readonly uti: string;
  readonly source: TokenUseSource;
  readonly tenantId?: string;
  /** Event time of the use. */
  readonly usedAt: string;
  /** When the token says it was issued (`iat`), if the record carries it. */
  readonly issuedAt?: string;
  readonly appId?: string;
  /** The Graph URI called, the Exchange operation and mailbox, or the SharePoint operation and file. */
  readonly resource?: string;
  /** The use read mail (a Graph mail read, MailItemsAccessed): a forged token reading mail is critical. */
  readonly readsMail: boolean;
  /** Whether the token was a user's or an app's, when the record says: it tells which sign-in logs issue it. */
  readonly principalType?: 'user' | 'app';
  /** A decoy detection also fired on the same record. */
  readonly touchesDecoy: boolean;
  readonly actor: Actor;
  readonly token: TokenContext;
  readonly evidence: Evidence;
}

/**
 * A use judged to be of a token no sign-in issued, with the alert it raised: kept (for the lateness history's
 * length) so that an issuance arriving later still retracts the alert.
 */
export interface MissingIssuance {
  readonly uti: string;
  readonly tenantId?: string;
  readonly issuedAt?: string;
  readonly usedAt: string;
  readonly alertId: string;
  /** Wall clock, ISO. */
  readonly judgedAt: string;
}

/** What the index gives back of an issuance: enough to prove a use's token was issued, and when and by which record. */
export type IndexedIssuance = Pick<TokenIssuance, 'uti' | 'issuedAt' | 'category' | 'recordId'>;

/** A use whose token was not yet found issued, kept until its grace period has passed in event time. */
export interface PendingTokenCheck extends TokenUse {
  /** (issuedAt, or usedAt when unknown) + grace: when the issuing sign-in must have been seen. */
  readonly dueAt: string;
}

/**
 * How far one stream of a tenant has come, in event time: a sign-in category, or an Event Hub partition of
 * the Entra hub (`partition:<id>`), since one partition may lag behind the others after an outage.
 */
export interface SignInProgress {
  readonly tenantId: string;
  readonly category: SignInCategory | `partition:${string}`;
  /** Event time of the first sign-in record of this category Lure indexed: the index covers nothing before. */
  readonly firstEventTime: string;
  /** The latest event time seen: only moves forward. */
  readonly watermark: string;
}

/** How many judged uses of one source and app matched an issuance (shadow mode reports these). */
export interface TokenMatchCount {
  readonly source: TokenUseSource;
  readonly appId: string;
  readonly matched: number;
  readonly unmatched: number;
}

/** A token id to look for, and between when it may have been issued. */
export interface IssuanceLookup {
  readonly uti: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Where to look for the issuance of a token: around its `iat` when the use carries it (a sign-in's
 * createdDateTime may precede the token's iat: aggregated non-interactive rows start earlier), else over
 * the longest token lifetime before the use.
 */
export function issuanceLookupOf(
  use: { readonly uti: string; readonly issuedAt?: string; readonly usedAt: string },
  maxTokenLifetimeInHours: number,
): IssuanceLookup {
  const anchor = Date.parse(use.issuedAt ?? use.usedAt);
  const back = use.issuedAt === undefined ? maxTokenLifetimeInHours * 60 : 60;
  return { uti: use.uti, from: new Date(anchor - back * 60_000).toISOString(), to: new Date(anchor + 10 * 60_000).toISOString() };
}

/**
 * How late one stream's sign-in records arrived behind its watermark (`correlation/lateness.ts`): counts per
 * geometric bucket, how many in all, and the latest seen. Writers keep their own; readers merge them.
 */
export interface LatenessHistogram {
  readonly counts: readonly number[];
  readonly total: number;
  readonly maxInSeconds: number;
  /**
   * The latest a record arrived that retracted an alert (its use was judged before it came): the grace
   * covers at least this much from then on, whatever the quantile says.
   */
  readonly retractedMaxInSeconds?: number;
}

/** One writer's lateness of one sign-in stream (a category or an Entra partition) of a tenant, over an hour of arrival. */
export interface SignInLateness {
  readonly tenantId: string;
  readonly category: SignInProgress['category'];
  /** The hour the records arrived in (wall clock), as `YYYY-MM-DDTHH:00:00.000Z`. */
  readonly hour: string;
  readonly histogram: LatenessHistogram;
}

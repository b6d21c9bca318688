import type {
  IndexedIssuance,
  IssuanceLookup,
  MissingIssuance,
  PendingTokenCheck,
  SignInLateness,
  SignInProgress,
  TokenIssuance,
  TokenMatchCount,
} from '../../domain/tokens.js';

/** The token-issuance index, the pending checks against it, and the progress of the sign-in streams. */
export interface TokenIndexStore {
  /** Written in batches (entity group transactions of up to 100, one partition per hour of issue). */
  upsertTokenIssuances(issuances: readonly TokenIssuance[]): Promise<void>;
  /** The token ids among `lookups` indexed in an hour partition overlapping their `from`–`to` span. */
  findTokenIssuances(lookups: readonly IssuanceLookup[]): Promise<Set<string>>;
  /** The issuances among `lookups` (their time, category and record), found as `findTokenIssuances` finds them. */
  getTokenIssuances(lookups: readonly IssuanceLookup[]): Promise<IndexedIssuance[]>;
  /** Deletes issuances indexed for an hour wholly before `before`. Returns how many. */
  deleteTokenIssuancesBefore(before: string): Promise<number>;

  /** Moves each (tenant, category) forward: the watermark never goes back, the first event time never changes. */
  advanceSignInProgress(progress: readonly SignInProgress[]): Promise<void>;
  listSignInProgress(): Promise<SignInProgress[]>;

  /** Records this writer's lateness histograms, replacing its earlier ones of the same (tenant, stream, hour). */
  upsertSignInLateness(writerId: string, rows: readonly SignInLateness[]): Promise<void>;
  /** Every writer's rows of the hours from `since` on (not merged: `mergeLateness` does that). */
  listSignInLateness(since: string): Promise<SignInLateness[]>;
  /** Deletes rows of hours wholly before `before`. Returns how many. */
  deleteSignInLatenessBefore(before: string): Promise<number>;

  /** Records uses judged missing, with their alerts; idempotent per (token id, alert). */
  recordMissingIssuances(missing: readonly MissingIssuance[]): Promise<void>;
  /** Every use judged missing still kept: few (forged tokens and false alarms), so listed whole. */
  listMissingIssuances(): Promise<MissingIssuance[]>;
  deleteMissingIssuances(missing: readonly MissingIssuance[]): Promise<void>;
  /** Deletes those judged before `before`. Returns how many. */
  deleteMissingIssuancesBefore(before: string): Promise<number>;

  /** Idempotent per (token id, evidence record); written in batches by due time. */
  upsertPendingTokenChecks(checks: readonly PendingTokenCheck[]): Promise<void>;
  /** Every pending check due at or before `dueBy` (and possibly a few due within ten minutes after). */
  listPendingTokenChecks(dueBy: string): AsyncIterable<PendingTokenCheck>;
  deletePendingTokenChecks(checks: readonly PendingTokenCheck[]): Promise<void>;

  /**
   * Records this writer's running totals of judged uses per source and app, as of `updatedAt`. Each writer
   * (process) owns its rows, so totals are written without a read; `listTokenMatchCounts` sums every
   * writer's. Approximate: a redelivered batch counts its at-once matches again.
   */
  upsertTokenMatchCounts(writerId: string, counts: readonly TokenMatchCount[], updatedAt: string): Promise<void>;
  listTokenMatchCounts(): Promise<TokenMatchCount[]>;
  /** Deletes writers' rows last updated before `before` (processes long gone). Returns how many. */
  deleteTokenMatchCountsBefore(before: string): Promise<number>;
}

import { type AlertStatus, type Incident, recordOriginOf, type Severity, type StoredAlert } from '../domain/alerts.js';
import type { AuditEntry } from '../domain/audit.js';
import type { AuditFeedState, CopiedAuditContent } from '../domain/auditFeed.js';
import type { Decoy } from '../domain/decoys.js';
import type { DecoyLifecycle, JournalEntry } from '../domain/lifecycle.js';
import type { OutboxEntry } from '../domain/delivery.js';
import type { KeySetFetch, SigningKey } from '../domain/signingKeys.js';
import type { HubCheckpoint, HubPartitionOwnership, HubScope, StreamArrival, StreamCount, StreamState } from '../domain/streams.js';
import type { PendingTokenCheck, SignInProgress, TokenIssuance, TokenMatchCount } from '../domain/tokens.js';
import type { MailAppBaseline } from '../domain/mailBaselines.js';
import type { DeadLetter } from '../domain/deadLetters.js';

/** A value with the ETag it was read at, for optimistic concurrency. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/**
 * A write lost a race: the alert already exists (create) or changed since it was read (update).
 * The caller re-reads and folds again.
 */
export class ConcurrencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrencyError';
  }
}

/** A token id to look for, and between when it may have been issued. */
export interface IssuanceLookup {
  readonly uti: string;
  readonly from: string;
  readonly to: string;
}

/** The token-issuance index, the pending checks against it, and the progress of the sign-in streams. */
export interface TokenIndexStore {
  /** Written in batches (entity group transactions of up to 100, one partition per hour of issue). */
  upsertTokenIssuances(issuances: readonly TokenIssuance[]): Promise<void>;
  /** The token ids among `lookups` indexed in an hour partition overlapping their `from`–`to` span. */
  findTokenIssuances(lookups: readonly IssuanceLookup[]): Promise<Set<string>>;
  /** Deletes issuances indexed for an hour wholly before `before`. Returns how many. */
  deleteTokenIssuancesBefore(before: string): Promise<number>;

  /** Moves each (tenant, category) forward: the watermark never goes back, the first event time never changes. */
  advanceSignInProgress(progress: readonly SignInProgress[]): Promise<void>;
  listSignInProgress(): Promise<SignInProgress[]>;

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

/** The history of the published signing keys: every key ever listed, and when each set was last fetched. */
export interface SigningKeyStore {
  listSigningKeys(): Promise<SigningKey[]>;
  /** Replaces each key by `kid`. */
  upsertSigningKeys(keys: readonly SigningKey[]): Promise<void>;
  listKeySetFetches(): Promise<KeySetFetch[]>;
  upsertKeySetFetches(fetches: readonly KeySetFetch[]): Promise<void>;
}

/** Which apps have read each mailbox (`mail.appId.firstSeen`), one document per mailbox, with ETags. */
export interface MailBaselineStore {
  getMailBaseline(mailbox: string): Promise<Versioned<MailAppBaseline> | undefined>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the mailbox already has a baseline. */
  createMailBaseline(baseline: MailAppBaseline): Promise<string>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the baseline changed since `etag` was read. */
  updateMailBaseline(baseline: MailAppBaseline, etag: string): Promise<string>;
}

/** Incidents, and the actor keys by which later alerts find them. */
export interface IncidentStore {
  getIncident(id: string): Promise<Versioned<Incident> | undefined>;
  /** Throws `ConcurrencyError` if an incident with this id already exists. */
  createIncident(incident: Incident): Promise<void>;
  /** Throws `ConcurrencyError` if the incident changed since `etag` was read. */
  updateIncident(incident: Incident, etag: string): Promise<void>;
  listIncidents(): AsyncIterable<Incident>;
  /** Ids of incidents recorded under any of `actorKeys` whose latest alert is at or after `since`. */
  findIncidentsByActorKeys(actorKeys: readonly string[], since: string): Promise<string[]>;
  /** Records the incident under each of its actor keys with its latest alert time (idempotent). */
  upsertIncidentActorKeys(incident: Incident): Promise<void>;
  /** Deletes incidents, and their actor keys, whose latest alert is before `before`. Returns how many incidents. */
  deleteIncidentsBefore(before: string): Promise<number>;
}

/** When each stream last delivered, and its open silence alert. Fields are merged, never clobbered. */
export interface StreamStore {
  listStreams(): Promise<StreamState[]>;
  /** Sets each stream's last arrival (creating it), leaving its silence alert as it is. */
  recordStreamArrivals(arrivals: readonly StreamArrival[]): Promise<void>;
  /** Sets or clears (`undefined`) a stream's open silence alert, leaving its last arrival as it is. */
  setStreamSilence(stream: string, silentAlertId: string | undefined): Promise<void>;
  /**
   * Records this writer's running totals per origin for ten-minute buckets. Each writer (process) owns its
   * rows, so totals are written without a read; `listStreamCounts` returns every writer's rows.
   */
  upsertStreamCounts(writerId: string, counts: readonly StreamCount[]): Promise<void>;
  /** Every writer's rows of buckets starting at or after `since`. */
  listStreamCounts(since: string): Promise<StreamCount[]>;
  /** Deletes rows of buckets starting before `before`. Returns how many. */
  deleteStreamCountsBefore(before: string): Promise<number>;
}

/** What `listAlerts` may be narrowed to; every part optional, all parts must hold. */
export interface AlertFilter {
  readonly status?: AlertStatus;
  readonly severity?: Severity;
  readonly detection?: string;
  /** Event time (`occurredAt`) at or after. */
  readonly occurredFrom?: string;
  /** Event time (`occurredAt`) before. */
  readonly occurredTo?: string;
}

/** The audit poller's progress: subscriptions, how far listing has come, and the blobs already copied. */
export interface AuditFeedStore {
  getAuditFeedState(contentType: string): Promise<AuditFeedState | undefined>;
  /** Replaces the content type's state. */
  upsertAuditFeedState(state: AuditFeedState): Promise<void>;
  /** Ids of the content type's copied blobs created at or after `since`. */
  listCopiedAuditContent(contentType: string, since: string): Promise<Set<string>>;
  /** Idempotent per content type and id. */
  upsertCopiedAuditContent(contents: readonly CopiedAuditContent[]): Promise<void>;
  /** Deletes copied-blob rows created before `before` (the API keeps content seven days). Returns how many. */
  deleteCopiedAuditContentBefore(before: string): Promise<number>;
}

/** Partition ownership and checkpoints of Event Hubs consumers (the local host reading real hubs). */
export interface HubCheckpointStore {
  listHubOwnerships(scope: HubScope): Promise<Versioned<HubPartitionOwnership>[]>;
  /**
   * Claims a partition: creates the ownership when `etag` is undefined, else replaces it at that ETag.
   * Returns the new ETag; throws `ConcurrencyError` when another consumer claimed it first.
   */
  claimHubOwnership(ownership: HubPartitionOwnership, etag: string | undefined): Promise<string>;
  listHubCheckpoints(scope: HubScope): Promise<HubCheckpoint[]>;
  upsertHubCheckpoint(checkpoint: HubCheckpoint): Promise<void>;
}

/** The admin audit trail: every change made through the admin API. */
export interface AuditStore {
  /** Idempotent: an entry with an id already stored replaces it. */
  createAuditEntry(entry: AuditEntry): Promise<void>;
  /** Entries whose time is at or after `from` and before `to` (each optional), in no particular order. */
  listAuditEntries(range?: { readonly from?: string; readonly to?: string }): AsyncIterable<AuditEntry>;
  /** Deletes entries of days wholly before `before`. Returns how many. */
  deleteAuditEntriesBefore(before: string): Promise<number>;
}

/** The lifecycles of the decoys Lure manages, and the journal of its operations on them. */
export interface LifecycleStore {
  getDecoyLifecycle(decoyId: string): Promise<DecoyLifecycle | undefined>;
  listDecoyLifecycles(): Promise<DecoyLifecycle[]>;
  /** Replaces the decoy's lifecycle. */
  upsertDecoyLifecycle(lifecycle: DecoyLifecycle): Promise<void>;
  /** Succeeds whether or not it existed. */
  deleteDecoyLifecycle(decoyId: string): Promise<void>;
  /** Writes a new entry; returns its ETag. Throws `ConcurrencyError` if one with this id exists. */
  createJournalEntry(entry: JournalEntry): Promise<string>;
  /**
   * Writes the entry's next step; returns the new ETag. Throws `ConcurrencyError` if it changed since `etag`:
   * another run took the operation over, and this one must stop.
   */
  updateJournalEntry(entry: JournalEntry, etag: string): Promise<string>;
  getJournalEntry(id: string): Promise<Versioned<JournalEntry> | undefined>;
  /** Every unfinished entry, and the finished ones updated at or after `since`. */
  listJournalEntries(since: string): Promise<JournalEntry[]>;
  /** Deletes finished entries last updated before `before`. Returns how many. */
  deleteJournalEntriesBefore(before: string): Promise<number>;
}

/** The delivery outbox: one entry per notification and channel, with its attempts. */
export interface OutboxStore {
  /** Creates the entry unless one with its id exists. Returns whether it did. */
  createOutboxEntry(entry: OutboxEntry): Promise<boolean>;
  getOutboxEntry(id: string): Promise<Versioned<OutboxEntry> | undefined>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the entry changed since `etag` was read. */
  updateOutboxEntry(entry: OutboxEntry, etag: string): Promise<string>;
  /** Pending entries whose next attempt is due at or before `dueBy`, with their ETags. */
  listDueOutboxEntries(dueBy: string): Promise<Versioned<OutboxEntry>[]>;
  listOutboxEntries(): AsyncIterable<OutboxEntry>;
  /** Deletes entries no longer pending (delivered, accepted, dead, digested) completed before `before`. Returns how many. */
  deleteOutboxEntriesBefore(before: string): Promise<number>;
}

/** Decoys one `upsertDecoys` takes: a Table transaction holds 100 operations, one of them the registry's version. */
export const MAX_DECOYS_PER_WRITE = 99;

/**
 * Lure's state. Implemented over Azure Table Storage and in memory; both pass the same contract suite
 * (`test/contract/stateStore.contract.ts`). Ids may hold any characters, including `/ \ # ?`, which Table
 * keys forbid: adapters encode keys, never store raw input in them.
 * Transient failures are retried inside the adapter; an error that escapes means the store is unavailable.
 */
export interface StateStore extends TokenIndexStore, SigningKeyStore, MailBaselineStore, IncidentStore, StreamStore, LifecycleStore, OutboxStore, AuditStore, AuditFeedStore, HubCheckpointStore {
  listDecoys(): Promise<Decoy[]>;
  /**
   * Every decoy, and the registry's version: an ETag over the whole set, which every write of any decoy
   * changes. Read before deciding that an id or identifier is free; `upsertDecoys` at that version then
   * writes only if the decision still holds.
   */
  getDecoyRegistry(): Promise<Versioned<readonly Decoy[]>>;
  /**
   * Writes the decoys (creating or replacing each) in one atomic step if the registry is still at `version`.
   * Throws `ConcurrencyError`, writing nothing, if any decoy was written since. At most
   * `MAX_DECOYS_PER_WRITE`. Returns the registry's new version.
   */
  upsertDecoys(decoys: readonly Decoy[], version: string): Promise<string>;
  getDecoy(id: string): Promise<Versioned<Decoy> | undefined>;
  upsertDecoy(decoy: Decoy): Promise<void>;
  /** Returns the new ETag. Throws `ConcurrencyError` if the decoy changed (or was deleted) since `etag` was read. */
  updateDecoy(decoy: Decoy, etag: string): Promise<string>;
  /** Succeeds whether or not the decoy existed. */
  deleteDecoy(id: string): Promise<void>;

  getAlert(id: string): Promise<Versioned<StoredAlert> | undefined>;
  /** Throws `ConcurrencyError` if an alert with this id already exists. */
  createAlert(alert: StoredAlert): Promise<void>;
  /** Throws `ConcurrencyError` if the alert changed since `etag` was read. */
  updateAlert(alert: StoredAlert, etag: string): Promise<void>;
  /** Every alert, or those `filter` narrows to (filtered by the store where it can), in no particular order. */
  listAlerts(filter?: AlertFilter): AsyncIterable<StoredAlert>;
  /** Deletes alerts whose evidence began (`occurredAt`) before `before`. Returns how many. */
  deleteAlertsBefore(before: string): Promise<number>;

  /** Idempotent: a letter with an id already stored replaces it. Written in batches. */
  upsertDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  listDeadLetters(): AsyncIterable<DeadLetter>;
  /** Deletes letters received on a day wholly before `before`. Returns how many. */
  deleteDeadLettersBefore(before: string): Promise<number>;
}

/** Whether an alert passes a filter (adapters that cannot filter in the store use this). */
export function matchesAlertFilter(alert: StoredAlert['alert'], filter: AlertFilter): boolean {
  return (
    (filter.status === undefined || alert.status === filter.status) &&
    (filter.severity === undefined || alert.severity === filter.severity) &&
    (filter.detection === undefined || alert.detection === filter.detection) &&
    (filter.occurredFrom === undefined || alert.occurredAt >= filter.occurredFrom) &&
    (filter.occurredTo === undefined || alert.occurredAt < filter.occurredTo)
  );
}

/** The ten-minute bucket a time falls in, as the ISO time it starts at. */
export function countBucketOf(time: string): string {
  return `${time.slice(0, 15)}0:00.000Z`;
}

/** The hour partition an issuance time falls in (`yyyyMMddHH`, UTC). */
export function issuanceHourOf(time: string): string {
  // `YYYY-MM-DDTHH…` → `YYYYMMDDHH`, once per sign-in: slices rather than a pattern.
  return time.slice(0, 4) + time.slice(5, 7) + time.slice(8, 10) + time.slice(11, 13);
}

/** The hour partitions an issuance between `from` and `to` may be indexed in. */
export function issuanceHoursBetween(from: string, to: string): string[] {
  const hours: string[] = [];
  const end = Date.parse(to);
  for (let time = Math.floor(Date.parse(from) / 3_600_000) * 3_600_000; time <= end; time += 3_600_000) hours.push(issuanceHourOf(new Date(time).toISOString()));
  return hours;
}

/**
 * Where to look for the issuance of a token: around its `iat` when the use carries it (a sign-in's
 * createdDateTime may precede the token's iat: aggregated non-interactive rows start earlier), else over
 * the longest token lifetime before the use.
 */
export function issuanceLookupOf(use: { readonly uti: string; readonly issuedAt?: string; readonly usedAt: string }, maxTokenLifetimeInHours: number): IssuanceLookup {
  const anchor = Date.parse(use.issuedAt ?? use.usedAt);
  const back = use.issuedAt === undefined ? maxTokenLifetimeInHours * 60 : 60;
  return { uti: use.uti, from: new Date(anchor - back * 60_000).toISOString(), to: new Date(anchor + 10 * 60_000).toISOString() };
}

/** The ten-minute bucket a check's due time falls in (`yyyyMMddHHmm`, minutes floored to tens). */
export function dueBucketOf(time: string): string {
  return `${time.slice(0, 15).replace(/[-T:]/g, '')}0`;
}

/** One pending check per token id and evidence record. */
export function checkKeyOf(check: PendingTokenCheck): string {
  return `${check.uti}\u0000${recordOriginOf(check.evidence.source)}:${check.evidence.type}:${check.evidence.id}`;
}

/** Sums per-writer rows into one count per source and app. */
export function sumMatchCounts(rows: Iterable<TokenMatchCount>): TokenMatchCount[] {
  const totals = new Map<string, { source: TokenMatchCount['source']; appId: string; matched: number; unmatched: number }>();
  for (const row of rows) {
    const key = `${row.source}\u0000${row.appId}`;
    const total = totals.get(key) ?? { source: row.source, appId: row.appId, matched: 0, unmatched: 0 };
    total.matched += row.matched;
    total.unmatched += row.unmatched;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => `${a.source}${a.appId}`.localeCompare(`${b.source}${b.appId}`));
}

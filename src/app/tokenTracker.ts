import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import {
  coverageOf,
  dueTimeOf,
  ISSUING_CATEGORIES,
  type IssuanceCoverage,
  tokenIssuanceOf,
  tokenUseHeadOf,
  tokenUseOf,
  verdictOf,
} from '../correlation/tokenIssuance.js';
import { adaptiveGrace, type LatenessTally, mergeLateness, newLatenessTally, tallyLateness } from '../correlation/lateness.js';
import { missingIssuanceFinding } from '../detections/tokenIssuanceMissing.js';
import type { Alert } from '../domain/alerts.js';
import type { EntraSignInCategory, NormalizedEvent } from '../domain/events.js';
import {
  issuanceLookupOf,
  type LatenessHistogram,
  type PendingTokenCheck,
  type SignInLateness,
  type SignInProgress,
  type TokenIssuance,
  type TokenMatchCount,
  type TokenUse,
  type TokenUseSource,
} from '../domain/tokens.js';
import type { Clock } from '../ports/clock.js';
import { type AlertFolding, type DeliverAlerts, persistAlerts } from './persistAlerts.js';
import { RecentTokens } from './recentTokens.js';
import type { Finding } from '../domain/findings.js';
import type { TokenIndexStore } from '../ports/store/tokenIndexStore.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';

/** What tracking one batch did to the token index. */
export interface TokenTrackReport {
  issuancesIndexed: number;
  usesSeen: number;
  /** Uses whose issuance was already known (same batch, or indexed lately by this process). */
  usesMatchedAtOnce: number;
  usesPending: number;
  /** Uses of apps on the allowlist, or of sources switched off. */
  usesNotJudged: number;
}

/** What one run of the resolver decided. */
export interface TokenResolveReport {
  /** Checks read but held back (a stream of their tenant short of their due time): left for a later run. */
  waiting: number;
  /** Tokens possibly issued before the index covered them: dropped unjudged. */
  notCovered: number;
  matched: number;
  /** Uses of tokens never issued, per source mode. */
  missingAlerted: number;
  missingShadow: number;
  /** Alerts this run raised or changed. */
  alerts: Alert[];
  /** Alerts the missing uses belong to, changed or not. */
  touchedAlertIds: string[];
}

export function emptyTrackReport(): TokenTrackReport {
  return { issuancesIndexed: 0, usesSeen: 0, usesMatchedAtOnce: 0, usesPending: 0, usesNotJudged: 0 };
}

/** Sign-in progress is written when it moves at least this far, so most batches write none. */
const PROGRESS_WRITE_STEP_IN_MS = 60_000;
/** Match counts are flushed at most this often from ingest; the resolver always flushes. */
const COUNT_FLUSH_INTERVAL_IN_MS = 30_000;
/** Lateness is read back from the store (every instance's) this often, for the adaptive grace. */
const GRACE_REFRESH_INTERVAL_IN_MS = 5 * 60_000;
/** The lateness history the adaptive grace is built on. */
const LATENESS_HISTORY_IN_MS = 7 * 86_400_000;
/** Pending checks judged, persisted and deleted at a time. */
const RESOLVE_PAGE_SIZE = 500;
/** The due-by bound when forcing: every pending check. */
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

/**
 * Lure's side of the join Microsoft documents between token uses and sign-in logs: every sign-in's token id
 * goes into the index; every token use is matched against it, at once when the issuance is already known,
 * otherwise by the resolver after the grace period (in event time), which raises `token.issuance.missing`
 * for uses of tokens that no sign-in issued. One per process: it keeps the recent token ids and the
 * progress it last wrote.
 */
export class TokenTracker {
  private readonly recent: RecentTokens;
  private readonly writtenProgress = new Map<string, SignInProgress>();
  /** The furthest event time this process has seen per (tenant, stream): what a record's lateness is measured against. */
  private readonly knownWatermarks = new Map<string, string>();
  private watermarksSeededAtMs = Number.NEGATIVE_INFINITY;
  /** This process's lateness per (hour of arrival, tenant, stream), flushed with the match counts. */
  private readonly lateness = new Map<string, { readonly row: Omit<SignInLateness, 'histogram'>; readonly tally: LatenessTally; dirty: boolean }>();
  private readonly counts = new Map<string, { source: TokenUseSource; appId: string; matched: number; unmatched: number }>();
  private countsDirty = false;
  /** Every instance's merged lateness per tenant and stream, as last read, and the grace it gave each kind of use. */
  private graces:
    | { readonly loadedAtMs: number; readonly byTenant: ReadonlyMap<string, ReadonlyMap<string, LatenessHistogram>>; readonly memo: Map<string, number> }
    | undefined;
  private latenessDirty = false;
  private countsFlushedAtMs = 0;
  private readonly writerId = randomUUID();
  private readonly unjudgedAppIds: ReadonlySet<string>;
  private readonly gatingCategories: ReadonlySet<EntraSignInCategory>;

  constructor(
    private readonly store: TokenIndexStore & AlertStore & IncidentStore,
    private readonly settings: Config['issuance'],
    private readonly clock: Clock,
    private readonly folding: AlertFolding,
    private readonly deliver: DeliverAlerts,
  ) {
    this.recent = new RecentTokens(settings.cacheSize);
    this.unjudgedAppIds = new Set(settings.unjudgedAppIds);
    this.gatingCategories = new Set(settings.gatingCategories);
  }

  /**
   * Indexes the batch's issuances, moves sign-in progress forward (per category, and per hub partition
   * when the batch came from one), and matches or defers its token uses.
   */
  async track(events: readonly NormalizedEvent[], findings: readonly Finding[], partitionId?: string): Promise<TokenTrackReport> {
    const report = emptyTrackReport();
    const issuances: TokenIssuance[] = [];
    for (const event of events) {
      const issuance = tokenIssuanceOf(event);
      if (issuance !== undefined) issuances.push(issuance);
    }
    if (issuances.length > 0) {
      await this.store.upsertTokenIssuances(issuances);
      report.issuancesIndexed = issuances.length;
    }
    // Progress goes after the index, so a watermark never vouches for issuances not yet stored.
    await this.advanceProgress(events, partitionId);
    const batchIssued = new Set(issuances.map((issuance) => issuance.uti));

    const decoyRecords = new Set(findings.map((finding) => evidenceKey(finding.evidence)));
    const pending: PendingTokenCheck[] = [];
    const includeObservations = this.settings.modes.token !== 'off';
    for (const event of events) {
      const head = tokenUseHeadOf(event, { includeObservations });
      if (head === undefined) continue;
      report.usesSeen += 1;
      if (this.settings.modes[head.source] === 'off' || (head.appId !== undefined && this.unjudgedAppIds.has(head.appId.toLowerCase()))) {
        report.usesNotJudged += 1;
        continue;
      }
      if (batchIssued.has(head.uti) || this.recent.has(head.uti)) {
        report.usesMatchedAtOnce += 1;
        this.count(head, 'matched');
        continue;
      }
      const partial = tokenUseOf(event, { includeObservations });
      if (partial === undefined) throw new Error(`record ${event.recordId}: a token use with a head has no body`);
      const use: TokenUse = { ...partial, touchesDecoy: decoyRecords.has(evidenceKey(partial.evidence)) };
      pending.push({ ...use, dueAt: dueTimeOf(use, await this.graceInMinutesFor(use)) });
    }
    if (pending.length > 0) await this.store.upsertPendingTokenChecks(pending);
    report.usesPending = pending.length;
    for (const issuance of issuances) this.recent.add(issuance.uti);
    await this.flushCounts(false);
    return report;
  }

  /**
   * Judges the pending checks whose due time the sign-in streams have passed: a token found issued is
   * fine; one never issued raises `token.issuance.missing` (in `alert` mode) and is counted either way.
   * `force` (end of a replay) judges every check as if event time had moved past every grace period.
   * Alerts are persisted before checks are deleted, so a crash in between only repeats an idempotent fold.
   */
  async resolve(options: { readonly force: boolean }): Promise<TokenResolveReport> {
    const report: TokenResolveReport = { waiting: 0, notCovered: 0, matched: 0, missingAlerted: 0, missingShadow: 0, alerts: [], touchedAlertIds: [] };
    const progress = await this.store.listSignInProgress();
    const progressByTenant = new Map<string, SignInProgress[]>();
    for (const entry of progress) progressByTenant.set(entry.tenantId, [...(progressByTenant.get(entry.tenantId) ?? []), entry]);
    const coverage = new Map<string, IssuanceCoverage | 'uncoverable' | undefined>();
    const coverageFor = (check: PendingTokenCheck): IssuanceCoverage | 'uncoverable' | undefined => {
      const key = `${check.tenantId ?? ''}\u0000${check.principalType ?? 'unknown'}`;
      if (!coverage.has(key)) {
        coverage.set(
          key,
          coverageOf(progressByTenant.get(check.tenantId ?? '') ?? [], this.gatingCategories, ISSUING_CATEGORIES[check.principalType ?? 'unknown']),
        );
      }
      return coverage.get(key);
    };
    // No check due after the furthest any tenant's streams have come can be judged (unless forced).
    const furthest = [...progressByTenant.values()]
      .map((entries) => coverageOf(entries, this.gatingCategories))
      .flatMap((tenant) => (tenant === undefined || tenant === 'uncoverable' ? [] : [tenant.watermark]))
      .sort()
      .at(-1);
    const dueBy = options.force ? FAR_FUTURE : furthest;
    if (dueBy === undefined) return report;

    // Page by page: a run that outlives its timer still keeps what it judged, and memory stays bounded.
    let page: PendingTokenCheck[] = [];
    for await (const check of this.store.listPendingTokenChecks(dueBy)) {
      page.push(check);
      if (page.length >= RESOLVE_PAGE_SIZE) {
        await this.resolvePage(page, coverageFor, options.force, report);
        page = [];
      }
    }
    if (page.length > 0) await this.resolvePage(page, coverageFor, options.force, report);
    await this.flushCounts(true);
    return report;
  }

  private async resolvePage(
    page: readonly PendingTokenCheck[],
    coverageFor: (check: PendingTokenCheck) => IssuanceCoverage | 'uncoverable' | undefined,
    force: boolean,
    report: TokenResolveReport,
  ): Promise<void> {
    const toJudge: PendingTokenCheck[] = [];
    const done: PendingTokenCheck[] = [];
    for (const check of page) {
      // A grace that grew since the use arrived (stragglers seen meanwhile) holds the check back too.
      const dueNow = dueTimeOf(check, await this.graceInMinutesFor(check));
      const judged = dueNow > check.dueAt ? { ...check, dueAt: dueNow } : check;
      const verdict = verdictOf(judged, coverageFor(check), { force, maxTokenLifetimeInHours: this.settings.maxTokenLifetimeInHours });
      if (verdict === 'wait') report.waiting += 1;
      else if (verdict === 'notCovered') {
        report.notCovered += 1;
        done.push(check);
      } else toJudge.push(check);
    }

    const unknown = toJudge.filter((check) => !this.recent.has(check.uti));
    const issued =
      unknown.length === 0
        ? new Set<string>()
        : await this.store.findTokenIssuances(unknown.map((check) => issuanceLookupOf(check, this.settings.maxTokenLifetimeInHours)));
    const findings: Finding[] = [];
    for (const check of toJudge) {
      if (this.recent.has(check.uti) || issued.has(check.uti)) {
        report.matched += 1;
        this.count(check, 'matched');
      } else {
        this.count(check, 'unmatched');
        if (this.settings.modes[check.source] === 'alert') {
          report.missingAlerted += 1;
          findings.push(missingIssuanceFinding(check));
        } else report.missingShadow += 1;
      }
      done.push(check);
    }
    if (findings.length > 0) {
      const persisted = await persistAlerts(this.store, findings, { ...this.folding, now: this.clock.now().toISOString() });
      await this.deliver(persisted.touched, new Set(persisted.changed.map((alert) => alert.id)));
      report.alerts.push(...persisted.changed);
      report.touchedAlertIds.push(...persisted.touchedIds);
    }
    // Alerts stored and delivered first: a crash before this delete only repeats an idempotent fold.
    if (done.length > 0) await this.store.deletePendingTokenChecks(done);
  }

  private async advanceProgress(events: readonly NormalizedEvent[], partitionId: string | undefined): Promise<void> {
    // Progress per category, then per tenant (nearly always one): a mutable entry each, as every Entra
    // record of the batch passes through here. Each record's lateness is how far its event time lies behind
    // the furthest this process has seen of its stream (0 when it moves that forward).
    type Seen = { firstEventTime: string; watermark: string; watermarkMs: number; readonly tally: LatenessTally };
    await this.seedKnownWatermarks();
    const batch = new Map<SignInProgress['category'], Map<string, Seen>>();
    const advance = (tenantId: string, category: SignInProgress['category'], time: string) => {
      let byTenant = batch.get(category);
      if (byTenant === undefined) batch.set(category, (byTenant = new Map<string, Seen>()));
      let seen = byTenant.get(tenantId);
      if (seen === undefined) {
        const known = this.knownWatermarks.get(`${tenantId}\u0000${category}`);
        const watermark = known !== undefined && known > time ? known : time;
        byTenant.set(tenantId, (seen = { firstEventTime: time, watermark, watermarkMs: -1, tally: this.tallyOf(tenantId, category) }));
      }
      if (time > seen.watermark) {
        seen.watermark = time;
        seen.watermarkMs = -1;
        tallyLateness(seen.tally, 0);
      } else {
        // Only late records pay for a parse: of their own time, and of the watermark once after it moved.
        if (seen.watermarkMs < 0) seen.watermarkMs = Date.parse(seen.watermark);
        tallyLateness(seen.tally, time === seen.watermark ? 0 : (seen.watermarkMs - Date.parse(time)) / 1000);
        if (time < seen.firstEventTime) seen.firstEventTime = time;
      }
    };
    const partition: SignInProgress['category'] | undefined = partitionId === undefined ? undefined : `partition:${partitionId}`;
    for (const event of events) {
      if (event.source !== 'entra') continue;
      // Any Entra record shows how far its partition has come; sign-ins show their category's progress too.
      if (partition !== undefined) advance(event.tenantId ?? '', partition, event.time);
      if (event.kind === 'signIn' && event.category !== 'AzureActiveDirectoryStsLogon') advance(event.tenantId ?? '', event.category, event.time);
    }
    for (const [category, byTenant] of batch) for (const [tenantId, seen] of byTenant) this.knownWatermarks.set(`${tenantId}\u0000${category}`, seen.watermark);
    const updates = [...batch].flatMap(([category, byTenant]) =>
      [...byTenant].flatMap(([tenantId, { firstEventTime, watermark }]) => {
        const written = this.writtenProgress.get(`${tenantId}\u0000${category}`);
        if (written !== undefined && Date.parse(watermark) - Date.parse(written.watermark) < PROGRESS_WRITE_STEP_IN_MS) return [];
        return [{ tenantId, category, firstEventTime: written?.firstEventTime ?? firstEventTime, watermark }];
      }),
    );
    if (updates.length === 0) return;
    await this.store.advanceSignInProgress(updates);
    for (const update of updates) this.writtenProgress.set(`${update.tenantId}\u0000${update.category}`, update);
  }

  /**
   * The grace a use is judged with: the largest adaptive grace of the streams that gate it (the issuing
   * categories it waits for, and every Entra hub partition of its tenant). A stream without enough history
   * gives the configured grace, so any missing history keeps it. Lateness is read from the store (every
   * instance's) at most every few minutes.
   */
  private async graceInMinutesFor(use: TokenUse): Promise<number> {
    const nowMs = this.clock.now().getTime();
    if (this.graces === undefined || nowMs - this.graces.loadedAtMs >= GRACE_REFRESH_INTERVAL_IN_MS) {
      let rows: SignInLateness[];
      try {
        // This instance's own latest lateness goes in first, so the grace reflects what it has just seen.
        if (this.latenessDirty) await this.flushLateness(nowMs);
        rows = await this.store.listSignInLateness(new Date(nowMs - LATENESS_HISTORY_IN_MS).toISOString());
      } catch {
        // The lateness table failing must not fail ingest: no history means the configured grace, the safe
        // one, until the next refresh tries again (not every use of the batch).
        this.graces = { loadedAtMs: nowMs, byTenant: new Map(), memo: new Map() };
        return this.settings.graceInMinutes;
      }
      const byTenant = new Map<string, Map<string, SignInLateness[]>>();
      for (const row of rows) {
        let streams = byTenant.get(row.tenantId);
        if (streams === undefined) byTenant.set(row.tenantId, (streams = new Map<string, SignInLateness[]>()));
        const of = streams.get(row.category);
        if (of === undefined) streams.set(row.category, [row]);
        else of.push(row);
      }
      const merged = new Map(
        [...byTenant].map(([tenantId, streams]) => [
          tenantId,
          new Map([...streams].map(([stream, of]) => [stream, mergeLateness(of.map((row) => row.histogram))])),
        ]),
      );
      this.graces = { loadedAtMs: nowMs, byTenant: merged, memo: new Map() };
    }
    const key = `${use.tenantId ?? ''}\u0000${use.principalType ?? 'unknown'}`;
    const known = this.graces.memo.get(key);
    if (known !== undefined) return known;
    const streams = this.graces.byTenant.get(use.tenantId ?? '') ?? new Map<string, LatenessHistogram>();
    // Every category that may issue the token, gating or not (a managed identity's sign-ins arrive late and
    // sparse), and every hub partition: one without enough history keeps the configured grace.
    const issuing: readonly string[] = ISSUING_CATEGORIES[use.principalType ?? 'unknown'];
    const partitions = [...streams.keys()].filter((stream) => stream.startsWith('partition:'));
    const adaptive = { configuredGraceInMinutes: this.settings.graceInMinutes, ...this.settings.adaptive, minRecords: this.settings.adaptive.historyRecords };
    const grace = Math.max(...[...issuing, ...partitions].map((stream) => adaptiveGrace(streams.get(stream), adaptive).graceInMinutes));
    this.graces.memo.set(key, grace);
    return grace;
  }

  /**
   * The furthest event time each stream has reached as stored (every instance's), taken in when this process
   * first measures and every few minutes after: a record later than another instance's progress is late too.
   */
  private async seedKnownWatermarks(): Promise<void> {
    const nowMs = this.clock.now().getTime();
    if (nowMs - this.watermarksSeededAtMs < GRACE_REFRESH_INTERVAL_IN_MS) return;
    this.watermarksSeededAtMs = nowMs;
    for (const entry of await this.store.listSignInProgress()) {
      const key = `${entry.tenantId}\u0000${entry.category}`;
      const known = this.knownWatermarks.get(key);
      if (known === undefined || entry.watermark > known) this.knownWatermarks.set(key, entry.watermark);
    }
  }

  /** This hour's tally of a stream, marked to be flushed. */
  private tallyOf(tenantId: string, category: SignInProgress['category']): LatenessTally {
    const hour = `${this.clock.now().toISOString().slice(0, 13)}:00:00.000Z`;
    const key = `${hour}\u0000${tenantId}\u0000${category}`;
    let entry = this.lateness.get(key);
    if (entry === undefined) this.lateness.set(key, (entry = { row: { tenantId, category, hour }, tally: newLatenessTally(), dirty: true }));
    entry.dirty = true;
    this.latenessDirty = true;
    return entry.tally;
  }

  private count(use: Pick<TokenUse, 'source' | 'appId'>, outcome: 'matched' | 'unmatched'): void {
    const appId = use.appId?.toLowerCase() ?? 'unknown';
    const key = `${use.source}\u0000${appId}`;
    const entry = this.counts.get(key) ?? { source: use.source, appId, matched: 0, unmatched: 0 };
    entry[outcome] += 1;
    this.counts.set(key, entry);
    this.countsDirty = true;
  }

  /** Writes this process's running totals (one row per source and app, owned by this process) and its lateness tallies. */
  private async flushCounts(force: boolean): Promise<void> {
    const nowMs = this.clock.now().getTime();
    if ((!this.countsDirty && !this.latenessDirty) || (!force && nowMs - this.countsFlushedAtMs < COUNT_FLUSH_INTERVAL_IN_MS)) return;
    if (this.countsDirty) {
      const counts: TokenMatchCount[] = [...this.counts.values()].map((entry) => ({ ...entry }));
      await this.store.upsertTokenMatchCounts(this.writerId, counts, new Date(nowMs).toISOString());
      this.countsDirty = false;
    }
    if (this.latenessDirty) await this.flushLateness(nowMs);
    this.countsFlushedAtMs = nowMs;
  }

  /** Writes the lateness tallies that changed (each replaces this writer's row), and forgets hours long written. */
  private async flushLateness(nowMs: number): Promise<void> {
    this.latenessDirty = false;
    const dirty = [...this.lateness.values()].filter((entry) => entry.dirty);
    if (dirty.length > 0) {
      const rows = dirty.map((entry) => ({
        ...entry.row,
        histogram: { counts: [...entry.tally.counts], total: entry.tally.total, maxInSeconds: entry.tally.maxInSeconds },
      }));
      // Cleared before the write: what a batch tallies meanwhile marks its entry again, and is never lost.
      for (const entry of dirty) entry.dirty = false;
      try {
        await this.store.upsertSignInLateness(this.writerId, rows);
      } catch (error) {
        for (const entry of dirty) entry.dirty = true;
        this.latenessDirty = true;
        throw error;
      }
    }
    const lastHour = new Date(nowMs - 3_600_000).toISOString().slice(0, 13);
    for (const [key, entry] of [...this.lateness]) if (!entry.dirty && entry.row.hour.slice(0, 13) < lastHour) this.lateness.delete(key);
  }
}

function evidenceKey(evidence: { readonly source: string; readonly type: string; readonly id: string }): string {
  return `${evidence.source}\u0000${evidence.type}\u0000${evidence.id}`;
}

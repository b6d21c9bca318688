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
import { type LatenessTally, tallyLateness } from '../correlation/lateness.js';
import { alertIdOf, dedupeKeyOf } from '../correlation/dedupeKey.js';
import { missingIssuanceFinding } from '../detections/tokenIssuanceMissing.js';
import type { Alert } from '../domain/alerts.js';
import type { EntraSignInCategory, NormalizedEvent } from '../domain/events.js';
import {
  issuanceLookupOf,
  type MissingIssuance,
  type PendingTokenCheck,
  type SignInProgress,
  type TokenIssuance,
  type TokenMatchCount,
  type TokenUse,
  type TokenUseSource,
} from '../domain/tokens.js';
import type { Clock } from '../ports/clock.js';
import { type AlertFolding, type DeliverAlerts, persistAlerts } from './persistAlerts.js';
import { RecentTokens } from './recentTokens.js';
import { missingIssuanceOf, retractLateAlerts } from './retractAlert.js';
import { SignInLatenessTracker } from './signInLateness.js';
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
  /** Alerts withdrawn: the issuance of their token arrived after the use was judged. */
  retracted: number;
  /** Alerts this run raised, changed or retracted. */
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
  /** How late this process sees sign-ins arrive, and the grace checks get from every instance's history. */
  private readonly lateness: SignInLatenessTracker;
  private readonly counts = new Map<string, { source: TokenUseSource; appId: string; matched: number; unmatched: number }>();
  private countsDirty = false;
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
    this.lateness = new SignInLatenessTracker(store, settings, clock, this.writerId);
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
      pending.push({ ...use, dueAt: dueTimeOf(use, await this.lateness.graceInMinutesFor(use)) });
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
    const report: TokenResolveReport = {
      waiting: 0,
      notCovered: 0,
      matched: 0,
      missingAlerted: 0,
      missingShadow: 0,
      retracted: 0,
      alerts: [],
      touchedAlertIds: [],
    };
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
    // Issuances that came after their uses were judged: every run looks, whether or not a check is due.
    const late = await retractLateAlerts(
      { store: this.store, maxTokenLifetimeInHours: this.settings.maxTokenLifetimeInHours, deliver: this.deliver, now: this.clock.now().toISOString() },
      progressByTenant,
      (tenantId, category, latenessInSeconds) => this.lateness.noteRetraction(tenantId, category, latenessInSeconds),
    );
    report.retracted += late.retracted;
    report.alerts.push(...late.alerts);
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
      const dueNow = dueTimeOf(check, await this.lateness.graceInMinutesFor(check));
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
    const missing: MissingIssuance[] = [];
    const judgedAt = this.clock.now().toISOString();
    for (const check of toJudge) {
      if (this.recent.has(check.uti) || issued.has(check.uti)) {
        report.matched += 1;
        this.count(check, 'matched');
      } else {
        this.count(check, 'unmatched');
        if (this.settings.modes[check.source] === 'alert') {
          report.missingAlerted += 1;
          const finding = missingIssuanceFinding(check);
          findings.push(finding);
          missing.push(missingIssuanceOf(check, alertIdOf(dedupeKeyOf(finding, this.folding.dedupeBucketInMinutes)), judgedAt));
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
    // Kept so an issuance arriving later retracts the alert; written before the checks go, like the alerts.
    if (missing.length > 0) await this.store.recordMissingIssuances(missing);
    // Alerts stored and delivered first: a crash before this delete only repeats an idempotent fold.
    if (done.length > 0) await this.store.deletePendingTokenChecks(done);
  }

  private async advanceProgress(events: readonly NormalizedEvent[], partitionId: string | undefined): Promise<void> {
    // Progress per category, then per tenant (nearly always one): a mutable entry each, as every Entra
    // record of the batch passes through here. Each record's lateness is how far its event time lies behind
    // the furthest this process has seen of its stream (0 when it moves that forward). What the grace must
    // cover is how far a sign-in trails the streams a check waits for: every partition, and the gating
    // categories. So a gating category's sign-in counts the lesser of its category and partition lateness (a
    // partition's backlog, in order within it, never needs the grace), and a non-gating one (managed
    // identities) its partition's, since its own category holds no check back.
    type Seen = { firstEventTime: string; watermark: string; watermarkMs: number; readonly tally: LatenessTally };
    await this.lateness.seedKnownWatermarks();
    const batch = new Map<SignInProgress['category'], Map<string, Seen>>();
    /**
     * Moves a stream forward and tallies the record's lateness as the grace must count it: its own, or, given
     * its partition's, the lesser of the two (`gating`) or the partition's. Returns the stream's own.
     */
    const advance = (tenantId: string, category: SignInProgress['category'], time: string, partitionLateness?: number, gating = false): number => {
      let byTenant = batch.get(category);
      if (byTenant === undefined) batch.set(category, (byTenant = new Map<string, Seen>()));
      let seen = byTenant.get(tenantId);
      if (seen === undefined) {
        const known = this.lateness.knownWatermark(tenantId, category);
        const watermark = known !== undefined && known > time ? known : time;
        byTenant.set(tenantId, (seen = { firstEventTime: time, watermark, watermarkMs: -1, tally: this.lateness.tallyOf(tenantId, category) }));
      }
      let own = 0;
      if (time > seen.watermark) {
        seen.watermark = time;
        seen.watermarkMs = -1;
      } else if (time !== seen.watermark) {
        // Only late records pay for a parse: of their own time, and of the watermark once after it moved.
        if (seen.watermarkMs < 0) seen.watermarkMs = Date.parse(seen.watermark);
        own = (seen.watermarkMs - Date.parse(time)) / 1000;
        if (time < seen.firstEventTime) seen.firstEventTime = time;
      }
      tallyLateness(seen.tally, partitionLateness === undefined ? own : gating ? Math.min(own, partitionLateness) : partitionLateness);
      return own;
    };
    const partition: SignInProgress['category'] | undefined = partitionId === undefined ? undefined : `partition:${partitionId}`;
    for (const event of events) {
      if (event.source !== 'entra') continue;
      // Any Entra record shows how far its partition has come; sign-ins show their category's progress too.
      const partitionLateness = partition === undefined ? undefined : advance(event.tenantId ?? '', partition, event.time);
      if (event.kind === 'signIn' && event.category !== 'AzureActiveDirectoryStsLogon')
        advance(event.tenantId ?? '', event.category, event.time, partitionLateness, this.gatingCategories.has(event.category));
    }
    for (const [category, byTenant] of batch) for (const [tenantId, seen] of byTenant) this.lateness.remember(tenantId, category, seen.watermark);
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
    if ((!this.countsDirty && !this.lateness.dirty) || (!force && nowMs - this.countsFlushedAtMs < COUNT_FLUSH_INTERVAL_IN_MS)) return;
    if (this.countsDirty) {
      const counts: TokenMatchCount[] = [...this.counts.values()].map((entry) => ({ ...entry }));
      await this.store.upsertTokenMatchCounts(this.writerId, counts, new Date(nowMs).toISOString());
      this.countsDirty = false;
    }
    if (this.lateness.dirty) await this.lateness.flush(nowMs);
    this.countsFlushedAtMs = nowMs;
  }
}

function evidenceKey(evidence: { readonly source: string; readonly type: string; readonly id: string }): string {
  return `${evidence.source}\u0000${evidence.type}\u0000${evidence.id}`;
}

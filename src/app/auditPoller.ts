import type { Config } from '../config/config.js';
import type { AuditContent, AuditFeedState } from '../domain/auditFeed.js';
import { type AuditFeed, AuditFeedError, isTransientFeedFailure, NO_SUBSCRIPTION, SUBSCRIPTION_DISABLED } from '../ports/auditFeed.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher } from '../ports/eventPublisher.js';
import type { Logger } from '../ports/logger.js';
import { skip } from '../normalize/outcome.js';
import { BOUND_DETAILS, boundExceeded } from '../normalize/recordBounds.js';
import { recordFingerprint } from '../normalize/recordFingerprint.js';
import { redactedExcerpt } from '../normalize/redactedExcerpt.js';
import { deadLetterOfRecord } from './deadLetters.js';
import type { DeadLetter } from '../domain/deadLetters.js';
import type { AuditFeedStore } from '../ports/store/auditFeedStore.js';
import type { DeadLetterStore } from '../ports/store/deadLetterStore.js';

export interface AuditPollerDeps {
  readonly store: AuditFeedStore & DeadLetterStore;
  readonly feed: AuditFeed;
  readonly publisher: EventPublisher;
  /** The Exchange hub, which the `exchangeEvents` function reads. */
  readonly hub: string;
  readonly clock: Clock;
  readonly settings: Pick<Config['auditPoller'], 'contentTypes' | 'lookbackInHours'>;
  /** Whether a decoy file is registered: then `Audit.SharePoint` is polled too, listed in the settings or not. */
  readonly fileDecoysExist?: () => Promise<boolean>;
  readonly logger: Logger;
  /** A run stops starting new work after this long (progress is kept), well inside the host's timeout. */
  readonly budgetInMs?: number;
}

export interface AuditPollReport {
  readonly subscriptionsStarted: number;
  /** Blobs the listings named. */
  readonly listed: number;
  /** Of those, already copied by an earlier run. */
  readonly alreadyCopied: number;
  /** Blobs fetched and published in this run. */
  readonly copied: number;
  readonly records: number;
  /** Records whose `Id` another blob of this run carried already. */
  readonly duplicateRecords: number;
  /** Blobs that fail the same way every time (gone, not JSON, too large): dead-lettered and passed over. */
  readonly deadLettered: number;
  /** Records nested too deep or too large to publish (see `RECORD_BOUNDS`): dead-lettered, the rest of their blob copied. */
  readonly recordsDeadLettered: number;
  /** Subscriptions found stopped (AF20022) and started again. */
  readonly subscriptionsRestarted: number;
  /** Content types whose subscription an admin disabled (AF20023): never started again, and not listed further this run. */
  readonly subscriptionsDisabled: number;
  /** Content types that needed a start request within 15 minutes of the last one: left to a later run. */
  readonly startsDeferred: number;
  /** The run ran out of time and left the rest to the next one. */
  readonly outOfTime: boolean;
  readonly failures: readonly string[];
}

type MutableReport = Omit<{ -readonly [K in keyof AuditPollReport]: AuditPollReport[K] }, 'failures'> & { failures: string[] };

/** SharePoint and OneDrive file operations: what decoy files are watched through. */
const SHAREPOINT_CONTENT_TYPE = 'Audit.SharePoint';
/** The API lists no content created more than seven days back; a little margin keeps the request valid. */
const OLDEST_LISTABLE_IN_MS = 7 * 86_400_000 - 10 * 60_000;
/** One listing request covers at most 24 hours. */
const MAX_WINDOW_IN_MS = 86_400_000;
/** Copied-blob rows are kept eight days: every listable blob is among them. */
const COPIED_HORIZON_IN_MS = 8 * 86_400_000;
/** The host stops a timer function after ten minutes (host.json); a run leaves itself two. */
const DEFAULT_BUDGET_IN_MS = 8 * 60_000;
/** The API wants this long between two start requests for one content type. */
const START_REQUEST_INTERVAL_IN_MS = 15 * 60_000;
/** The API's message, kept with a disabling, is cut to this many characters. */
const MAX_DISABLED_DETAIL_LENGTH = 200;

/** One run: its tallies, the record ids it published, when it stops starting work, the content types found disabled. */
interface Run {
  readonly report: MutableReport;
  readonly recordIds: Set<string>;
  readonly deadline: number;
  readonly disabled: string[];
}

/**
 * Copies the Office 365 Management Activity API into the Exchange hub (the `pollAuditContent` timer). Per
 * content type: starts Lure's subscription once, lists content over a window reaching `lookbackInHours` back
 * from now — and back to where the last run stopped, after downtime, as far as the API keeps content —
 * because blobs are published late and out of order; fetches each blob not yet copied, drops records whose
 * `Id` the run already saw, publishes the rest and only then records the blob as copied. A crash in between
 * publishes a blob again; the pipeline folds what it sees twice. One content type's failure stops no other.
 *
 * It never overrides an admin: a subscription the API says was disabled (AF20023) is never started again,
 * only listed once a run to learn when it is back. Start requests for one content type keep the API's
 * 15-minute wait between them.
 */
export class AuditPoller {
  /** Runs start with the next content type each time, so a long catch-up of one cannot starve another. */
  private runs = 0;

  constructor(private readonly deps: AuditPollerDeps) {}

  async poll(): Promise<AuditPollReport> {
    const report: MutableReport = {
      subscriptionsStarted: 0,
      listed: 0,
      alreadyCopied: 0,
      copied: 0,
      records: 0,
      duplicateRecords: 0,
      deadLettered: 0,
      recordsDeadLettered: 0,
      subscriptionsRestarted: 0,
      subscriptionsDisabled: 0,
      startsDeferred: 0,
      outOfTime: false,
      failures: [],
    };
    const configured = this.deps.settings.contentTypes;
    const wantsFiles = !configured.includes(SHAREPOINT_CONTENT_TYPE) && (await this.deps.fileDecoysExist?.()) === true;
    const types = wantsFiles ? [...configured, SHAREPOINT_CONTENT_TYPE] : configured;
    const first = this.runs % Math.max(1, types.length);
    this.runs += 1;
    const deadline = this.deps.clock.now().getTime() + (this.deps.budgetInMs ?? DEFAULT_BUDGET_IN_MS);
    const run: Run = { report, recordIds: new Set(), deadline, disabled: [] };
    for (const contentType of [...types.slice(first), ...types.slice(0, first)]) {
      try {
        await this.pollContentType(contentType, run);
      } catch (error) {
        const message = `${contentType}: ${error instanceof Error ? error.message : String(error)}`;
        report.failures.push(message);
        this.deps.logger.error('audit poll failed; the next run resumes where this one stopped', { contentType, error: message });
      }
    }
    // One line a run, however many runs it lasts: the alert (source.silent) is what tells the admins.
    if (run.disabled.length > 0)
      this.deps.logger.warn('audit subscriptions disabled by an admin: Lure will not start them again', { contentTypes: run.disabled.sort().join(', ') });
    return report;
  }

  private async pollContentType(contentType: string, run: Run): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now().getTime();
    let state: AuditFeedState | undefined = (await store.getAuditFeedState(contentType)) ?? { contentType };
    // A disabled subscription is not started: the listing below is how Lure learns an admin enabled it again.
    if (state.subscribedAt === undefined && state.disabled === undefined) {
      state = await this.start(state, run);
      if (state === undefined) return;
      run.report.subscriptionsStarted += 1;
    }
    const lookbackInMs = this.deps.settings.lookbackInHours * 3_600_000;
    const resumeFrom = state.listedUntil === undefined ? now - lookbackInMs : Math.min(now - lookbackInMs, Date.parse(state.listedUntil) - lookbackInMs);
    const start = Math.max(now - OLDEST_LISTABLE_IN_MS, resumeFrom);
    // Every copied row still kept, not only those from `start`: the API rounds a window's start to the second.
    const copied = await store.listCopiedAuditContent(contentType, new Date(now - COPIED_HORIZON_IN_MS).toISOString());
    for (let windowStart = start; windowStart < now; windowStart += MAX_WINDOW_IN_MS) {
      const windowEnd = Math.min(windowStart + MAX_WINDOW_IN_MS, now);
      const listing = await this.list(state, new Date(windowStart).toISOString(), new Date(windowEnd).toISOString(), run);
      if (listing === undefined) return;
      state = listing.state;
      run.report.listed += listing.listed.length;
      for (const content of [...listing.listed].sort((a, b) => a.contentCreated.localeCompare(b.contentCreated))) {
        if (copied.has(content.contentId)) {
          run.report.alreadyCopied += 1;
          continue;
        }
        if (clock.now().getTime() > run.deadline) {
          run.report.outOfTime = true;
          return;
        }
        // Rows are kept under the type Lure asked for, whatever the listing says.
        await this.copy({ ...content, contentType }, run.report, run.recordIds);
        copied.add(content.contentId);
      }
      // The window is done: a later run need only look back from here (and its lookback covers late blobs).
      if (state.listedUntil === undefined || new Date(windowEnd).toISOString() > state.listedUntil) {
        state = { ...state, listedUntil: new Date(windowEnd).toISOString() };
        await this.save(state);
      }
    }
  }

  /**
   * Lists a window. A subscription found stopped (AF20022) is started again and the window listed once more;
   * one found disabled (AF20023) is recorded so and left alone. A listing that answers at all clears an
   * earlier disabling. Returns the state as it now is with what was listed, or `undefined` when the content
   * type stops for this run (disabled, or its restart must wait).
   */
  private async list(
    state: AuditFeedState,
    startTime: string,
    endTime: string,
    run: Run,
    restarted = false,
  ): Promise<{ state: AuditFeedState; listed: AuditContent[] } | undefined> {
    const { contentType } = state;
    let listed: AuditContent[];
    try {
      listed = await this.deps.feed.listContent(contentType, startTime, endTime);
    } catch (error) {
      const code = error instanceof AuditFeedError ? error.code : undefined;
      if (error instanceof AuditFeedError && code === SUBSCRIPTION_DISABLED) {
        await this.disable(state, error, run);
        return undefined;
      }
      if (code !== NO_SUBSCRIPTION || restarted) throw error;
      // Gone rather than disabled (expired, say): the API no longer reports a disabling, so neither does Lure.
      let stopped = state;
      if (state.disabled !== undefined) {
        stopped = withoutDisabling(state);
        await this.save(stopped);
      }
      this.deps.logger.warn('audit subscription found stopped; starting it again', { contentType, code });
      const started = await this.start(stopped, run);
      if (started === undefined) return undefined;
      run.report.subscriptionsRestarted += 1;
      return this.list(started, startTime, endTime, run, true);
    }
    if (state.disabled === undefined) return { state, listed };
    const enabled = { ...withoutDisabling(state), subscribedAt: state.subscribedAt ?? this.deps.clock.now().toISOString() };
    await this.save(enabled);
    this.deps.logger.info('audit subscription enabled again; listing resumes', { contentType, disabledSince: state.disabled.since });
    return { state: enabled, listed };
  }

  /**
   * Asks the API to start the subscription, unless Lure asked less than 15 minutes ago (the API's wait
   * between start requests): the content type then waits for a later run. The request is recorded before it
   * is sent, so neither a failed request nor a crash can lead to a second one inside the wait. Returns the
   * state once started, or `undefined` when the content type stops for this run (deferred, or disabled).
   */
  private async start(state: AuditFeedState, run: Run): Promise<AuditFeedState | undefined> {
    const now = this.deps.clock.now();
    const { contentType, startRequestedAt } = state;
    if (startRequestedAt !== undefined && now.getTime() - Date.parse(startRequestedAt) < START_REQUEST_INTERVAL_IN_MS) {
      run.report.startsDeferred += 1;
      this.deps.logger.info('audit subscription start deferred: the API wants 15 minutes between start requests', { contentType, startRequestedAt });
      return undefined;
    }
    const requested: AuditFeedState = { ...state, startRequestedAt: now.toISOString() };
    await this.save(requested);
    try {
      await this.deps.feed.startSubscription(contentType);
    } catch (error) {
      if (!(error instanceof AuditFeedError) || error.code !== SUBSCRIPTION_DISABLED) throw error;
      await this.disable(requested, error, run);
      return undefined;
    }
    const started = { ...requested, subscribedAt: now.toISOString() };
    await this.save(started);
    return started;
  }

  /** Records that an admin disabled the subscription (once: `since` is when Lure first saw it) and counts it. */
  private async disable(state: AuditFeedState, error: AuditFeedError, run: Run): Promise<void> {
    run.report.subscriptionsDisabled += 1;
    run.disabled.push(state.contentType);
    if (state.disabled !== undefined) return;
    // What the API said ("…disabled by a tenant admin."), never more: redacted and cut short all the same.
    const detail = redactedExcerpt(`${error.code ?? ''}: ${error.apiMessage ?? error.message}`).slice(0, MAX_DISABLED_DETAIL_LENGTH);
    await this.save({ ...state, disabled: { since: this.deps.clock.now().toISOString(), detail } });
  }

  /**
   * Writes the content type's state, its alert id as it now stands: that one field is the silence check's
   * (`StreamTracker`), the rest the poller's, and each side reads the row afresh before it writes.
   */
  private async save(state: AuditFeedState): Promise<void> {
    const current = await this.deps.store.getAuditFeedState(state.contentType);
    const { silentAlertId: _stale, ...progress } = state;
    await this.deps.store.upsertAuditFeedState(current?.silentAlertId === undefined ? progress : { ...progress, silentAlertId: current.silentAlertId });
  }

  /**
   * Fetches and publishes one blob, then records it copied. A failure that would repeat on every run (the
   * blob gone, not JSON, a record too large for Event Hubs) dead-letters the blob and passes over it, so it
   * cannot hold back everything listed after it; a passing failure (network, throttling, Event Hubs down)
   * stops the run, and the next one tries again.
   */
  private async copy(content: AuditContent, report: MutableReport, recordIds: Set<string>): Promise<void> {
    try {
      await this.fetchAndPublish(content, report, recordIds);
    } catch (error) {
      const permanent = error instanceof RangeError || (error instanceof AuditFeedError && !isTransientFeedFailure(error));
      if (!permanent) throw error;
      const detail = `${content.contentType} blob not copied: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
      await this.deps.store.upsertDeadLetters([
        {
          id: recordFingerprint('invalid-record', detail, content.contentId),
          receivedAt: this.deps.clock.now().toISOString(),
          origin: 'audit poller',
          reason: 'invalid-record',
          detail,
          excerpt: content.contentId,
        },
      ]);
      await this.deps.store.upsertCopiedAuditContent([
        { contentType: content.contentType, contentId: content.contentId, contentCreated: content.contentCreated },
      ]);
      this.deps.logger.error('audit blob dead-lettered', { contentType: content.contentType, contentId: content.contentId, error: detail });
      report.deadLettered += 1;
    }
  }

  private async fetchAndPublish(content: AuditContent, report: MutableReport, recordIds: Set<string>): Promise<void> {
    const records = await this.deps.feed.fetchContent(content);
    // Publishing serializes each record: one past the bounds would fail the blob, and every record in it, forever.
    const receivedAt = this.deps.clock.now().toISOString();
    const outOfBounds: DeadLetter[] = [];
    const publishable = records.filter((record) => {
      const exceeded = boundExceeded(record);
      if (exceeded !== undefined) outOfBounds.push(deadLetterOfRecord(record, skip(exceeded, BOUND_DETAILS[exceeded]), 'audit poller', receivedAt));
      return exceeded === undefined;
    });
    const fresh = publishable.filter((record) => {
      const id = typeof record === 'object' && record !== null ? (record as { Id?: unknown }).Id : undefined;
      if (typeof id !== 'string') return true;
      if (recordIds.has(id)) return false;
      recordIds.add(id);
      return true;
    });
    report.duplicateRecords += publishable.length - fresh.length;
    if (fresh.length > 0) {
      // Within the bounds yet too large for one event (its UTF-8 bytes): that record alone is dead-lettered.
      const { tooLarge } = await this.deps.publisher.publish(this.deps.hub, fresh);
      for (const index of tooLarge)
        outOfBounds.push(deadLetterOfRecord(fresh[index], skip('too-large', 'larger than one Event Hubs event'), 'audit poller', receivedAt));
      report.records -= tooLarge.length;
    }
    if (outOfBounds.length > 0) {
      await this.deps.store.upsertDeadLetters(outOfBounds);
      report.recordsDeadLettered += outOfBounds.length;
    }
    await this.deps.store.upsertCopiedAuditContent([
      { contentType: content.contentType, contentId: content.contentId, contentCreated: content.contentCreated },
    ]);
    report.records += fresh.length;
    report.copied += 1;
  }
}

function withoutDisabling(state: AuditFeedState): AuditFeedState {
  const { disabled: _disabled, ...rest } = state;
  return rest;
}

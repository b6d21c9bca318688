import type { Config } from '../config/config.js';
import type { AuditContent, AuditFeedState } from '../domain/auditFeed.js';
import { type AuditFeed, AuditFeedError, isTransientFeedFailure } from '../ports/auditFeed.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher } from '../ports/eventPublisher.js';
import type { Logger } from '../ports/logger.js';
import { skip } from '../normalize/outcome.js';
import { BOUND_DETAILS, boundExceeded } from '../normalize/recordBounds.js';
import { recordFingerprint } from '../normalize/recordFingerprint.js';
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
  /** Subscriptions found stopped and started again. */
  readonly subscriptionsRestarted: number;
  /** The run ran out of time and left the rest to the next one. */
  readonly outOfTime: boolean;
  readonly failures: readonly string[];
}

type MutableReport = Omit<{ -readonly [K in keyof AuditPollReport]: AuditPollReport[K] }, 'failures'> & { failures: string[] };

/** The API lists no content created more than seven days back; a little margin keeps the request valid. */
const OLDEST_LISTABLE_IN_MS = 7 * 86_400_000 - 10 * 60_000;
/** One listing request covers at most 24 hours. */
const MAX_WINDOW_IN_MS = 86_400_000;
/** Copied-blob rows are kept eight days: every listable blob is among them. */
const COPIED_HORIZON_IN_MS = 8 * 86_400_000;
/** The host stops a timer function after ten minutes (host.json); a run leaves itself two. */
const DEFAULT_BUDGET_IN_MS = 8 * 60_000;
/** The API's answers when a content type has no started subscription (never started, or stopped since). */
const NO_SUBSCRIPTION = new Set(['AF20022', 'AF20023']);

/**
 * Copies the Office 365 Management Activity API into the Exchange hub (the `pollAuditContent` timer). Per
 * content type: starts Lure's subscription once, lists content over a window reaching `lookbackInHours` back
 * from now — and back to where the last run stopped, after downtime, as far as the API keeps content —
 * because blobs are published late and out of order; fetches each blob not yet copied, drops records whose
 * `Id` the run already saw, publishes the rest and only then records the blob as copied. A crash in between
 * publishes a blob again; the pipeline folds what it sees twice. One content type's failure stops no other.
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
      outOfTime: false,
      failures: [],
    };
    const recordIds = new Set<string>();
    const types = this.deps.settings.contentTypes;
    const first = this.runs % Math.max(1, types.length);
    this.runs += 1;
    const deadline = this.deps.clock.now().getTime() + (this.deps.budgetInMs ?? DEFAULT_BUDGET_IN_MS);
    for (const contentType of [...types.slice(first), ...types.slice(0, first)]) {
      try {
        await this.pollContentType(contentType, report, recordIds, deadline);
      } catch (error) {
        const message = `${contentType}: ${error instanceof Error ? error.message : String(error)}`;
        report.failures.push(message);
        this.deps.logger.error('audit poll failed; the next run resumes where this one stopped', { contentType, error: message });
      }
    }
    return report;
  }

  private async pollContentType(contentType: string, report: MutableReport, recordIds: Set<string>, deadline: number): Promise<void> {
    const { store, feed, clock } = this.deps;
    const now = clock.now().getTime();
    let state: AuditFeedState = (await store.getAuditFeedState(contentType)) ?? { contentType };
    if (state.subscribedAt === undefined) {
      await feed.startSubscription(contentType);
      state = { ...state, subscribedAt: new Date(now).toISOString() };
      await store.upsertAuditFeedState(state);
      report.subscriptionsStarted += 1;
    }
    const lookbackInMs = this.deps.settings.lookbackInHours * 3_600_000;
    const resumeFrom = state.listedUntil === undefined ? now - lookbackInMs : Math.min(now - lookbackInMs, Date.parse(state.listedUntil) - lookbackInMs);
    const start = Math.max(now - OLDEST_LISTABLE_IN_MS, resumeFrom);
    // Every copied row still kept, not only those from `start`: the API rounds a window's start to the second.
    const copied = await store.listCopiedAuditContent(contentType, new Date(now - COPIED_HORIZON_IN_MS).toISOString());
    for (let windowStart = start; windowStart < now; windowStart += MAX_WINDOW_IN_MS) {
      const windowEnd = Math.min(windowStart + MAX_WINDOW_IN_MS, now);
      const listed = await this.list(contentType, new Date(windowStart).toISOString(), new Date(windowEnd).toISOString(), report);
      report.listed += listed.length;
      for (const content of [...listed].sort((a, b) => a.contentCreated.localeCompare(b.contentCreated))) {
        if (copied.has(content.contentId)) {
          report.alreadyCopied += 1;
          continue;
        }
        if (clock.now().getTime() > deadline) {
          report.outOfTime = true;
          return;
        }
        // Rows are kept under the type Lure asked for, whatever the listing says.
        await this.copy({ ...content, contentType }, report, recordIds);
        copied.add(content.contentId);
      }
      // The window is done: a later run need only look back from here (and its lookback covers late blobs).
      if (state.listedUntil === undefined || new Date(windowEnd).toISOString() > state.listedUntil) {
        state = { ...state, listedUntil: new Date(windowEnd).toISOString() };
        await store.upsertAuditFeedState(state);
      }
    }
  }

  /** Lists a window; a subscription found stopped is started again and the window listed once more. */
  private async list(contentType: string, startTime: string, endTime: string, report: MutableReport): Promise<AuditContent[]> {
    try {
      return await this.deps.feed.listContent(contentType, startTime, endTime);
    } catch (error) {
      if (!(error instanceof AuditFeedError) || error.code === undefined || !NO_SUBSCRIPTION.has(error.code)) throw error;
      this.deps.logger.warn('audit subscription found stopped; starting it again', { contentType, code: error.code });
      await this.deps.feed.startSubscription(contentType);
      report.subscriptionsRestarted += 1;
      return this.deps.feed.listContent(contentType, startTime, endTime);
    }
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

import type { Config } from '../config/loadConfig.js';
import type { AuditContent, AuditFeedState } from '../domain/auditFeed.js';
import type { AuditFeed } from '../ports/auditFeed.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher } from '../ports/eventPublisher.js';
import type { Logger } from '../ports/logger.js';
import type { StateStore } from '../ports/stateStore.js';

export interface AuditPollerDeps {
  readonly store: StateStore;
  readonly feed: AuditFeed;
  readonly publisher: EventPublisher;
  /** The Exchange hub, which the `exchangeEvents` function reads. */
  readonly hub: string;
  readonly clock: Clock;
  readonly settings: Pick<Config['auditPoller'], 'contentTypes' | 'lookbackInHours'>;
  readonly logger: Logger;
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
  readonly failures: readonly string[];
}

/** The API lists no content created more than seven days back; a little margin keeps the request valid. */
const OLDEST_LISTABLE_IN_MS = 7 * 86_400_000 - 10 * 60_000;
/** One listing request covers at most 24 hours. */
const MAX_WINDOW_IN_MS = 86_400_000;

/**
 * Copies the Office 365 Management Activity API into the Exchange hub (the `pollAuditContent` timer). Per
 * content type: starts Lure's subscription once, lists content over a window reaching `lookbackInHours` back
 * from now — and back to where the last run stopped, after downtime, as far as the API keeps content —
 * because blobs are published late and out of order; fetches each blob not yet copied, drops records whose
 * `Id` the run already saw, publishes the rest and only then records the blob as copied. A crash in between
 * publishes a blob again; the pipeline folds what it sees twice. One content type's failure stops no other.
 */
export class AuditPoller {
  constructor(private readonly deps: AuditPollerDeps) {}

  async poll(): Promise<AuditPollReport> {
    const report = { subscriptionsStarted: 0, listed: 0, alreadyCopied: 0, copied: 0, records: 0, duplicateRecords: 0, failures: [] as string[] };
    const recordIds = new Set<string>();
    for (const contentType of this.deps.settings.contentTypes) {
      try {
        await this.pollContentType(contentType, report, recordIds);
      } catch (error) {
        const message = `${contentType}: ${error instanceof Error ? error.message : String(error)}`;
        report.failures.push(message);
        this.deps.logger.error('audit poll failed; the next run resumes where this one stopped', { contentType, error: message });
      }
    }
    return report;
  }

  private async pollContentType(contentType: string, report: { -readonly [K in keyof AuditPollReport]: AuditPollReport[K] }, recordIds: Set<string>): Promise<void> {
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
    const copied = await store.listCopiedAuditContent(contentType, new Date(start).toISOString());
    for (let windowStart = start; windowStart < now; windowStart += MAX_WINDOW_IN_MS) {
      const windowEnd = Math.min(windowStart + MAX_WINDOW_IN_MS, now);
      const listed = await feed.listContent(contentType, new Date(windowStart).toISOString(), new Date(windowEnd).toISOString());
      report.listed += listed.length;
      for (const content of [...listed].sort((a, b) => a.contentCreated.localeCompare(b.contentCreated))) {
        if (copied.has(content.contentId)) {
          report.alreadyCopied += 1;
          continue;
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

  private async copy(content: AuditContent, report: { records: number; duplicateRecords: number; copied: number }, recordIds: Set<string>): Promise<void> {
    const records = await this.deps.feed.fetchContent(content);
    const fresh = records.filter((record) => {
      const id = typeof record === 'object' && record !== null ? (record as { Id?: unknown }).Id : undefined;
      if (typeof id !== 'string') return true;
      if (recordIds.has(id)) return false;
      recordIds.add(id);
      return true;
    });
    report.duplicateRecords += records.length - fresh.length;
    if (fresh.length > 0) await this.deps.publisher.publish(this.deps.hub, fresh);
    await this.deps.store.upsertCopiedAuditContent([{ contentType: content.contentType, contentId: content.contentId, contentCreated: content.contentCreated }]);
    report.records += fresh.length;
    report.copied += 1;
  }
}

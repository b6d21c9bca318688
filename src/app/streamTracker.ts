import type { Config } from '../config/config.js';
import { alertIdOf, dedupeKeyOf } from '../correlation/dedupeKey.js';
import { silenceVerdicts } from '../correlation/silence.js';
import { disabledSubscriptionFinding, silentStreamFinding } from '../detections/sourceSilent.js';
import type { Alert } from '../domain/alerts.js';
import type { NormalizedEvent } from '../domain/events.js';
import { randomUUID } from 'node:crypto';
import {
  countBucketOf,
  hubOfOrigin,
  nameOfStream,
  type StreamArrival,
  type StreamCount,
  type StreamExpectation,
  type StreamState,
  streamNamed,
} from '../domain/streams.js';
import type { Clock } from '../ports/clock.js';
import { type AlertFolding, type DeliverAlerts, persistAlerts } from './persistAlerts.js';
import { ConcurrencyError } from '../ports/store/versioned.js';
import type { StreamStore } from '../ports/store/streamStore.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';
import type { AuditFeedStore } from '../ports/store/auditFeedStore.js';

/** A stream's arrival is written at most this often per process: silence is measured in tens of minutes. */
const ARRIVAL_WRITE_INTERVAL_IN_MS = 60_000;

/** What one batch read, for the counts the status report shows. */
export interface BatchTally {
  /** The Event Hub (`entra`, `exchange`, `token`, with or without its partition) or a file name. */
  readonly origin: string;
  readonly records: number;
  readonly deadLettered: number;
}

export interface SourceCheckReport {
  readonly streams: number;
  /** Streams, and audit subscriptions an admin disabled, newly alerted. */
  readonly silent: number;
  /** Their alerts resolved: flowing again, no longer expected, or enabled again. */
  readonly cleared: number;
  readonly alerts: Alert[];
}

/**
 * Knows which streams deliver (each source, and each Entra category) and raises `source.silent` when one
 * that delivered before stops, or one Lure expects never starts, or an admin disables an audit subscription:
 * a deleted or missing diagnostic setting must not leave Lure blind and quiet.
 */
export class StreamTracker {
  private readonly written = new Map<string, number>();
  /** This process's running totals per origin and ten-minute bucket; each process owns its rows. */
  private readonly counts = new Map<string, StreamCount>();
  private readonly writerId = randomUUID();
  /** Counts are first written a minute after start, with the arrivals' once-a-minute rhythm: a batch costs no extra round trip. */
  private countsWrittenAt: number;
  private countsChanged = false;

  constructor(
    private readonly store: StreamStore & AlertStore & IncidentStore & AuditFeedStore,
    private readonly settings: Config['silence'],
    private readonly clock: Clock,
    private readonly folding: AlertFolding,
    private readonly deliver: DeliverAlerts,
  ) {
    this.countsWrittenAt = clock.now().getTime();
  }

  /** Notes that the batch's streams delivered (wall-clock arrival, latest event time) and counts what it read. */
  async recordArrivals(events: readonly NormalizedEvent[], tally?: BatchTally): Promise<void> {
    const now = this.clock.now();
    // The latest event time per source, and per Entra category; one pass, no allocation per event.
    const latestBySource = new Map<StreamArrival['source'], string>();
    const latestByCategory = new Map<string, string>();
    for (const event of events) {
      const bySource = latestBySource.get(event.source);
      if (bySource === undefined || event.time > bySource) latestBySource.set(event.source, event.time);
      if (event.source !== 'entra') continue;
      const byCategory = latestByCategory.get(event.recordType);
      if (byCategory === undefined || event.time > byCategory) latestByCategory.set(event.recordType, event.time);
    }
    const lastArrivalAt = now.toISOString();
    const arrivals: StreamArrival[] = [
      ...[...latestBySource].map(([source, lastEventAt]) => ({ stream: `source:${source}`, source, lastArrivalAt, lastEventAt })),
      ...[...latestByCategory].map(([category, lastEventAt]) => ({ stream: `category:${category}`, source: 'entra' as const, lastArrivalAt, lastEventAt })),
    ];
    if (tally !== undefined) this.count(tally, latestOf(latestBySource.values()), now);
    const due = arrivals.filter((arrival) => now.getTime() - (this.written.get(arrival.stream) ?? 0) >= ARRIVAL_WRITE_INTERVAL_IN_MS);
    if (due.length > 0) {
      await this.store.recordStreamArrivals(due);
      for (const arrival of due) this.written.set(arrival.stream, now.getTime());
    }
    if (this.countsChanged && now.getTime() - this.countsWrittenAt >= ARRIVAL_WRITE_INTERVAL_IN_MS) await this.writeCounts(now);
  }

  /** Writes this process's counts (the status report reads every process's). */
  private async writeCounts(now: Date): Promise<void> {
    if (!this.countsChanged) return;
    // Only the last hour's buckets matter; older ones were written when they were current.
    const horizon = countBucketOf(new Date(now.getTime() - 3_600_000).toISOString());
    for (const [key, count] of this.counts) if (count.bucket < horizon) this.counts.delete(key);
    await this.store.upsertStreamCounts(this.writerId, [...this.counts.values()]);
    this.countsWrittenAt = now.getTime();
    this.countsChanged = false;
  }

  private count(tally: BatchTally, batchLatest: string | undefined, now: Date): void {
    // Partitions of one hub are one origin to the admins.
    const origin = hubOfOrigin(tally.origin) ?? 'files';
    const bucket = countBucketOf(now.toISOString());
    const key = `${origin}\u0000${bucket}`;
    const current = this.counts.get(key) ?? { origin, bucket, records: 0, deadLettered: 0 };
    const latest = latestOf([current.lastEventAt, batchLatest]);
    this.counts.set(key, {
      ...current,
      records: current.records + tally.records,
      deadLettered: current.deadLettered + tally.deadLettered,
      ...(latest === undefined ? {} : { lastEventAt: latest }),
    });
    this.countsChanged = true;
  }

  /**
   * The timer's check: marks expected streams Lure has not seen yet (their first-delivery grace starts now),
   * raises one alert per silence (keyed by when it began, or for a stream that never began, by when it was
   * first expected), and marks the alert resolved once the stream delivers again.
   */
  async check(): Promise<SourceCheckReport> {
    const now = this.clock.now().toISOString();
    const streams = await this.withExpectations(await this.store.listStreams(), now);
    const verdicts = silenceVerdicts(streams, now, {
      thresholds: this.settings.thresholds,
      defaultInMinutes: this.settings.defaultThresholdInMinutes,
      expected: new Set(this.settings.expected),
      firstDeliveryGraceInMinutes: this.settings.firstDeliveryGraceInHours * 60,
    });
    const raised = verdicts.flatMap((verdict) => (verdict.action === 'raise' ? [verdict] : []));
    const alerts: Alert[] = [];
    for (const verdict of raised) {
      const finding = silentStreamFinding(verdict.stream, verdict.silence, verdict.silentForInMinutes);
      const { changed, touched, touchedIds } = await persistAlerts(this.store, [finding], { ...this.folding, now });
      await this.deliver(touched, new Set(changed.map((alert) => alert.id)));
      alerts.push(...changed);
      await this.store.setStreamSilence(verdict.stream.stream, touchedIds[0]);
    }
    let cleared = 0;
    for (const verdict of verdicts) {
      if (verdict.action !== 'clear' || verdict.stream.silentAlertId === undefined) continue;
      await this.resolve(verdict.stream.silentAlertId);
      await this.store.setStreamSilence(verdict.stream.stream, undefined);
      cleared += 1;
    }
    // The store says what the deployment expects (the status report reads it): what it no longer expects goes.
    const expected = new Set(this.settings.expected);
    const unexpected = streams.filter((stream) => stream.expectedSince !== undefined && !expected.has(stream.stream)).map((stream) => stream.stream);
    if (unexpected.length > 0) await this.store.forgetStreamExpectations(unexpected);
    const subscriptions = await this.checkSubscriptions(now);
    alerts.push(...subscriptions.alerts);
    return { streams: streams.length, silent: raised.length + subscriptions.silent, cleared: cleared + subscriptions.cleared, alerts };
  }

  /**
   * One alert per audit subscription an admin disabled (see `disabledSubscriptionFinding`), resolved once the
   * poller finds it enabled again. The poller owns the rest of the state and writes it often, so the alert id
   * is written over a fresh read. Should a poller write still drop the id, the next check folds the same
   * finding into the same alert (same dedupe key, its evidence already counted): nothing is raised twice.
   */
  private async checkSubscriptions(now: string): Promise<{ silent: number; cleared: number; alerts: Alert[] }> {
    const result = { silent: 0, cleared: 0, alerts: [] as Alert[] };
    for (const { contentType, disabled, silentAlertId } of await this.store.listAuditFeedStates()) {
      if (disabled === undefined) {
        if (silentAlertId === undefined) continue;
        await this.resolve(silentAlertId);
        await this.recordSubscriptionAlert(contentType, silentAlertId, undefined);
        result.cleared += 1;
        continue;
      }
      const finding = disabledSubscriptionFinding(contentType, disabled);
      const alertId = alertIdOf(dedupeKeyOf(finding, this.folding.dedupeBucketInMinutes));
      if (silentAlertId === alertId) continue;
      const { changed, touched } = await persistAlerts(this.store, [finding], { ...this.folding, now });
      await this.deliver(touched, new Set(changed.map((alert) => alert.id)));
      result.alerts.push(...changed);
      // The alert of an earlier disabling, the subscription enabled and disabled again between two checks.
      if (silentAlertId !== undefined) await this.resolve(silentAlertId);
      await this.recordSubscriptionAlert(contentType, silentAlertId, alertId);
      result.silent += 1;
    }
    return result;
  }

  /** Replaces the state's alert id `from` by `to`, over a fresh read: the poller's progress stands. */
  private async recordSubscriptionAlert(contentType: string, from: string | undefined, to: string | undefined): Promise<void> {
    const current = await this.store.getAuditFeedState(contentType);
    // Gone, already so, or another check got there first.
    if (current === undefined || current.silentAlertId === to || (current.silentAlertId !== undefined && current.silentAlertId !== from)) return;
    const { silentAlertId: _from, ...rest } = current;
    await this.store.upsertAuditFeedState(to === undefined ? rest : { ...rest, silentAlertId: to });
  }

  /** The streams, with every expected one not yet marked recorded as expected from now. */
  private async withExpectations(streams: readonly StreamState[], now: string): Promise<StreamState[]> {
    const known = new Map(streams.map((stream) => [stream.stream, stream]));
    const unmarked: StreamExpectation[] = [];
    for (const name of this.settings.expected) {
      const current = known.get(name);
      if (current?.expectedSince !== undefined) continue;
      const stream = streamNamed(nameOfStream(name));
      if (stream === undefined) continue;
      unmarked.push({ ...stream, expectedSince: now });
    }
    if (unmarked.length === 0) return [...streams];
    await this.store.recordStreamExpectations(unmarked);
    for (const expectation of unmarked) known.set(expectation.stream, { ...known.get(expectation.stream), ...expectation });
    return [...known.values()];
  }

  private async resolve(alertId: string): Promise<void> {
    const current = await this.store.getAlert(alertId);
    if (current === undefined) return;
    // Already resolved (by an admin, or by a check that stopped before telling delivery): tell it again;
    // the outbox enqueues nothing twice.
    if (current.value.alert.status === 'resolved') {
      await this.deliver([current.value.alert], new Set([alertId]));
      return;
    }
    const resolved: Alert = { ...current.value.alert, status: 'resolved' };
    try {
      await this.store.updateAlert({ ...current.value, alert: resolved }, current.etag);
    } catch (error) {
      // A lost race only means someone else changed the alert (say, acknowledged it): theirs stands.
      if (!(error instanceof ConcurrencyError)) throw error;
      return;
    }
    // Resolved alerts notify no one; a channel keeping the alert's history (Sentinel) records the change.
    await this.deliver([resolved], new Set([resolved.id]));
  }
}

/** The latest of some timestamps (canonical ISO strings compare in time order), if any. */
function latestOf(times: Iterable<string | undefined>): string | undefined {
  let latest: string | undefined;
  for (const time of times) if (time !== undefined && (latest === undefined || time > latest)) latest = time;
  return latest;
}

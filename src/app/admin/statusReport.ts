import { type LatenessSummary, latenessSummaryOf, mergeLateness } from '../../correlation/lateness.js';
import { likelyCauseOfNoDelivery } from '../../detections/sourceSilent.js';
import type { AuditFeedState, AuditSubscriptionDisabled } from '../../domain/auditFeed.js';
import type { ChannelStatus } from '../../domain/delivery.js';
import type { KeySetFetch } from '../../domain/signingKeys.js';
import type { SignInLateness } from '../../domain/tokens.js';
import { countBucketOf, nameOfStream, type StreamCount, type StreamState, streamNamed } from '../../domain/streams.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditFeedStore } from '../../ports/store/auditFeedStore.js';
import type { SigningKeyStore } from '../../ports/store/signingKeyStore.js';
import type { StreamStore } from '../../ports/store/streamStore.js';
import type { TokenIndexStore } from '../../ports/store/tokenIndexStore.js';
import type { AlertDelivery } from '../delivery/alertDelivery.js';

/** One stream in the report: a source or an Entra category that delivered, or that Lure expects. */
export interface SourceHealth {
  readonly stream: string;
  /** Named in `LURE_EXPECTED_SOURCES` (here, or where the silence timer runs). */
  readonly expected: boolean;
  /** Whether any record of it ever arrived. */
  readonly delivered: boolean;
  readonly lastArrivalAt?: string;
  readonly lastEventAt?: string;
  readonly lagInSeconds?: number;
  /** When Lure began expecting it (its first-delivery grace counts from here); absent until the silence timer first ran. */
  readonly expectedSince?: string;
  /** A `source.silent` alert is open for it. */
  readonly silent: boolean;
  /** For an expected stream that never delivered: where to look first. */
  readonly likelyCause?: string;
}

/** One Management Activity API subscription the audit poller keeps. */
export interface AuditSubscriptionHealth {
  readonly contentType: string;
  /** When Lure started (or found started) it. */
  readonly subscribedAt?: string;
  /** How far listing has come. */
  readonly listedUntil?: string;
  /** An admin disabled it (AF20023): Lure will not start it again, and a `source.silent` alert is raised. */
  readonly disabled?: AuditSubscriptionDisabled;
}

/** The health Lure reports: what each stream delivered, how far behind it runs, what alerts reached, how fresh the keys are. */
export interface StatusReport {
  readonly generatedAt: string;
  /** Each source and Entra category that has delivered or is expected: last arrival, latest event time, lag between them, silence. */
  readonly sources: readonly SourceHealth[];
  /** The expected streams that have never delivered (`SignInLogs`, `exchange`): empty once a deployment is wired. */
  readonly neverDelivered: readonly string[];
  /** Records and dead letters per origin over the last hour (to the ten minutes), summed over every instance. */
  readonly lastHour: readonly { origin: string; records: number; deadLettered: number; lastEventAt?: string }[];
  readonly channels: readonly ChannelStatus[];
  /** When each published key set was last fetched; stale after three missed hourly refreshes. */
  readonly keySets: readonly { set: string; fetchedAt: string; ageInMinutes: number; stale: boolean }[];
  /** The audit poller's subscriptions, by content type: empty until it first ran. */
  readonly auditSubscriptions: readonly AuditSubscriptionHealth[];
  /**
   * How late sign-in records arrived behind their stream's furthest event time, per tenant and stream (a
   * sign-in category, or `partition:<id>` of the Entra hub), over the last 24 hours and 7 days of arrival,
   * every instance's counts merged: what a token check's grace has to cover.
   */
  readonly signInLateness: readonly { tenantId: string; stream: string; last24Hours: LatenessSummary; last7Days: LatenessSummary }[];
}

/** The lateness figures of the report, from every writer's hourly rows since seven days back. */
export function signInLatenessOf(rows: readonly SignInLateness[], now: Date): StatusReport['signInLateness'] {
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 13);
  const streams = new Map<string, { tenantId: string; stream: string; day: SignInLateness[]; week: SignInLateness[] }>();
  for (const row of rows) {
    const key = `${row.tenantId}\u0000${row.category}`;
    const entry = streams.get(key) ?? { tenantId: row.tenantId, stream: row.category, day: [], week: [] };
    entry.week.push(row);
    if (row.hour.slice(0, 13) > dayAgo) entry.day.push(row);
    streams.set(key, entry);
  }
  return [...streams.values()]
    .sort((a, b) => a.tenantId.localeCompare(b.tenantId) || a.stream.localeCompare(b.stream))
    .map(({ tenantId, stream, day, week }) => ({
      tenantId,
      stream,
      last24Hours: latenessSummaryOf(mergeLateness(day.map((row) => row.histogram))),
      last7Days: latenessSummaryOf(mergeLateness(week.map((row) => row.histogram))),
    }));
}

const KEY_SET_STALE_AFTER_IN_MINUTES = 180;

/** Builds the report from what the store holds (pure: the caller reads the store). */
export function statusReportOf(input: {
  readonly now: Date;
  readonly streams: readonly StreamState[];
  /** `LURE_EXPECTED_SOURCES`, as streams (`category:SignInLogs`). */
  readonly expected: readonly string[];
  readonly counts: readonly StreamCount[];
  readonly channels: readonly ChannelStatus[];
  readonly keySetFetches: readonly KeySetFetch[];
  readonly auditFeedStates: readonly AuditFeedState[];
  readonly signInLateness?: readonly SignInLateness[];
}): StatusReport {
  const since = lastHourSince(input.now);
  const byOrigin = new Map<string, { origin: string; records: number; deadLettered: number; lastEventAt?: string }>();
  for (const count of input.counts) {
    if (count.bucket < since) continue;
    const total = byOrigin.get(count.origin) ?? { origin: count.origin, records: 0, deadLettered: 0 };
    total.records += count.records;
    total.deadLettered += count.deadLettered;
    if (count.lastEventAt !== undefined && (total.lastEventAt === undefined || count.lastEventAt > total.lastEventAt)) total.lastEventAt = count.lastEventAt;
    byOrigin.set(count.origin, total);
  }
  // Expected by this process's settings, or marked expected by the deployment's silence timer (so `lure
  // status` on a laptop reports what the deployment expects).
  const expected = new Set([...input.expected, ...input.streams.flatMap((stream) => (stream.expectedSince === undefined ? [] : [stream.stream]))]);
  const known = new Map(input.streams.map((stream) => [stream.stream, stream]));
  // An expected stream the silence timer has not marked yet is still reported.
  for (const name of expected) {
    const named = streamNamed(nameOfStream(name));
    if (named !== undefined && !known.has(name)) known.set(name, named);
  }
  const sources = [...known.values()].sort((a, b) => a.stream.localeCompare(b.stream)).map((stream) => sourceHealthOf(stream, expected.has(stream.stream)));
  return {
    generatedAt: input.now.toISOString(),
    sources,
    neverDelivered: sources.filter((source) => source.expected && !source.delivered).map((source) => nameOfStream(source.stream)),
    lastHour: [...byOrigin.values()].sort((a, b) => a.origin.localeCompare(b.origin)),
    channels: input.channels,
    keySets: [...input.keySetFetches]
      .sort((a, b) => a.set.localeCompare(b.set))
      .map((fetch) => {
        const ageInMinutes = Math.max(0, Math.round((input.now.getTime() - Date.parse(fetch.fetchedAt)) / 60_000));
        return { set: fetch.set, fetchedAt: fetch.fetchedAt, ageInMinutes, stale: ageInMinutes > KEY_SET_STALE_AFTER_IN_MINUTES };
      }),
    auditSubscriptions: [...input.auditFeedStates]
      .sort((a, b) => a.contentType.localeCompare(b.contentType))
      .map(({ contentType, subscribedAt, listedUntil, disabled }) => ({
        contentType,
        ...(subscribedAt === undefined ? {} : { subscribedAt }),
        ...(listedUntil === undefined ? {} : { listedUntil }),
        ...(disabled === undefined ? {} : { disabled: { since: disabled.since, detail: disabled.detail } }),
      })),
    signInLateness: signInLatenessOf(input.signInLateness ?? [], input.now),
  };
}

function sourceHealthOf(stream: StreamState, expected: boolean): SourceHealth {
  const { lastArrivalAt, lastEventAt, expectedSince } = stream;
  return {
    stream: stream.stream,
    expected,
    delivered: lastArrivalAt !== undefined,
    ...(lastArrivalAt === undefined ? {} : { lastArrivalAt }),
    ...(lastArrivalAt === undefined || lastEventAt === undefined
      ? {}
      : { lastEventAt, lagInSeconds: Math.max(0, Math.round((Date.parse(lastArrivalAt) - Date.parse(lastEventAt)) / 1000)) }),
    ...(expected && expectedSince !== undefined ? { expectedSince } : {}),
    silent: stream.silentAlertId !== undefined,
    ...(expected && lastArrivalAt === undefined ? { likelyCause: likelyCauseOfNoDelivery(stream) } : {}),
  };
}

/** What the status report reads. */
export interface StatusSources {
  readonly store: StreamStore & SigningKeyStore & AuditFeedStore & Pick<TokenIndexStore, 'listSignInLateness'>;
  readonly delivery: Pick<AlertDelivery, 'status'>;
  readonly clock: Clock;
  /** `LURE_EXPECTED_SOURCES`, as streams. */
  readonly expectedStreams: readonly string[];
}

/** Reads the store and the delivery state and builds the report (`GET /api/status`, `lure status`). */
export async function readStatusReport(sources: StatusSources): Promise<StatusReport> {
  const now = sources.clock.now();
  const [streams, counts, channels, keySetFetches, auditFeedStates, signInLateness] = await Promise.all([
    sources.store.listStreams(),
    sources.store.listStreamCounts(lastHourSince(now)),
    sources.delivery.status(),
    sources.store.listKeySetFetches(),
    sources.store.listAuditFeedStates(),
    sources.store.listSignInLateness(new Date(now.getTime() - 7 * 86_400_000).toISOString()),
  ]);
  return statusReportOf({ now, streams, expected: sources.expectedStreams, counts, channels, keySetFetches, auditFeedStates, signInLateness });
}

/** The first ten-minute bucket that counts as the last hour. */
export function lastHourSince(now: Date): string {
  return countBucketOf(new Date(now.getTime() - 3_600_000 + 600_000).toISOString());
}

import type { Config } from '../config/config.js';
import { IgnoreList } from '../alerting/ignoreList.js';
import { digestContent, incidentContent, testContent } from '../alerting/notificationContent.js';
import { pending, type PlannedEntry, plannedEntries, type PlanSettings } from '../alerting/notificationPlan.js';
import { type Alert, type Severity, severityRank } from '../domain/alerts.js';
import { CHANNELS, type ChannelName, type ChannelStatus, type DigestLine, type Notification, type OutboxEntry } from '../domain/delivery.js';
import type { CloudName } from '../keys/clouds.js';
import { type AlertChannel, type Delivery, DeliveryError } from '../ports/alertChannel.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { ConcurrencyError, type Versioned } from '../ports/store/versioned.js';
import type { OutboxStore } from '../ports/store/outboxStore.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';

export interface AlertDeliveryDeps {
  readonly store: OutboxStore & Pick<AlertStore, 'getAlert'> & Pick<IncidentStore, 'getIncident'>;
  /** The configured channels. */
  readonly channels: Partial<Readonly<Record<ChannelName, AlertChannel>>>;
  readonly clock: Clock;
  readonly settings: Config['delivery'];
  readonly cloud: CloudName;
  readonly logger: Logger;
  /** Paces sends to a channel's rate; injected so tests need not wait. */
  readonly sleep: (ms: number) => Promise<void>;
}

export interface DeliveryReport {
  readonly delivered: number;
  readonly accepted: number;
  /** Failed this time, to be tried again later. */
  readonly retrying: number;
  readonly dead: number;
  /** Follow-ups the incident's post already covered. */
  readonly superseded: number;
  /** Left for a later run: a follow-up waiting for its incident's post, or the inline budget spent. */
  readonly deferred: number;
}

type Outcome = keyof DeliveryReport;

/** Alerts listed in an incident's message besides its lead. */
const ALERTS_SHOWN = 6;
/** Digest lines kept (the most severe); the count covers the rest. */
const DIGEST_LINES = 20;
/**
 * A run's claim on an entry it is sending. Longer than any send (an HTTP channel gives up after its timeout,
 * e-mail after one Graph attempt): past it, another run may send again, the first having died.
 */
const CLAIM_IN_MS = 10 * 60_000;
const FIRST_RETRY_IN_MS = 30_000;
const LONGEST_RETRY_IN_MS = 3_600_000;
/** A follow-up whose incident's post is still on its way looks again after this long. */
const FOLLOW_UP_WAIT_IN_MS = 60_000;
/** How long the batch that raised alerts spends sending them; what is left waits for the timer (a minute at most). */
const INLINE_BUDGET_IN_MS = 5_000;

/**
 * Delivery of alerts through the outbox. An alert is persisted before anything is enqueued; each
 * notification and channel is one outbox entry with a derived id, so a redelivered batch enqueues nothing
 * twice. Entries are sent right after detection and then by the `deliverAlerts` timer, with backoff and
 * jitter, honouring `Retry-After`, until delivered or dead. A send is claimed first under an ETag and only
 * when no live claim holds the entry, so two runs never send one entry at once. Teams and e-mail hear of
 * incidents, the webhook of every alert; past `digestThresholdPerMinute` in a minute, Teams and e-mail get
 * one digest for the rest of that minute.
 */
export class AlertDelivery {
  private readonly ignore: IgnoreList;
  private readonly plan: PlanSettings;
  /** Entries this process created per channel and minute, for the digest threshold. */
  private readonly perMinute = new Map<string, number>();
  private readonly nextSendAt = new Map<ChannelName, number>();

  constructor(private readonly deps: AlertDeliveryDeps) {
    this.ignore = new IgnoreList(deps.settings.ignore);
    this.plan = {
      channels: CHANNELS.filter((channel) => deps.channels[channel] !== undefined),
      minSeverity: deps.settings.minSeverity,
      updateWindowInMinutes: deps.settings.updateWindowInMinutes,
    };
  }

  /**
   * Enqueues what stored alerts ask of each channel and tries to send it at once; what is left waits for the
   * timer. `changed`: the ids of alerts that changed (only those make a follow-up). Alerts on a disabled decoy
   * or from an ignored actor are recorded only. Returns the new entries' ids.
   */
  async notify(alerts: readonly Alert[], changed: ReadonlySet<string> = new Set(alerts.map((alert) => alert.id))): Promise<string[]> {
    if (this.plan.channels.length === 0) return [];
    const created: string[] = [];
    for (const alert of alerts) {
      if (alert.status === 'suppressed' || alert.status === 'resolved' || this.ignore.matches(alert)) continue;
      const incident = alert.incidentId === undefined ? undefined : (await this.deps.store.getIncident(alert.incidentId))?.value;
      for (const planned of plannedEntries(alert, incident, this.plan, this.now(), changed.has(alert.id))) {
        const id = await this.enqueue(planned);
        if (id !== undefined) created.push(id);
      }
    }
    // Sent at once, within a budget: a flood must not hold up the batch that raised it.
    await this.deliver(created, Date.now() + INLINE_BUDGET_IN_MS);
    return created;
  }

  /** The timer's run: every pending entry whose next attempt is due. */
  async deliverDue(): Promise<DeliveryReport> {
    const due = await this.deps.store.listDueOutboxEntries(this.now());
    const report = emptyReport();
    for (const versioned of due.sort((a, b) => a.value.createdAt.localeCompare(b.value.createdAt))) report[await this.send(versioned, Number.POSITIVE_INFINITY)] += 1;
    return report;
  }

  /** Sends a clearly marked test through one channel's real path, now. */
  async sendTest(channel: ChannelName): Promise<OutboxEntry> {
    if (this.deps.channels[channel] === undefined) throw new RangeError(`channel ${channel} is not configured (see the README's settings)`);
    const now = this.now();
    const entry = pending(channel, `test|${now}`, { kind: 'test', requestedAt: now }, 'low', 'Lure test notification', now);
    await this.deps.store.createOutboxEntry(entry);
    await this.deliver([entry.id]);
    return (await this.deps.store.getOutboxEntry(entry.id))!.value;
  }

  /** Per channel: what was delivered or accepted, what waits, what died, and the last error still standing. */
  async status(): Promise<ChannelStatus[]> {
    type Mutable = { -readonly [K in keyof ChannelStatus]: ChannelStatus[K] };
    const byChannel = new Map<ChannelName, Mutable & { failedAt: string }>(
      CHANNELS.map((channel) => [channel, { channel, configured: this.deps.channels[channel] !== undefined, delivered: 0, accepted: 0, pending: 0, dead: 0, digested: 0, failedAt: '' }]),
    );
    for await (const entry of this.deps.store.listOutboxEntries()) {
      const status = byChannel.get(entry.channel)!;
      status[entry.status] += 1;
      if ((entry.status === 'delivered' || entry.status === 'accepted') && entry.completedAt !== undefined && entry.completedAt > (status.lastCompletedAt ?? '')) {
        status.lastCompletedAt = entry.completedAt;
      }
      // Delivered entries carry no error: a failure that was overcome is not standing.
      if (entry.lastError !== undefined && (entry.lastAttemptAt ?? '') >= status.failedAt) {
        status.failedAt = entry.lastAttemptAt ?? '';
        status.lastError = entry.lastError;
      }
    }
    return [...byChannel.values()].map(({ failedAt: _failedAt, ...status }) => status);
  }

  /** Creates the planned entry (or its follow-up when the first exists); past the minute's threshold, folds it into a digest. */
  private async enqueue(planned: PlannedEntry): Promise<string | undefined> {
    for (const candidate of [planned.entry, planned.otherwise]) {
      if (candidate === undefined) return undefined;
      if ((await this.deps.store.getOutboxEntry(candidate.id)) !== undefined) continue;
      const minute = this.now().slice(0, 16);
      if (candidate.channel !== 'webhook' && this.countFor(candidate.channel, minute) > this.deps.settings.digestThresholdPerMinute) {
        // The digest counts the entry before the entry says it was folded: a crash between makes it counted
        // twice (in the digest, and on its own after the batch is redelivered), never lost.
        const digestId = await this.fold(candidate, minute);
        await this.deps.store.createOutboxEntry({ ...candidate, status: 'digested', digestId, completedAt: this.now() });
        return undefined;
      }
      return (await this.deps.store.createOutboxEntry(candidate)) ? candidate.id : undefined;
    }
    return undefined;
  }

  /** This process's count of entries for a channel in a minute, this one included. */
  private countFor(channel: ChannelName, minute: string): number {
    for (const key of this.perMinute.keys()) if (key < `${channel}|${minute}` && key.startsWith(`${channel}|`)) this.perMinute.delete(key);
    const count = (this.perMinute.get(`${channel}|${minute}`) ?? 0) + 1;
    this.perMinute.set(`${channel}|${minute}`, count);
    return count;
  }

  /**
   * Counts an entry into its channel's digest for the minute, sent once the minute is over. A digest already
   * being sent (or sent) takes nothing more: the entry goes into the next minute's.
   */
  private async fold(entry: OutboxEntry, fromMinute: string): Promise<string> {
    const line: DigestLine = { severity: entry.severity, title: entry.title, ...('incidentId' in entry.notification ? { incidentId: entry.notification.incidentId } : {}) };
    for (let minute = fromMinute; ; minute = nextMinute(minute)) {
      const id = `${entry.channel}|digest|${minute}`;
      for (;;) {
        const current = await this.deps.store.getOutboxEntry(id);
        if (current === undefined) {
          const digest: OutboxEntry = {
            ...pending(entry.channel, `digest|${minute}`, { kind: 'digest', minute, lines: [line], total: 1 }, entry.severity, 'Digest', this.now()),
            nextAttemptAt: new Date(Date.parse(`${minute}:00.000Z`) + 60_000).toISOString(),
          };
          if (await this.deps.store.createOutboxEntry(digest)) return id;
          continue;
        }
        const { value } = current;
        if (value.status !== 'pending' || value.attempts > 0 || value.notification.kind !== 'digest') break;
        const notification: Notification = { ...value.notification, lines: mostSevere([...value.notification.lines, line]), total: value.notification.total + 1 };
        const severity: Severity = severityRank(entry.severity) > severityRank(value.severity) ? entry.severity : value.severity;
        try {
          await this.deps.store.updateOutboxEntry({ ...value, notification, severity }, current.etag);
          return id;
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
        }
      }
    }
  }

  private async deliver(ids: readonly string[], deadline = Number.POSITIVE_INFINITY): Promise<DeliveryReport> {
    const report = emptyReport();
    for (const id of ids) {
      const versioned = await this.deps.store.getOutboxEntry(id);
      if (versioned?.value.status === 'pending') report[await this.send(versioned, deadline)] += 1;
    }
    return report;
  }

  /** Paces, claims, builds and sends one entry, and records how it went. */
  private async send(versioned: Versioned<OutboxEntry>, deadline: number): Promise<Outcome> {
    if (!(await this.pace(versioned.value.channel, deadline))) return 'deferred';
    const claimed = await this.claim(versioned);
    if (claimed === undefined) return 'deferred';
    const entry = claimed.value;
    let outcome: OutboxEntry;
    let result: Outcome;
    try {
      const channel = this.deps.channels[entry.channel];
      if (channel === undefined) throw new DeliveryError(`channel ${entry.channel} is no longer configured`, false);
      const delivery = await this.deliveryOf(entry);
      if (delivery === 'superseded') {
        outcome = { ...entry, status: 'digested', digestId: `${entry.channel}|incident|${incidentIdOf(entry)}`, completedAt: this.now() };
        result = 'superseded';
      } else if (delivery === 'wait') {
        // The attempt did not happen: give it back, to look again once the incident's post is out.
        outcome = { ...entry, attempts: entry.attempts - 1, nextAttemptAt: new Date(this.deps.clock.now().getTime() + FOLLOW_UP_WAIT_IN_MS).toISOString() };
        result = 'deferred';
      } else {
        const sent = await channel.send(delivery);
        const { lastError: _overcome, ...rest } = entry;
        outcome = { ...rest, status: sent, completedAt: this.now() };
        result = sent;
      }
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(`${error instanceof Error ? error.name : 'Error'}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300), true);
      const last = !failure.retryable || entry.attempts >= this.deps.settings.maxAttempts;
      const waitInMs = Math.min(failure.retryAfterInMs ?? backoffInMs(entry.attempts), LONGEST_RETRY_IN_MS);
      outcome = last
        ? { ...entry, status: 'dead', lastError: failure.message, completedAt: this.now() }
        : { ...entry, lastError: failure.message, nextAttemptAt: new Date(this.deps.clock.now().getTime() + waitInMs).toISOString() };
      result = last ? 'dead' : 'retrying';
      this.deps.logger.warn(last ? 'notification dead' : 'notification will be retried', { entry: entry.id, attempts: entry.attempts, error: failure.message });
    }
    try {
      await this.deps.store.updateOutboxEntry(outcome, claimed.etag);
    } catch (error) {
      // Our claim ran out and another run took the entry: it records the outcome now.
      if (!(error instanceof ConcurrencyError)) throw error;
      this.deps.logger.warn('notification outcome not recorded: another run took the entry over', { entry: entry.id });
    }
    return result;
  }

  /**
   * Takes the entry for this run (counts the attempt, holds off others for the claim's length); undefined if
   * another run holds a live claim on it or changed it since it was read.
   */
  private async claim(versioned: Versioned<OutboxEntry>): Promise<Versioned<OutboxEntry> | undefined> {
    const now = this.deps.clock.now();
    if (versioned.value.status !== 'pending' || versioned.value.nextAttemptAt > now.toISOString()) return undefined;
    const entry: OutboxEntry = {
      ...versioned.value,
      attempts: versioned.value.attempts + 1,
      lastAttemptAt: now.toISOString(),
      nextAttemptAt: new Date(now.getTime() + CLAIM_IN_MS).toISOString(),
    };
    try {
      return { value: entry, etag: await this.deps.store.updateOutboxEntry(entry, versioned.etag) };
    } catch (error) {
      if (error instanceof ConcurrencyError) return undefined;
      throw error;
    }
  }

  /**
   * What to send for an entry, read fresh from the store. A follow-up is `superseded` when its incident's post
   * was built after the follow-up was raised (so it told the same), and must `wait` while that post is on its way.
   */
  private async deliveryOf(entry: OutboxEntry): Promise<Delivery | 'superseded' | 'wait'> {
    const { notification } = entry;
    switch (notification.kind) {
      case 'alert': {
        const alert = (await this.deps.store.getAlert(notification.alertId))?.value.alert;
        if (alert === undefined) throw new DeliveryError(`alert ${notification.alertId} is not stored`, false);
        return { id: entry.id, alert, content: { kind: 'incident', severity: alert.severity, heading: alert.title, others: [], links: [] } };
      }
      case 'incident':
      case 'incidentUpdate': {
        if (notification.kind === 'incidentUpdate') {
          const post = (await this.deps.store.getOutboxEntry(`${entry.channel}|incident|${notification.incidentId}`))?.value;
          if (post?.status === 'pending') return 'wait';
          // The post read the incident when it was claimed (`lastAttemptAt`): claimed after this follow-up was
          // raised, it told the same. A tie goes to sending: a repeat beats a loss.
          if ((post?.status === 'delivered' || post?.status === 'accepted') && (post.lastAttemptAt ?? '') > entry.createdAt) return 'superseded';
        }
        const incident = (await this.deps.store.getIncident(notification.incidentId))?.value;
        if (incident === undefined) throw new DeliveryError(`incident ${notification.incidentId} is not stored`, false);
        const alerts = (await Promise.all(incident.alertIds.slice(-ALERTS_SHOWN).map((id) => this.deps.store.getAlert(id)))).flatMap((stored) => (stored === undefined ? [] : [stored.value.alert]));
        return { id: entry.id, content: incidentContent(notification.kind, incident, alerts, this.deps.cloud) };
      }
      case 'digest':
        return { id: entry.id, content: digestContent(notification.minute, notification.lines, notification.total, entry.severity) };
      case 'test':
        return { id: entry.id, content: testContent(notification.requestedAt) };
    }
  }

  /** Keeps each channel under its rate (Teams throttles above about four a second). False: the wait would pass the deadline. */
  private async pace(channel: ChannelName, deadline: number): Promise<boolean> {
    const intervalInMs = 1000 / this.deps.settings.ratesPerSecond[channel];
    const now = Date.now();
    const at = Math.max(now, this.nextSendAt.get(channel) ?? 0);
    if (at >= deadline) return false;
    this.nextSendAt.set(channel, at + intervalInMs);
    if (at > now) await this.deps.sleep(at - now);
    return true;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function emptyReport(): { -readonly [K in keyof DeliveryReport]: number } {
  return { delivered: 0, accepted: 0, retrying: 0, dead: 0, superseded: 0, deferred: 0 };
}

function incidentIdOf(entry: OutboxEntry): string {
  return 'incidentId' in entry.notification ? entry.notification.incidentId : '';
}

/** The most severe lines, earliest first among equals, at most `DIGEST_LINES`. */
function mostSevere(lines: readonly DigestLine[]): DigestLine[] {
  return [...lines].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).slice(0, DIGEST_LINES);
}

function nextMinute(minute: string): string {
  return new Date(Date.parse(`${minute}:00.000Z`) + 60_000).toISOString().slice(0, 16);
}

/** 30 s, 1, 2, 4 … minutes, at most an hour, each shortened by up to half at random so retries spread out. */
function backoffInMs(attempts: number): number {
  return Math.min(FIRST_RETRY_IN_MS * 2 ** (attempts - 1), LONGEST_RETRY_IN_MS) * (0.5 + Math.random() / 2);
}

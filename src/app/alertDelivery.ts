import type { Config } from '../config/loadConfig.js';
import { IgnoreList } from '../alerting/ignoreList.js';
import { digestContent, incidentContent, type NotificationContent, testContent } from '../alerting/notificationContent.js';
import { pending, type PlannedEntry, plannedEntries, type PlanSettings } from '../alerting/notificationPlan.js';
import { type Alert, type Severity, severityRank } from '../domain/alerts.js';
import { CHANNELS, type ChannelName, type ChannelStatus, type DigestLine, type OutboxEntry } from '../domain/delivery.js';
import type { CloudName } from '../keys/clouds.js';
import { type AlertChannel, type Delivery, DeliveryError } from '../ports/alertChannel.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { ConcurrencyError, type StateStore, type Versioned } from '../ports/stateStore.js';
import { realSleep } from '../adapters/retries.js';

export interface AlertDeliveryDeps {
  readonly store: StateStore;
  /** The configured channels. */
  readonly channels: Partial<Readonly<Record<ChannelName, AlertChannel>>>;
  readonly clock: Clock;
  readonly settings: Config['delivery'];
  readonly cloud: CloudName;
  readonly logger: Logger;
  /** Paces sends to a channel's rate; injectable so tests need not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryReport {
  readonly delivered: number;
  readonly accepted: number;
  /** Failed this time, to be tried again later. */
  readonly retrying: number;
  readonly dead: number;
  /** Follow-ups found already covered by the incident's post. */
  readonly superseded: number;
}

/** Alerts listed in an incident's message besides its lead. */
const ALERTS_SHOWN = 6;
/** Digest lines kept (the count covers the rest); folded ids kept, so folding is idempotent. */
const DIGEST_LINES = 20;
const DIGEST_IDS = 5_000;
/** A run's claim on an entry it is sending; past it, another run may try (the send probably died with its run). */
const CLAIM_SLACK_IN_MS = 60_000;
const FIRST_RETRY_IN_MS = 30_000;
/** How long the batch that raised alerts spends sending them; what is left waits for the timer (a minute at most). */
const INLINE_BUDGET_IN_MS = 5_000;
const LONGEST_RETRY_IN_MS = 3_600_000;

/**
 * Delivery of alerts through the outbox. An alert is persisted before anything is enqueued; each
 * notification and channel is one outbox entry with a derived id, so a redelivered batch enqueues nothing
 * twice. Entries are sent right after detection and then by the `deliverAlerts` timer, with backoff and
 * jitter, honouring `Retry-After`, until delivered or dead. Each send is claimed first under an ETag, so two
 * runs never send one entry at once. Teams and e-mail hear of incidents, the webhook of every alert; past
 * `digestThresholdPerMinute` in a minute, Teams and e-mail get one digest for the rest of that minute.
 */
export class AlertDelivery {
  private readonly ignore: IgnoreList;
  private readonly plan: PlanSettings;
  /** Entries this process created per channel and minute, for the digest threshold. */
  private readonly perMinute = new Map<string, number>();
  private readonly nextSendAt = new Map<ChannelName, number>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: AlertDeliveryDeps) {
    this.ignore = new IgnoreList(deps.settings.ignore);
    this.plan = {
      channels: CHANNELS.filter((channel) => deps.channels[channel] !== undefined),
      minSeverity: deps.settings.minSeverity,
      updateWindowInMinutes: deps.settings.updateWindowInMinutes,
    };
    this.sleep = deps.sleep ?? realSleep;
  }

  /**
   * Enqueues what stored alerts ask of each channel and tries to send it at once; what fails waits for the
   * timer. Alerts on a disabled decoy or from an ignored actor are recorded only. Returns the new entries' ids.
   */
  async notify(alerts: readonly Alert[]): Promise<string[]> {
    if (this.plan.channels.length === 0) return [];
    const created: string[] = [];
    const now = this.deps.clock.now().toISOString();
    for (const alert of alerts) {
      if (alert.status === 'suppressed' || this.ignore.matches(alert)) continue;
      const incident = alert.incidentId === undefined ? undefined : (await this.deps.store.getIncident(alert.incidentId))?.value;
      for (const planned of plannedEntries(alert, incident, this.plan, now)) {
        const id = await this.enqueue(planned, now);
        if (id !== undefined) created.push(id);
      }
    }
    // Sent at once, within a budget: a flood must not hold up the batch that raised it; the timer sends the rest.
    await this.deliver(created, Date.now() + INLINE_BUDGET_IN_MS);
    return created;
  }

  /** The timer's run: every pending entry whose next attempt is due. */
  async deliverDue(): Promise<DeliveryReport> {
    const due = await this.deps.store.listDueOutboxEntries(this.deps.clock.now().toISOString());
    return this.deliverEntries(due.sort((a, b) => a.value.createdAt.localeCompare(b.value.createdAt)));
  }

  /** Sends a clearly marked test through one channel's real path, now. */
  async sendTest(channel: ChannelName): Promise<OutboxEntry> {
    if (this.deps.channels[channel] === undefined) throw new RangeError(`channel ${channel} is not configured (see the README's settings)`);
    const now = this.deps.clock.now().toISOString();
    const entry = pending(channel, `test|${now}`, { kind: 'test', requestedAt: now }, 'low', 'Lure test notification', now);
    await this.deps.store.createOutboxEntry(entry);
    await this.deliver([entry.id]);
    return (await this.deps.store.getOutboxEntry(entry.id))!.value;
  }

  /** Per channel: what was delivered or accepted, what waits, what died, and the last error. */
  async status(): Promise<ChannelStatus[]> {
    const byChannel = new Map(CHANNELS.map((channel) => [channel, { channel, configured: this.deps.channels[channel] !== undefined, delivered: 0, accepted: 0, pending: 0, dead: 0, digested: 0 } as { -readonly [K in keyof ChannelStatus]: ChannelStatus[K] }]));
    let lastFailureAt = new Map<ChannelName, string>();
    for await (const entry of this.deps.store.listOutboxEntries()) {
      const status = byChannel.get(entry.channel)!;
      status[entry.status] += 1;
      if (entry.completedAt !== undefined && entry.status !== 'dead' && entry.status !== 'digested' && (status.lastCompletedAt === undefined || entry.completedAt > status.lastCompletedAt)) status.lastCompletedAt = entry.completedAt;
      const failedAt = entry.lastAttemptAt ?? '';
      if (entry.lastError !== undefined && failedAt >= (lastFailureAt.get(entry.channel) ?? '')) {
        lastFailureAt = lastFailureAt.set(entry.channel, failedAt);
        status.lastError = entry.lastError;
      }
    }
    return [...byChannel.values()];
  }

  /** Creates the planned entry (or its follow-up when the first exists); past the minute's threshold, folds it into the digest. */
  private async enqueue(planned: PlannedEntry, now: string): Promise<string | undefined> {
    for (const candidate of [planned.entry, planned.otherwise]) {
      if (candidate === undefined) return undefined;
      if ((await this.deps.store.getOutboxEntry(candidate.id)) !== undefined) continue;
      const minute = now.slice(0, 16);
      const counter = `${candidate.channel}|${minute}`;
      const count = this.perMinute.get(counter) ?? 0;
      this.perMinute.set(counter, count + 1);
      this.forgetOldMinutes(minute);
      if (candidate.channel !== 'webhook' && count >= this.deps.settings.digestThresholdPerMinute) {
        // The digest learns of the entry before the entry says it was folded: a crash between loses nothing.
        const digestId = await this.fold(candidate, minute, now);
        if (digestId !== undefined) {
          await this.deps.store.createOutboxEntry({ ...candidate, status: 'digested', digestId, completedAt: now });
          return undefined;
        }
      }
      return (await this.deps.store.createOutboxEntry(candidate)) ? candidate.id : undefined;
    }
    return undefined;
  }

  /** Adds an entry to its channel's digest for the minute (sent once the minute is over). Undefined: that digest is already out. */
  private async fold(entry: OutboxEntry, minute: string, now: string): Promise<string | undefined> {
    const id = `${entry.channel}|digest|${minute}`;
    const line: DigestLine = { severity: entry.severity, title: entry.title, ...('incidentId' in entry.notification ? { incidentId: entry.notification.incidentId } : {}) };
    for (;;) {
      const current = await this.deps.store.getOutboxEntry(id);
      if (current === undefined) {
        const sendAt = new Date(Date.parse(`${minute}:00.000Z`) + 60_000).toISOString();
        const digest = { ...pending(entry.channel, `digest|${minute}`, { kind: 'digest', minute, lines: [line], foldedIds: [entry.id] }, entry.severity, 'Digest', now), nextAttemptAt: sendAt };
        if (await this.deps.store.createOutboxEntry(digest)) return id;
        continue;
      }
      const { value } = current;
      if (value.status !== 'pending' || value.notification.kind !== 'digest') return undefined;
      if (value.notification.foldedIds.includes(entry.id)) return id;
      const notification = {
        ...value.notification,
        lines: value.notification.lines.length < DIGEST_LINES ? [...value.notification.lines, line] : value.notification.lines,
        foldedIds: [...value.notification.foldedIds, entry.id].slice(-DIGEST_IDS),
      };
      const severity: Severity = severityRank(entry.severity) > severityRank(value.severity) ? entry.severity : value.severity;
      try {
        await this.deps.store.updateOutboxEntry({ ...value, notification, severity }, current.etag);
        return id;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
  }

  private async deliver(ids: readonly string[], deadline = Number.POSITIVE_INFINITY): Promise<DeliveryReport> {
    const report = { delivered: 0, accepted: 0, retrying: 0, dead: 0, superseded: 0 };
    for (const id of ids) {
      if (Date.now() >= deadline) break;
      const versioned = await this.deps.store.getOutboxEntry(id);
      if (versioned?.value.status !== 'pending') continue;
      const claimed = await this.claim(versioned);
      if (claimed !== undefined) report[await this.attempt(claimed)] += 1;
    }
    return report;
  }

  private async deliverEntries(entries: readonly Versioned<OutboxEntry>[]): Promise<DeliveryReport> {
    const report = { delivered: 0, accepted: 0, retrying: 0, dead: 0, superseded: 0 };
    for (const versioned of entries) {
      const claimed = await this.claim(versioned);
      if (claimed === undefined) continue;
      const outcome = await this.attempt(claimed);
      report[outcome] += 1;
    }
    return report;
  }

  /** Takes the entry for this run (counts the attempt, pushes its next attempt past the send); undefined if another run has it. */
  private async claim(versioned: Versioned<OutboxEntry>): Promise<Versioned<OutboxEntry> | undefined> {
    const now = this.deps.clock.now();
    const entry: OutboxEntry = {
      ...versioned.value,
      attempts: versioned.value.attempts + 1,
      lastAttemptAt: now.toISOString(),
      nextAttemptAt: new Date(now.getTime() + this.deps.settings.timeoutInSeconds * 1000 + CLAIM_SLACK_IN_MS).toISOString(),
    };
    try {
      return { value: entry, etag: await this.deps.store.updateOutboxEntry(entry, versioned.etag) };
    } catch (error) {
      if (error instanceof ConcurrencyError) return undefined;
      throw error;
    }
  }

  private async attempt(claimed: Versioned<OutboxEntry>): Promise<keyof DeliveryReport> {
    const entry = claimed.value;
    const channel = this.deps.channels[entry.channel];
    let outcome: OutboxEntry;
    let result: keyof DeliveryReport;
    try {
      if (channel === undefined) throw new DeliveryError(`channel ${entry.channel} is no longer configured`, false);
      const delivery = await this.deliveryOf(entry);
      if (delivery === 'superseded') {
        outcome = { ...entry, status: 'digested', digestId: `${entry.channel}|incident|${incidentIdOf(entry)}`, completedAt: this.now() };
        result = 'superseded';
      } else {
        await this.pace(entry.channel);
        const sent = await channel.send(delivery);
        outcome = { ...entry, status: sent, completedAt: this.now() };
        result = sent;
      }
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(`${error instanceof Error ? error.name : 'Error'}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300), true);
      const last = !failure.retryable || entry.attempts >= this.deps.settings.maxAttempts;
      outcome = last
        ? { ...entry, status: 'dead', lastError: failure.message, completedAt: this.now() }
        : { ...entry, lastError: failure.message, nextAttemptAt: new Date(this.deps.clock.now().getTime() + (failure.retryAfterInMs ?? backoffInMs(entry.attempts))).toISOString() };
      result = last ? 'dead' : 'retrying';
      this.deps.logger.warn(last ? 'notification dead' : 'notification will be retried', { entry: entry.id, attempts: entry.attempts, error: failure.message });
    }
    await this.deps.store.updateOutboxEntry(outcome, claimed.etag);
    return result;
  }

  /** What to send for an entry, read fresh from the store; `superseded` when the incident's post already told it. */
  private async deliveryOf(entry: OutboxEntry): Promise<Delivery | 'superseded'> {
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
          // Not posted yet: the post will show this alert too. Posted after the follow-up was raised: it did.
          if (post === undefined || post.status === 'pending' || (post.completedAt !== undefined && post.completedAt >= entry.createdAt)) return 'superseded';
        }
        const incident = (await this.deps.store.getIncident(notification.incidentId))?.value;
        if (incident === undefined) throw new DeliveryError(`incident ${notification.incidentId} is not stored`, false);
        const alerts = (await Promise.all(incident.alertIds.slice(-ALERTS_SHOWN).map((id) => this.deps.store.getAlert(id)))).flatMap((stored) => (stored === undefined ? [] : [stored.value.alert]));
        return { id: entry.id, content: incidentContent(notification.kind, incident, alerts, this.deps.cloud) };
      }
      case 'digest':
        return { id: entry.id, content: digestContent(notification.minute, notification.lines, notification.foldedIds.length) };
      case 'test':
        return { id: entry.id, content: testContent(notification.requestedAt) satisfies NotificationContent };
    }
  }

  /** Keeps each channel under its rate (Teams throttles above about four requests a second). */
  private async pace(channel: ChannelName): Promise<void> {
    const intervalInMs = 1000 / this.deps.settings.ratesPerSecond[channel];
    const now = Date.now();
    const at = Math.max(now, this.nextSendAt.get(channel) ?? 0);
    this.nextSendAt.set(channel, at + intervalInMs);
    if (at > now) await this.sleep(at - now);
  }

  private forgetOldMinutes(minute: string): void {
    for (const key of this.perMinute.keys()) if (!key.endsWith(minute)) this.perMinute.delete(key);
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function incidentIdOf(entry: OutboxEntry): string {
  return 'incidentId' in entry.notification ? entry.notification.incidentId : '';
}

/** 30 s, 1, 2, 4 … minutes, at most an hour, each shortened by up to half at random so retries spread out. */
function backoffInMs(attempts: number): number {
  return Math.min(FIRST_RETRY_IN_MS * 2 ** (attempts - 1), LONGEST_RETRY_IN_MS) * (0.5 + Math.random() / 2);
}

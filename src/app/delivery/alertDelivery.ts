import { IgnoreList } from '../../alerting/ignoreList.js';
import { pending, plannedEntries, type PlanSettings } from '../../alerting/notificationPlan.js';
import type { Alert } from '../../domain/alerts.js';
import { CHANNELS, type ChannelName, type ChannelStatus, type OutboxEntry } from '../../domain/delivery.js';
import { OutboxEnqueuer } from './enqueuer.js';
import { ChannelPacer } from './pacer.js';
import { EntrySender } from './sender.js';
import type { AlertDeliveryDeps, DeliveryReport } from './types.js';

export type { AlertDeliveryDeps, DeliveryReport } from './types.js';

/** Channels that keep every state of an alert, not just the news. */
const HISTORY_CHANNELS: readonly ChannelName[] = ['sentinel'];

/** How long the batch that raised alerts spends sending them; what is left waits for the timer (a minute at most). */
const INLINE_BUDGET_IN_MS = 5_000;

/**
 * Delivery of alerts through the outbox. An alert is persisted before anything is enqueued; each
 * notification and channel is one outbox entry with a derived id, so a redelivered batch enqueues nothing
 * twice (`OutboxEnqueuer`). Entries are sent right after detection and then by the `deliverAlerts` timer,
 * with backoff and jitter, honouring `Retry-After`, until delivered or dead; a send is claimed first, so two
 * runs never send one entry at once (`EntrySender`). Teams and e-mail hear of incidents, the webhook of
 * every alert; past `digestThresholdPerMinute` in a minute, Teams and e-mail get one digest for the rest of
 * that minute.
 */
export class AlertDelivery {
  private readonly ignore: IgnoreList;
  private readonly plan: PlanSettings;
  private readonly enqueuer: OutboxEnqueuer;
  private readonly sender: EntrySender;

  constructor(private readonly deps: AlertDeliveryDeps) {
    this.ignore = new IgnoreList(deps.settings.ignore);
    this.plan = {
      channels: CHANNELS.filter((channel) => deps.channels[channel] !== undefined),
      minSeverity: deps.settings.minSeverity,
      updateWindowInMinutes: deps.settings.updateWindowInMinutes,
    };
    this.enqueuer = new OutboxEnqueuer(deps);
    this.sender = new EntrySender(deps, new ChannelPacer(deps));
  }

  /**
   * Enqueues what stored alerts ask of each channel and tries to send it at once; what is left waits for the
   * timer. `changed`: the ids of alerts that changed (only those make a follow-up). Alerts on a disabled decoy
   * or from an ignored actor are recorded only. Returns the new entries' ids.
   */
  async notify(alerts: readonly Alert[], changed: ReadonlySet<string> = new Set(alerts.map((alert) => alert.id))): Promise<string[]> {
    return this.enqueueAndSend(alerts, changed, this.plan);
  }

  /**
   * Tells the channels that keep each alert's history (Sentinel) of a change no one is notified of: a triage
   * decision. Idempotent like `notify`: asking again for the same state enqueues nothing.
   */
  async record(alerts: readonly Alert[]): Promise<string[]> {
    return this.enqueueAndSend(alerts, new Set(alerts.map((alert) => alert.id)), {
      ...this.plan,
      channels: this.plan.channels.filter((channel) => HISTORY_CHANNELS.includes(channel)),
    });
  }

  private async enqueueAndSend(alerts: readonly Alert[], changed: ReadonlySet<string>, plan: PlanSettings): Promise<string[]> {
    if (plan.channels.length === 0) return [];
    const created: string[] = [];
    for (const alert of alerts) {
      if (alert.status === 'suppressed' || this.ignore.matches(alert)) continue;
      const incident = alert.incidentId === undefined ? undefined : (await this.deps.store.getIncident(alert.incidentId))?.value;
      for (const planned of plannedEntries(alert, incident, plan, this.now(), changed.has(alert.id))) {
        const id = await this.enqueuer.enqueue(planned);
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
    for (const versioned of due.sort((a, b) => a.value.createdAt.localeCompare(b.value.createdAt)))
      report[await this.sender.send(versioned, Number.POSITIVE_INFINITY)] += 1;
    return report;
  }

  /** Sends a clearly marked test through one channel's real path, now. */
  async sendTest(channel: ChannelName): Promise<OutboxEntry> {
    if (this.deps.channels[channel] === undefined) throw new RangeError(`channel ${channel} is not configured (see the README's settings)`);
    const now = this.now();
    const entry = pending(channel, `test|${now}`, { kind: 'test', requestedAt: now }, 'low', 'Lure test notification', now);
    await this.deps.store.createOutboxEntry(entry);
    await this.deliver([entry.id]);
    const delivered = await this.deps.store.getOutboxEntry(entry.id);
    if (delivered === undefined) throw new Error(`outbox entry ${entry.id} vanished while it was delivered`);
    return delivered.value;
  }

  /** Per channel: what was delivered or accepted, what waits, what died, and the last error still standing. */
  async status(): Promise<ChannelStatus[]> {
    type Mutable = { -readonly [K in keyof ChannelStatus]: ChannelStatus[K] };
    const byChannel = new Map<ChannelName, Mutable & { failedAt: string }>(
      CHANNELS.map((channel) => [
        channel,
        { channel, configured: this.deps.channels[channel] !== undefined, delivered: 0, accepted: 0, pending: 0, dead: 0, digested: 0, failedAt: '' },
      ]),
    );
    for await (const entry of this.deps.store.listOutboxEntries()) {
      const status = byChannel.get(entry.channel);
      if (status === undefined) throw new Error(`outbox entry ${entry.id} names an unknown channel ${entry.channel}`);
      status[entry.status] += 1;
      if (
        (entry.status === 'delivered' || entry.status === 'accepted') &&
        entry.completedAt !== undefined &&
        entry.completedAt > (status.lastCompletedAt ?? '')
      ) {
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

  private async deliver(ids: readonly string[], deadline = Number.POSITIVE_INFINITY): Promise<DeliveryReport> {
    const report = emptyReport();
    for (const id of ids) {
      const versioned = await this.deps.store.getOutboxEntry(id);
      if (versioned?.value.status === 'pending') report[await this.sender.send(versioned, deadline)] += 1;
    }
    return report;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function emptyReport(): { -readonly [K in keyof DeliveryReport]: number } {
  return { delivered: 0, accepted: 0, retrying: 0, dead: 0, superseded: 0, deferred: 0 };
}

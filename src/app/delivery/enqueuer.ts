import { pending, type PlannedEntry } from '../../alerting/notificationPlan.js';
import { type Severity, severityRank } from '../../domain/alerts.js';
import type { ChannelName, DigestLine, Notification, OutboxEntry } from '../../domain/delivery.js';
import { ConcurrencyError } from '../../ports/store/versioned.js';
import type { AlertDeliveryDeps } from './types.js';

/** Digest lines kept (the most severe); the count covers the rest. */
const DIGEST_LINES = 20;

/**
 * Puts planned entries into the outbox. Past `digestThresholdPerMinute` entries for a channel in a minute,
 * Teams and e-mail get one digest for the rest of that minute instead.
 */
export class OutboxEnqueuer {
  /** Entries this process created per channel and minute, for the digest threshold. */
  private readonly perMinute = new Map<string, number>();

  constructor(private readonly deps: Pick<AlertDeliveryDeps, 'store' | 'clock' | 'settings'>) {}

  /** Creates the planned entry (or its follow-up when the first exists); past the minute's threshold, folds it into a digest. */
  async enqueue(planned: PlannedEntry): Promise<string | undefined> {
    if (planned.onlyAfter !== undefined && !(await this.heard(planned.onlyAfter))) return undefined;
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

  /** Whether one of the entries exists and did not die (digested counts: the digest told of it). */
  private async heard(ids: readonly string[]): Promise<boolean> {
    for (const id of ids) {
      const entry = await this.deps.store.getOutboxEntry(id);
      if (entry !== undefined && entry.value.status !== 'dead') return true;
    }
    return false;
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
    const line: DigestLine = {
      severity: entry.severity,
      title: entry.title,
      ...('incidentId' in entry.notification ? { incidentId: entry.notification.incidentId } : {}),
    };
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
        const notification: Notification = {
          ...value.notification,
          lines: mostSevere([...value.notification.lines, line]),
          total: value.notification.total + 1,
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
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

/** The most severe lines, earliest first among equals, at most `DIGEST_LINES`. */
function mostSevere(lines: readonly DigestLine[]): DigestLine[] {
  return [...lines].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).slice(0, DIGEST_LINES);
}

function nextMinute(minute: string): string {
  return new Date(Date.parse(`${minute}:00.000Z`) + 60_000).toISOString().slice(0, 16);
}

import type { Config } from '../config/loadConfig.js';
import { silenceVerdicts } from '../correlation/silence.js';
import { silentStreamFinding } from '../detections/sourceSilent.js';
import type { Alert } from '../domain/alerts.js';
import type { NormalizedEvent } from '../domain/events.js';
import type { StreamState } from '../domain/streams.js';
import type { Clock } from '../ports/clock.js';
import { ConcurrencyError, type StateStore } from '../ports/stateStore.js';
import { type AlertRecording, persistAlerts } from './persistAlerts.js';

/** A stream's arrival is written at most this often per process: silence is measured in tens of minutes. */
const ARRIVAL_WRITE_INTERVAL_IN_MS = 60_000;

export interface SourceCheckReport {
  readonly streams: number;
  readonly silent: number;
  readonly cleared: number;
  readonly alerts: Alert[];
}

/**
 * Knows which streams deliver (each source, and each Entra category) and raises `source.silent` when one
 * that delivered before stops: a deleted diagnostic setting must not leave Lure blind and quiet.
 */
export class StreamTracker {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly store: StateStore,
    private readonly settings: Config['silence'],
    private readonly clock: Clock,
    private readonly recording: AlertRecording,
  ) {}

  /** Notes that the batch's streams delivered (wall-clock arrival). */
  async recordArrivals(events: readonly NormalizedEvent[]): Promise<void> {
    const now = this.clock.now();
    const arrivals = new Map<string, Pick<StreamState, 'stream' | 'source' | 'lastArrivalAt'>>();
    for (const event of events) {
      arrivals.set(`source:${event.source}`, { stream: `source:${event.source}`, source: event.source, lastArrivalAt: now.toISOString() });
      if (event.source === 'entra') arrivals.set(`category:${event.recordType}`, { stream: `category:${event.recordType}`, source: 'entra', lastArrivalAt: now.toISOString() });
    }
    const due = [...arrivals.values()].filter((arrival) => now.getTime() - (this.written.get(arrival.stream) ?? 0) >= ARRIVAL_WRITE_INTERVAL_IN_MS);
    if (due.length === 0) return;
    await this.store.recordStreamArrivals(due);
    for (const arrival of due) this.written.set(arrival.stream, now.getTime());
  }

  /**
   * The timer's check: raises one alert per silence (keyed by when it began), and marks the alert resolved
   * once the stream delivers again.
   */
  async check(): Promise<SourceCheckReport> {
    const now = this.clock.now().toISOString();
    const streams = await this.store.listStreams();
    const verdicts = silenceVerdicts(streams, now, this.settings.thresholds, this.settings.defaultThresholdInMinutes);
    const raised = verdicts.flatMap((verdict) => (verdict.action === 'raise' ? [verdict] : []));
    const alerts: Alert[] = [];
    for (const verdict of raised) {
      const { changed, touchedIds } = await persistAlerts(this.store, [silentStreamFinding(verdict.stream, verdict.silentForInMinutes)], {
        ...this.recording,
        now,
      });
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
    return { streams: streams.length, silent: raised.length, cleared, alerts };
  }

  private async resolve(alertId: string): Promise<void> {
    const current = await this.store.getAlert(alertId);
    if (current === undefined || current.value.alert.status === 'resolved') return;
    try {
      await this.store.updateAlert({ ...current.value, alert: { ...current.value.alert, status: 'resolved' } }, current.etag);
    } catch (error) {
      // A lost race only means someone else changed the alert (say, acknowledged it): theirs stands.
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  }
}

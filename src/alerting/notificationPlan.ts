import { type Alert, type Incident, SEVERITIES, type Severity, severityRank } from '../domain/alerts.js';
import type { ChannelName, Notification, OutboxEntry } from '../domain/delivery.js';
import { alertRevisionOf } from './sentinelRow.js';

export interface PlanSettings {
  /** The channels that are configured. */
  readonly channels: readonly ChannelName[];
  readonly minSeverity: Readonly<Record<ChannelName, Severity>>;
  readonly updateWindowInMinutes: number;
}

/** An entry to enqueue, or, when the first already exists, the one after it (an incident's follow-up). */
export interface PlannedEntry {
  readonly entry: OutboxEntry;
  readonly otherwise?: OutboxEntry;
  /** Enqueued only if one of these entries exists and did not die: the channel heard what this follows up. */
  readonly onlyAfter?: readonly string[];
}

/**
 * What a stored alert asks of each channel. Sentinel keeps every state of every alert (one row per
 * revision, resolved ones too: the table is the SOC's record); the webhook hears of every alert (again when
 * its severity rises); Teams and e-mail hear of its incident: the first time the incident reaches the
 * channel's threshold it is posted, and later changed alerts post one follow-up per window. Entry ids are
 * derived, so planning the same alert twice (a redelivered batch) enqueues nothing new. Suppressed and
 * ignored alerts notify nobody, nor, but for Sentinel's record, do resolved ones: an admin closed them, and
 * later evidence only counts.
 */
export function plannedEntries(alert: Alert, incident: Incident | undefined, settings: PlanSettings, now: string, changed = true): PlannedEntry[] {
  if (alert.status === 'suppressed') return [];
  if (alert.status === 'retracted') return retractionEntries(alert, settings, now);
  const planned: PlannedEntry[] = [];
  for (const channel of settings.channels) {
    const threshold = settings.minSeverity[channel];
    if (channel === 'sentinel') {
      if (severityRank(alert.severity) < severityRank(threshold)) continue;
      const revision = alertRevisionOf(alert);
      planned.push({
        entry: pending(channel, `alert|${alert.id}|${revision}`, { kind: 'alertRevision', alertId: alert.id, revision }, alert.severity, alert.title, now),
      });
      continue;
    }
    if (alert.status === 'resolved') continue;
    if (channel === 'webhook') {
      if (severityRank(alert.severity) < severityRank(threshold)) continue;
      planned.push({ entry: pending(channel, `alert|${alert.id}|${alert.severity}`, { kind: 'alert', alertId: alert.id }, alert.severity, alert.title, now) });
      continue;
    }
    if (incident === undefined || severityRank(incident.severity) < severityRank(threshold)) continue;
    const window = windowOf(now, settings.updateWindowInMinutes);
    const post = pending(channel, `incident|${incident.id}`, { kind: 'incident', incidentId: incident.id }, incident.severity, incident.title, now);
    // Only news makes a follow-up: an alert that did not change (a redelivered batch) adds nothing to say.
    planned.push(
      changed
        ? {
            entry: post,
            otherwise: pending(
              channel,
              `update|${incident.id}|${window}`,
              { kind: 'incidentUpdate', incidentId: incident.id, window },
              incident.severity,
              incident.title,
              now,
            ),
          }
        : { entry: post },
    );
  }
  return planned;
}

/**
 * A retracted alert: Sentinel keeps the state as every other; each channel that heard of the alert (the
 * webhook of it, Teams and e-mail of its incident) hears that it was a false alarm, once.
 */
function retractionEntries(alert: Alert, settings: PlanSettings, now: string): PlannedEntry[] {
  const planned: PlannedEntry[] = [];
  const title = `False alarm: ${alert.title}`;
  for (const channel of settings.channels) {
    if (channel === 'sentinel') {
      if (severityRank(alert.severity) < severityRank(settings.minSeverity[channel])) continue;
      const revision = alertRevisionOf(alert);
      planned.push({
        entry: pending(channel, `alert|${alert.id}|${revision}`, { kind: 'alertRevision', alertId: alert.id, revision }, alert.severity, alert.title, now),
      });
    } else if (channel === 'webhook') {
      planned.push({
        entry: pending(channel, `alert|${alert.id}|retracted`, { kind: 'alert', alertId: alert.id }, alert.severity, title, now),
        // Whatever severity it was heard at (one entry per severity it rose to).
        onlyAfter: SEVERITIES.map((severity) => `${channel}|alert|${alert.id}|${severity}`),
      });
    } else if (alert.incidentId !== undefined) {
      planned.push({
        entry: pending(channel, `retraction|${alert.id}`, { kind: 'retraction', alertId: alert.id, incidentId: alert.incidentId }, alert.severity, title, now),
        onlyAfter: [`${channel}|incident|${alert.incidentId}`],
      });
    }
  }
  return planned;
}

export function pending(channel: ChannelName, key: string, notification: Notification, severity: Severity, title: string, now: string): OutboxEntry {
  return {
    id: `${channel}|${key}`,
    channel,
    notification,
    severity,
    title: title.slice(0, 200),
    status: 'pending',
    createdAt: now,
    attempts: 0,
    nextAttemptAt: now,
  };
}

/** The start of the fixed window `now` falls in (ISO), so every instance names a window alike. */
export function windowOf(now: string, widthInMinutes: number): string {
  const widthInMs = widthInMinutes * 60_000;
  return new Date(Math.floor(Date.parse(now) / widthInMs) * widthInMs).toISOString();
}

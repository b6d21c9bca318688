import { type Alert, type Incident, SEVERITIES, type Severity, severityRank } from '../domain/alerts.js';

/** Alerts join an incident when one of them falls within this long of the incident's alerts. */
export const INCIDENT_WINDOW_IN_HOURS = 24;
/** Alerts an incident lists; past this many, later ones still raise its times and severity. */
export const MAX_INCIDENT_ALERTS = 500;

/**
 * Microsoft services that stand in front of other apps: Exchange audit names Microsoft Graph as the AppId of
 * every app reading mail through Graph, and Exchange Online as Outlook on the web's. They say nothing about
 * who the actor is, so they link no alerts.
 */
const FRONT_DOOR_APP_IDS: ReadonlySet<string> = new Set([
  '00000003-0000-0000-c000-000000000000', // Microsoft Graph
  '00000002-0000-0ff1-ce00-000000000000', // Office 365 Exchange Online
  '00000003-0000-0ff1-ce00-000000000000', // Office 365 SharePoint Online
]);

/**
 * The keys by which an alert's actor can be recognised in another alert: address, user, app, session and
 * token. Lower-cased, prefixed by kind, so an IP never matches a user id.
 */
export function actorKeysOf(alert: Alert): string[] {
  const keys = new Set<string>();
  const add = (kind: string, value: string | undefined) => {
    if (value !== undefined && value !== '') keys.add(`${kind}:${value.toLowerCase()}`);
  };
  add('ip', alert.actor.ipAddress);
  add('user', alert.actor.userId ?? alert.actor.userPrincipalName);
  const app = alert.actor.servicePrincipalId ?? alert.actor.appId;
  if (app === undefined || !FRONT_DOOR_APP_IDS.has(app.toLowerCase())) add('app', app);
  add('session', alert.token?.sessionId);
  add('token', alert.token?.uniqueTokenId);
  return [...keys];
}

/**
 * The incident an alert joins among the candidates sharing one of its actor keys: one whose alerts lie
 * within the window of the alert's event time, the earliest created first (ties by id), so every instance
 * picks the same one. Undefined: the alert starts an incident of its own.
 */
export function incidentToJoin(alert: Alert, candidates: readonly Incident[]): Incident | undefined {
  const windowMs = INCIDENT_WINDOW_IN_HOURS * 3_600_000;
  const time = Date.parse(alert.occurredAt);
  const keys = new Set(actorKeysOf(alert));
  return candidates
    .filter((incident) => incident.alertIds.includes(alert.id) || incident.actorKeys.some((key) => keys.has(key)))
    .filter(
      (incident) =>
        incident.alertIds.includes(alert.id) ||
        (time >= Date.parse(incident.firstOccurredAt) - windowMs && time <= Date.parse(incident.lastOccurredAt) + windowMs),
    )
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1))[0];
}

/** The id of the incident an alert founds when it joins none: derived from the alert, so a retry finds it. */
export function foundingIncidentIdOf(alert: Alert): string {
  return `inc-${alert.id.slice(0, 24)}`;
}

/** An incident with this alert in it (a new one when `incident` is undefined). */
export function withAlert(incident: Incident | undefined, alert: Alert, now: string): Incident {
  const detections = [...new Set([...(incident?.detections ?? []), alert.detection])].sort();
  const highest =
    incident === undefined || severityRank(alert.severity) > severityRank(incident.highestAlertSeverity) ? alert.severity : incident.highestAlertSeverity;
  const alertIds = incident?.alertIds.includes(alert.id) ? incident.alertIds : [...(incident?.alertIds ?? []), alert.id].slice(0, MAX_INCIDENT_ALERTS);
  const firstOccurredAt = incident === undefined || alert.occurredAt < incident.firstOccurredAt ? alert.occurredAt : incident.firstOccurredAt;
  // A new alert is new activity: an incident someone set aside is open again.
  const reopened = incident !== undefined && incident.status !== 'open' && !incident.alertIds.includes(alert.id);
  const triage = incident?.triage;
  return {
    id: incident?.id ?? foundingIncidentIdOf(alert),
    severity: escalated(highest, detections.length),
    title: incident?.title ?? alert.title,
    firstOccurredAt,
    lastOccurredAt: incident === undefined || alert.occurredAt > incident.lastOccurredAt ? alert.occurredAt : incident.lastOccurredAt,
    createdAt: incident?.createdAt ?? now,
    updatedAt: now,
    alertIds,
    detections,
    actorKeys: [...new Set([...(incident?.actorKeys ?? []), ...actorKeysOf(alert)])].sort(),
    highestAlertSeverity: highest,
    status: incident === undefined || reopened ? 'open' : incident.status,
    ...(triage === undefined || reopened ? {} : { triage }),
  };
}

/** Two different detections agreeing on one actor raise the incident one step (at most to critical). */
export function escalated(highest: Severity, distinctDetections: number): Severity {
  if (distinctDetections < 2) return highest;
  return SEVERITIES[severityRank(highest) + 1] ?? 'critical';
}

/** Whether joining the alert changed the incident (a redelivered alert changes nothing). */
export function incidentChanged(before: Incident | undefined, after: Incident): boolean {
  if (before === undefined) return true;
  return (
    before.severity !== after.severity ||
    before.status !== after.status ||
    before.alertIds.length !== after.alertIds.length ||
    before.firstOccurredAt !== after.firstOccurredAt ||
    before.lastOccurredAt !== after.lastOccurredAt ||
    before.actorKeys.length !== after.actorKeys.length ||
    before.detections.length !== after.detections.length
  );
}

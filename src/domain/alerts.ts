import type { Actor, EventSource, TokenContext } from './events.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Order of severities, for "the highest of". */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** `retracted`: Lure itself withdrew the alert as a false alarm (`Alert.retraction` says why). */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'suppressed', 'retracted'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** One record that supports an alert. */
export interface Evidence {
  /** Where the record came from; `lure` for Lure's own state (a rotation falling due). */
  readonly source: EventSource | 'lure';
  /** Log category or audit operation: `SignInLogs`, `MailItemsAccessed`, … */
  readonly type: string;
  readonly id: string;
  /** Event time, ISO. */
  readonly time: string;
}

/** What was touched. */
export interface AlertTarget {
  readonly mailbox?: string;
  readonly objectId?: string;
  /** A resource in words or as a URI: the Graph URI called, the audit activity, the resource app. */
  readonly resource?: string;
}

/**
 * The alert contract (DESIGN "Alert"): one stdout line of `lure replay`, the admin API's alert resource and
 * the webhook body. Fields that do not apply are omitted, never filled with placeholders.
 */
export interface Alert {
  /** Stable hash of `dedupeKey`: the same situation always gets the same id, whatever order records came in. */
  readonly id: string;
  readonly detection: string;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: string;
  /** Earliest event time of the evidence. */
  readonly occurredAt: string;
  /** When Lure first raised it (wall clock). */
  readonly detectedAt: string;
  readonly decoyId?: string;
  readonly actor: Actor;
  readonly target: AlertTarget;
  readonly token?: TokenContext;
  /** The earliest evidence records, at most `MAX_EVIDENCE_SHOWN`. */
  readonly evidence: readonly Evidence[];
  /** Number of distinct evidence records. */
  readonly count: number;
  readonly dedupeKey: string;
  readonly incidentId?: string;
  readonly status: AlertStatus;
  /** The last triage decision made through the admin API (acknowledged or resolved), and by whom. */
  readonly triage?: AlertTriage;
  /** MITRE ATT&CK technique ids of its detection (`T1078.004`, …). */
  readonly mitre?: readonly string[];
  /** Why Lure withdrew the alert (status `retracted`): the record that proved it a false alarm. */
  readonly retraction?: AlertRetraction;
}

/**
 * A `token.issuance.missing` alert withdrawn because the sign-in that issued the token arrived after the use
 * was judged: the decision is kept with the alert and told to the channels that heard it, never silent.
 */
export interface AlertRetraction {
  /** Wall clock, ISO. */
  readonly at: string;
  readonly reason: string;
  /** The late record that proved it a false alarm (the issuing sign-in). */
  readonly evidence: Evidence;
  /** How far behind its stream (in event time) the record arrived, at most: what the grace failed to cover. */
  readonly lateByMinutes: number;
}

export interface AlertTriage {
  readonly status: AlertStatus;
  readonly at: string;
  readonly by: { readonly objectId: string; readonly userPrincipalName?: string };
  readonly note?: string;
}

/**
 * Alerts that share an actor (IP address, user, app, session or token) within a day: one attack seen by
 * several detections. Its severity is the highest of its alerts, one step higher when two different
 * detections agree.
 */
export interface Incident {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** Earliest and latest event time of its alerts. */
  readonly firstOccurredAt: string;
  readonly lastOccurredAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly alertIds: readonly string[];
  readonly detections: readonly string[];
  /** The actor keys (`ip:…`, `user:…`, `app:…`, `session:…`, `token:…`) its alerts share. */
  readonly actorKeys: readonly string[];
  /** Highest severity of its alerts, before escalation. */
  readonly highestAlertSeverity: Severity;
  /** Open until someone acknowledges or resolves it; a new alert joining opens it again. */
  readonly status: IncidentStatus;
  /** Who acknowledged or resolved it, when, and why; gone when it opens again (the audit trail keeps it). */
  readonly triage?: AlertTriage;
}

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Which finding an alert's words (title, summary, actor, target, token) come from. */
export interface AlertLead {
  readonly severity: Alert['severity'];
  readonly time: string;
  readonly evidenceKey: string;
}

/** An alert as persisted: the contract plus what folding needs to stay exact and order-independent. */
export interface StoredAlert {
  readonly alert: Alert;
  /** Sorted fingerprints of the distinct evidence records counted so far. */
  readonly evidenceKeys: readonly string[];
  readonly lead: AlertLead;
}

/**
 * Where a record comes from, for telling records apart: Defender streams the very Management Activity API
 * record (same `Id`) the Exchange poller delivers, so the two count as one.
 */
export function recordOriginOf(source: Evidence['source']): Evidence['source'] {
  return source === 'defender' ? 'exchange' : source;
}

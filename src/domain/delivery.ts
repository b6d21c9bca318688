import type { Alert, Severity } from './alerts.js';

export const CHANNELS = ['teams', 'email', 'webhook', 'sentinel'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * What one outbox entry tells a channel. Teams and e-mail hear of incidents (a new one, then at most one
 * follow-up per window) or of a digest when alerts flood; the webhook hears of every alert.
 */
export type Notification =
  | { readonly kind: 'alert'; readonly alertId: string }
  /** One state of an alert (Sentinel keeps its history): sent only while the alert is still at `revision`. */
  | { readonly kind: 'alertRevision'; readonly alertId: string; readonly revision: number }
  | { readonly kind: 'incident'; readonly incidentId: string }
  | { readonly kind: 'incidentUpdate'; readonly incidentId: string; readonly window: string }
  /** An alert of the incident withdrawn as a false alarm (`Alert.retraction`), told where the incident was. */
  | { readonly kind: 'retraction'; readonly alertId: string; readonly incidentId: string }
  /** `lines`: the most severe of the folded notifications; `total`: how many were folded. */
  | { readonly kind: 'digest'; readonly minute: string; readonly lines: readonly DigestLine[]; readonly total: number }
  | { readonly kind: 'test'; readonly requestedAt: string };

/** One notification a digest stands for, in a line. */
export interface DigestLine {
  readonly severity: Severity;
  readonly title: string;
  readonly incidentId?: string;
}

/**
 * `pending`: waiting for its next attempt. `delivered`: the receiver took it (HTTP 2xx). `accepted`: a
 * Workflows URL answered 202: the flow was triggered, the card not necessarily posted. `dead`: given up after
 * the last attempt. `digested`: folded into a digest entry instead of being sent on its own.
 */
export const OUTBOX_STATUSES = ['pending', 'delivered', 'accepted', 'dead', 'digested'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxEntry {
  /** `<channel>|<notification key>`: derived, so enqueuing the same notification twice is one entry. */
  readonly id: string;
  readonly channel: ChannelName;
  readonly notification: Notification;
  readonly severity: Severity;
  /** The alert's or incident's title, so a digest can list what it folds without reading them. */
  readonly title: string;
  readonly status: OutboxStatus;
  readonly createdAt: string;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  /** While a run is sending it, no other run may (the run's claim expires at this time). */
  readonly claimedUntil?: string;
  readonly lastAttemptAt?: string;
  /** Status and reason of the last failure, never a URL or a secret. */
  readonly lastError?: string;
  readonly completedAt?: string;
  /** The digest entry it was folded into. */
  readonly digestId?: string;
}

/** What a channel reports of its outbox. */
export interface ChannelStatus {
  readonly channel: ChannelName;
  readonly configured: boolean;
  readonly delivered: number;
  readonly accepted: number;
  readonly pending: number;
  readonly dead: number;
  readonly digested: number;
  readonly lastCompletedAt?: string;
  readonly lastError?: string;
}

/** Everything a Teams card or an e-mail says, whichever channel carries it. */
export interface NotificationContent {
  readonly kind: 'incident' | 'incidentUpdate' | 'retraction' | 'digest' | 'test';
  readonly severity: Severity;
  readonly heading: string;
  readonly subheading?: string;
  /** The alert the facts and the runbook are about: the incident's most severe, latest alert. */
  readonly lead?: Alert;
  /** The incident's other alerts, most severe and latest first. */
  readonly others: readonly Alert[];
  readonly digest?: { readonly minute: string; readonly lines: readonly DigestLine[]; readonly total: number };
  readonly runbook?: string;
  readonly links: readonly { readonly title: string; readonly url: string }[];
}

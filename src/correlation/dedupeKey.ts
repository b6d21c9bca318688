import { createHash } from 'node:crypto';
import { type Evidence, recordOriginOf } from '../domain/alerts.js';
import type { Actor } from '../domain/events.js';
import type { Finding } from '../domain/findings.js';

/**
 * Who acted, as a key: the principal (lower-cased) and the address. Two hits on one decoy from one actor
 * in one bucket are one alert; a second address or principal is a second alert.
 */
export function actorKeyOf(actor: Actor): string {
  const principal = actor.userId ?? actor.userPrincipalName ?? actor.servicePrincipalId ?? actor.appId ?? '';
  return `${principal.toLowerCase()}@${actor.ipAddress?.toLowerCase() ?? ''}`;
}

/**
 * The start of the fixed bucket of event time a moment falls in. Fixed buckets (not "first hit plus a
 * window") make the key independent of the order records arrive in.
 */
export function bucketStartOf(time: string, bucketInMinutes: number): string {
  const bucketInMs = bucketInMinutes * 60_000;
  return new Date(Math.floor(Date.parse(time) / bucketInMs) * bucketInMs).toISOString();
}

/**
 * detection | subject | actor | bucket | live-or-suppressed. Suppressed hits (on a disabled decoy) get
 * their own alert, so enabling the decoy again never folds a live hit into a silent alert.
 */
export function dedupeKeyOf(finding: Finding, bucketInMinutes: number): string {
  return [
    finding.detection,
    finding.subjectKey,
    actorKeyOf(finding.actor),
    bucketStartOf(finding.evidence.time, bucketInMinutes),
    finding.suppressed ? 'suppressed' : 'live',
  ].join('|');
}

/** The alert id: a stable hash of the dedupe key (128 bits, hex). */
export function alertIdOf(dedupeKey: string): string {
  return createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
}

/** A short, stable fingerprint of one evidence record (72 bits), for counting distinct records. */
export function evidenceKeyOf(evidence: Evidence): string {
  return createHash('sha256')
    .update(`${recordOriginOf(evidence.source)}\u0000${evidence.type}\u0000${evidence.id}`)
    .digest('base64url')
    .slice(0, 12);
}

import { type Alert, type AlertLead, type Evidence, severityRank, type StoredAlert } from '../domain/alerts.js';
import { alertIdOf, evidenceKeyOf } from './dedupeKey.js';
import type { Finding } from '../domain/findings.js';

/** Evidence records an alert shows; `count` still counts all of them. */
export const MAX_EVIDENCE_SHOWN = 20;
/**
 * Distinct evidence fingerprints kept per alert. Past this many, `count` keeps growing by the records a
 * batch brings that are not among the kept ones, so a redelivery of a very old record may count twice.
 */
export const MAX_EVIDENCE_KEYS = 5000;

export interface FoldResult {
  readonly stored: StoredAlert;
  /** False when the findings brought nothing new (a redelivered batch): nothing to write or send. */
  readonly changed: boolean;
}

/**
 * Folds findings that share one dedupe key into the alert for that key. Pure and order-independent:
 * the lead is the most severe, then earliest, then lowest-keyed finding; `occurredAt` is the earliest
 * evidence time; the evidence shown is the earliest `MAX_EVIDENCE_SHOWN`; `count` is distinct records.
 */
export function foldAlert(existing: StoredAlert | undefined, dedupeKey: string, findings: readonly Finding[], now: string): FoldResult {
  if (findings.length === 0) {
    if (existing === undefined) throw new RangeError('foldAlert: findings must not be empty for a new alert');
    return { stored: existing, changed: false };
  }
  const keyed = findings.map((finding) => ({ finding, key: evidenceKeyOf(finding.evidence) }));

  let lead = existing?.lead;
  let leadFinding: Finding | undefined;
  for (const { finding, key } of keyed) {
    const candidate: AlertLead = { severity: finding.severity, time: finding.evidence.time, evidenceKey: key };
    if (lead === undefined || outranks(candidate, lead)) {
      lead = candidate;
      leadFinding = finding;
    }
  }

  const knownKeys = new Set(existing?.evidenceKeys ?? []);
  const newKeys = [...new Set(keyed.map(({ key }) => key).filter((key) => !knownKeys.has(key)))];
  const evidenceKeys = [...knownKeys, ...newKeys].sort().slice(0, Math.max(MAX_EVIDENCE_KEYS, knownKeys.size));
  const count = (existing?.alert.count ?? 0) + newKeys.length;

  const evidence = earliestEvidence([...(existing?.alert.evidence ?? []), ...keyed.map(({ finding }) => finding.evidence)]);
  const occurredAt = evidence[0]?.time;

  if (existing !== undefined && leadFinding === undefined && newKeys.length === 0) return { stored: existing, changed: false };

  const base: Alert | undefined = leadFinding === undefined ? existing?.alert : fromLead(leadFinding, existing, dedupeKey, now);
  // Never taken: findings is not empty, so there is evidence and a lead, and a lead no finding replaced came with existing.
  if (occurredAt === undefined || base === undefined || lead === undefined) throw new Error('foldAlert: the findings gave no evidence or no lead');
  const alert: Alert = { ...base, occurredAt, evidence, count };
  return { stored: { alert, evidenceKeys, lead }, changed: true };
}

function fromLead(finding: Finding, existing: StoredAlert | undefined, dedupeKey: string, now: string): Alert {
  return {
    id: alertIdOf(dedupeKey),
    detection: finding.detection,
    severity: finding.severity,
    title: finding.title,
    summary: finding.summary,
    occurredAt: finding.evidence.time,
    detectedAt: existing?.alert.detectedAt ?? now,
    ...(finding.decoyId === undefined ? {} : { decoyId: finding.decoyId }),
    actor: presentFieldsOf(finding.actor),
    target: finding.target,
    ...(finding.token === undefined ? {} : { token: presentFieldsOf(finding.token) }),
    evidence: [],
    count: 0,
    dedupeKey,
    ...(existing?.alert.incidentId === undefined ? {} : { incidentId: existing.alert.incidentId }),
    // Triage decisions (acknowledged, resolved) outlive new evidence.
    status: existing?.alert.status ?? (finding.suppressed ? 'suppressed' : 'open'),
    ...(existing?.alert.triage === undefined ? {} : { triage: existing.alert.triage }),
  };
}

/**
 * An event's group of fields (actor, token identifiers) without the ones it lacks: events write absent
 * fields as `undefined` to keep one shape per kind; an alert names only what is known.
 */
function presentFieldsOf<T extends object>(group: T): T {
  const present: Partial<T> = {};
  for (const key in group) if (group[key] !== undefined) present[key] = group[key];
  return present as T;
}

function outranks(candidate: AlertLead, incumbent: AlertLead): boolean {
  const bySeverity = severityRank(candidate.severity) - severityRank(incumbent.severity);
  if (bySeverity !== 0) return bySeverity > 0;
  if (candidate.time !== incumbent.time) return candidate.time < incumbent.time;
  return candidate.evidenceKey < incumbent.evidenceKey;
}

function earliestEvidence(all: readonly Evidence[]): Evidence[] {
  const distinct = new Map<string, Evidence>();
  for (const evidence of all) distinct.set(evidenceKeyOf(evidence), evidence);
  return [...distinct]
    .sort(([keyA, a], [keyB, b]) => (a.time !== b.time ? (a.time < b.time ? -1 : 1) : keyA < keyB ? -1 : 1))
    .slice(0, MAX_EVIDENCE_SHOWN)
    .map(([, evidence]) => evidence);
}

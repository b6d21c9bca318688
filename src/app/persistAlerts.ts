import { alertIdOf, dedupeKeyOf } from '../correlation/dedupeKey.js';
import { foldAlert } from '../correlation/foldAlert.js';
import { techniquesOf } from '../detections/detection.js';
import { ALL_DETECTIONS } from '../detections/index.js';
import type { Alert } from '../domain/alerts.js';
import { assignIncident } from './assignIncident.js';
import type { Finding } from '../domain/findings.js';
import { ConcurrencyError } from '../ports/store/versioned.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';

/** How findings fold into alerts. */
export interface AlertFolding {
  readonly dedupeBucketInMinutes: number;
}

/** What persisting findings did: the alerts that changed, and every alert the findings belong to. */
export interface PersistedAlerts {
  /** Created or changed (new evidence, higher severity), latest state, by event time. */
  readonly changed: Alert[];
  /** Every alert the findings belong to, changed or not, by event time: what delivery is told of. */
  readonly touched: Alert[];
  readonly touchedIds: string[];
}

/**
 * Hands stored alerts to delivery (the outbox): every alert a run touched, and which of them changed. Called
 * after the alerts are stored and before anything that would stop a retry from finding them again; the
 * outbox enqueues nothing twice, so a run retried after a crash in between delivers then.
 */
export type DeliverAlerts = (alerts: readonly Alert[], changed: ReadonlySet<string>) => Promise<unknown>;

/** Attempts at one alert before giving up on a write race (another instance folding the same alert). */
const MAX_FOLD_ATTEMPTS = 8;

/**
 * Folds findings into their alerts, puts each changed alert into its incident, and persists them. Idempotent:
 * a redelivered batch folds evidence the alert already counts, changes nothing and writes nothing. Delivers
 * nothing: the caller hands `touched` to delivery as its own step.
 */
export async function persistAlerts(
  store: AlertStore & IncidentStore,
  findings: readonly Finding[],
  options: AlertFolding & { readonly now: string },
): Promise<PersistedAlerts> {
  const groups = new Map<string, { dedupeKey: string; findings: Finding[] }>();
  for (const finding of findings) {
    const dedupeKey = dedupeKeyOf(finding, options.dedupeBucketInMinutes);
    const id = alertIdOf(dedupeKey);
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { dedupeKey, findings: [finding] });
    else group.findings.push(finding);
  }

  // One alert at a time: alerts of one actor must find the incident the previous one founded.
  const changed: Alert[] = [];
  const touched: Alert[] = [];
  for (const [id, group] of groups) {
    const persisted = await persistOne(store, id, group.dedupeKey, group.findings, options.now);
    touched.push(persisted.alert);
    if (persisted.changed) changed.push(persisted.alert);
  }
  const byTime = (a: Alert, b: Alert) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1);
  return { changed: changed.sort(byTime), touched: touched.sort(byTime), touchedIds: [...groups.keys()] };
}

const TECHNIQUES = new Map(ALL_DETECTIONS.map((metadata) => [metadata.id, techniquesOf(metadata.attack)]));

/** The alert with its detection's ATT&CK techniques (an alert stored before they were kept gains them at its next change). */
function withTechniques(alert: Alert): Alert {
  const mitre = TECHNIQUES.get(alert.detection) ?? [];
  return mitre.length === 0 ? alert : { ...alert, mitre };
}

async function persistOne(
  store: AlertStore & IncidentStore,
  id: string,
  dedupeKey: string,
  findings: Finding[],
  now: string,
): Promise<{ alert: Alert; changed: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    const existing = await store.getAlert(id);
    const folded = foldAlert(existing?.value, dedupeKey, findings, now);
    if (!folded.changed && existing !== undefined) return { alert: existing.value.alert, changed: false };
    const stored = { ...folded.stored, alert: withTechniques(await assignIncident(store, folded.stored.alert, now)) };
    try {
      if (existing === undefined) await store.createAlert(stored);
      else await store.updateAlert(stored, existing.etag);
      return { alert: stored.alert, changed: true };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_FOLD_ATTEMPTS) throw error;
    }
  }
}

import type { Config } from '../config/config.js';
import type { Clock } from '../ports/clock.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { AuditFeedStore } from '../ports/store/auditFeedStore.js';
import type { AuditStore } from '../ports/store/auditStore.js';
import type { DeadLetterStore } from '../ports/store/deadLetterStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';
import type { LifecycleStore } from '../ports/store/lifecycleStore.js';
import type { OutboxStore } from '../ports/store/outboxStore.js';
import type { StreamStore } from '../ports/store/streamStore.js';
import type { TokenIndexStore } from '../ports/store/tokenIndexStore.js';

export interface PruneReport {
  readonly tokenIssuances: number;
  /** Pending checks of tenants whose streams never covered them, past any use. */
  readonly expiredTokenChecks: number;
  readonly deadLetters: number;
  /** Match-count rows of processes that stopped writing long ago. */
  readonly tokenMatchRows: number;
  /** Hourly sign-in lateness rows older than the status report's week, plus a day. */
  readonly signInLatenessRows: number;
  /** Uses judged missing over a week ago: an issuance that late no longer retracts their alerts. */
  readonly missingIssuances: number;
  /** Finished rotation-journal entries past their retention. */
  readonly journalEntries: number;
  /** Completed outbox entries past their retention. */
  readonly outboxEntries: number;
  /** Admin audit-trail entries past their retention. */
  readonly auditEntries: number;
  /** Per-instance record counts older than a day (the status report shows the last hour). */
  readonly streamCounts: number;
  /** Copied-blob rows of the audit poller older than the API keeps content (seven days), plus a day. */
  readonly copiedAuditContent: number;
  /** Alerts and incidents past their retention. */
  readonly oldAlerts: number;
  readonly oldIncidents: number;
}

/** Every store that holds something with a retention. */
type PrunedStores = AlertStore & AuditFeedStore & AuditStore & DeadLetterStore & IncidentStore & LifecycleStore & OutboxStore & StreamStore & TokenIndexStore;

/** Match counts of a process that has not written for this long are dropped (it has long stopped). */
const MATCH_COUNT_RETENTION_IN_DAYS = 30;

/**
 * Nothing grows without bound: drops token issuances past the index retention (never shorter than token
 * lifetime plus grace), pending checks that could not be judged within that time, old dead letters, and the
 * match counts of processes long gone, finished journal entries, completed outbox entries and audit entries past
 * their retention, the status report's counts after a day, and alerts and incidents after LURE_ALERT_RETENTION_IN_DAYS.
 * Runs on wall-clock time, like the timer that calls it.
 */
export async function pruneState(store: PrunedStores, config: Config, clock: Clock): Promise<PruneReport> {
  const nowMs = clock.now().getTime();
  const retentionBoundary = new Date(nowMs - config.issuance.indexRetentionInHours * 3_600_000).toISOString();
  const tokenIssuances = await store.deleteTokenIssuancesBefore(retentionBoundary);
  const expired = [];
  for await (const check of store.listPendingTokenChecks(retentionBoundary)) if (check.dueAt < retentionBoundary) expired.push(check);
  if (expired.length > 0) await store.deletePendingTokenChecks(expired);
  const deadLetters = await store.deleteDeadLettersBefore(new Date(nowMs - config.deadLetterRetentionInDays * 86_400_000).toISOString());
  const tokenMatchRows = await store.deleteTokenMatchCountsBefore(new Date(nowMs - MATCH_COUNT_RETENTION_IN_DAYS * 86_400_000).toISOString());
  const signInLatenessRows = await store.deleteSignInLatenessBefore(new Date(nowMs - 8 * 86_400_000).toISOString());
  const missingIssuances = await store.deleteMissingIssuancesBefore(new Date(nowMs - 7 * 86_400_000).toISOString());
  const journalEntries = await store.deleteJournalEntriesBefore(new Date(nowMs - config.lifecycle.journalRetentionInDays * 86_400_000).toISOString());
  const outboxEntries = await store.deleteOutboxEntriesBefore(new Date(nowMs - config.delivery.retentionInDays * 86_400_000).toISOString());
  const auditEntries = await store.deleteAuditEntriesBefore(new Date(nowMs - config.api.auditRetentionInDays * 86_400_000).toISOString());
  const streamCounts = await store.deleteStreamCountsBefore(new Date(nowMs - 86_400_000).toISOString());
  const copiedAuditContent = await store.deleteCopiedAuditContentBefore(new Date(nowMs - 8 * 86_400_000).toISOString());
  const alertBoundary = new Date(nowMs - config.alertRetentionInDays * 86_400_000).toISOString();
  const oldAlerts = await store.deleteAlertsBefore(alertBoundary);
  const oldIncidents = await store.deleteIncidentsBefore(alertBoundary);
  return {
    tokenIssuances,
    expiredTokenChecks: expired.length,
    deadLetters,
    tokenMatchRows,
    signInLatenessRows,
    missingIssuances,
    journalEntries,
    outboxEntries,
    auditEntries,
    streamCounts,
    copiedAuditContent,
    oldAlerts,
    oldIncidents,
  };
}

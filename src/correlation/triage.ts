import type { Alert, AlertRetraction, AlertStatus, AlertTriage, Incident } from '../domain/alerts.js';
import type { Caller } from '../domain/audit.js';

/** What someone triaging an alert may decide. */
export type TriageAction = 'acknowledge' | 'resolve';

/** The status each action leads to. */
export const TRIAGE_STATUS: Readonly<Record<TriageAction, Extract<AlertStatus, 'acknowledged' | 'resolved'>>> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
};

/** Who decided, when, and why. */
export interface TriageDecision {
  readonly by: Pick<Caller, 'objectId' | 'userPrincipalName'>;
  /** Wall-clock time, ISO. */
  readonly at: string;
  readonly note?: string;
}

/** The alert as triaged (`changed` false when it had that status already: nothing to write), or why it may not be. */
export type TriageOutcome = { readonly alert: Alert; readonly changed: boolean } | { readonly refused: string };

const RETRACTED = 'the alert was retracted as a false alarm (see its retraction): it is closed already';

/**
 * The statuses an action may not leave, and what the caller is told. Any other status moves to the action's
 * status; the action's own status stays as it is, so asking twice is harmless.
 */
const REFUSED_FROM: Readonly<Record<TriageAction, Partial<Record<AlertStatus, string>>>> = {
  acknowledge: {
    resolved: 'the alert is resolved already',
    // A hit on a disabled decoy is evidence kept quietly: acknowledging it would make later evidence notify.
    suppressed: 'a suppressed alert (a hit on a disabled decoy) notifies no one: resolve it instead',
    retracted: RETRACTED,
  },
  // Resolving would overwrite the record of why Lure withdrew it.
  resolve: { retracted: RETRACTED },
};

/** Acknowledges or resolves an alert: the new status and the triage record (who, when, the note), replacing any earlier one. */
export function triageAlert(alert: Alert, action: TriageAction, decision: TriageDecision): TriageOutcome {
  const status = TRIAGE_STATUS[action];
  if (alert.status === status) return { alert, changed: false };
  const refusal = REFUSED_FROM[action][alert.status];
  if (refusal !== undefined) return { refused: refusal };
  return { alert: { ...alert, status, triage: triageRecord(status, decision) }, changed: true };
}

/**
 * Withdraws a `token.issuance.missing` alert whose token's issuance arrived after the use was judged. Any
 * status gives way (an admin's triage stays on the alert); `changed` false when it was retracted already.
 */
export function retractAlert(alert: Alert, retraction: AlertRetraction): { readonly alert: Alert; readonly changed: boolean } {
  if (alert.status === 'retracted') return { alert, changed: false };
  return { alert: { ...alert, status: 'retracted', retraction }, changed: true };
}

/** The incident as triaged (`changed` false when it had that status already), or why it may not be. */
export type IncidentTriageOutcome = { readonly incident: Incident; readonly changed: boolean } | { readonly refused: string };

/**
 * Acknowledges or resolves an incident itself (its alerts are triaged one by one, each by `triageAlert`). A
 * resolved incident cannot be acknowledged: that would hide that it was closed.
 */
export function triageIncident(incident: Incident, action: TriageAction, decision: TriageDecision): IncidentTriageOutcome {
  const status = TRIAGE_STATUS[action];
  if (incident.status === status) return { incident, changed: false };
  if (action === 'acknowledge' && incident.status === 'resolved') return { refused: 'the incident is resolved already' };
  return { incident: { ...incident, status, triage: triageRecord(status, decision) }, changed: true };
}

function triageRecord(status: AlertTriage['status'], decision: TriageDecision): AlertTriage {
  return {
    status,
    at: decision.at,
    // Only who it was: a caller's roles and client app are not the alert's business.
    by: { objectId: decision.by.objectId, ...(decision.by.userPrincipalName === undefined ? {} : { userPrincipalName: decision.by.userPrincipalName }) },
    ...(decision.note === undefined ? {} : { note: decision.note }),
  };
}

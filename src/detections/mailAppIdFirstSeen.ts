import type { MailItemsAccessedEvent } from '../domain/events.js';
import type { DetectionMetadata } from './detection.js';
import { describeActor } from './decoyFinding.js';
import type { Finding } from '../domain/findings.js';

export const MAIL_APP_ID_FIRST_SEEN = 'mail.appId.firstSeen';

/**
 * A mailbox read (MailItemsAccessed) by an AppId/ClientAppId pair never seen for it, after its learning
 * period. This is how the one Storm-0558 victim that noticed found the intrusion (CISA AA23-193A): an
 * "expected AppID" baseline of normal Outlook activity. Judged against the baseline Lure keeps per mailbox.
 */
export const mailAppIdFirstSeen: DetectionMetadata = {
  id: MAIL_APP_ID_FIRST_SEEN,
  title: 'Mailbox read by an app never seen for it',
  description: 'MailItemsAccessed by an AppId (and ClientAppId) never seen for that mailbox after its learning period.',
  severities: ['medium'],
  attack: ['TA0009:T1114.002'],
  d3fend: [],
  runbook:
    "Look up the app id: is it a client this mailbox's owner uses? If not, check the token and session it used (token.issuance.missing for the same token id), what else it read, and revoke its access.",
};

export function firstSeenAppFinding(event: MailItemsAccessedEvent, mailbox: string): Finding {
  const app = event.actor.appId ?? 'an unnamed app';
  const client = event.clientAppId === undefined || event.clientAppId === event.actor.appId ? '' : ` (client app ${event.clientAppId})`;
  return {
    detection: MAIL_APP_ID_FIRST_SEEN,
    severity: 'medium',
    title: `Mailbox ${mailbox} read by app ${app} for the first time`,
    summary:
      `MailItemsAccessed ${event.accessType ?? ''} in ${mailbox} by ${describeActor(event.actor)}${client}${event.clientInfoString ? `, ${event.clientInfoString}` : ''}: no record of this app reading this mailbox before.`.replace(
        '  ',
        ' ',
      ),
    subjectKey: `${mailbox}|${app.toLowerCase()}|${event.clientAppId?.toLowerCase() ?? ''}`,
    suppressed: false,
    actor: event.actor,
    target: { mailbox, resource: 'MailItemsAccessed' },
    ...(event.token === undefined ? {} : { token: event.token }),
    evidence: { source: event.source, type: event.recordType, id: event.recordId, time: event.time },
  };
}

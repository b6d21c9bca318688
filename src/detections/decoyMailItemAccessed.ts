import type { MailItemDecoy } from '../domain/decoys.js';
import type { NormalizedEvent } from '../domain/events.js';
import { defineDetection } from './detection.js';
import { decoyFinding, describeActor, describeDecoy, isSelf } from './decoyFinding.js';
import { graphRequestOf } from './graphRequest.js';
import { graphMailReferenceOf, mailItemDecoyOf, mailItemDecoysIn } from './mailItemMatching.js';
import type { Finding } from '../domain/findings.js';

export const DECOY_MAIL_ITEM_ACCESSED = 'decoy.mailItem.accessed';

/** Item operations that read or take a message out; deleting or editing one is `decoy.object.modified`. */
const ACCESS_OPERATIONS = new Set(['send', 'sendas', 'sendonbehalf', 'move', 'copy', 'movetodeleteditems']);
/** Graph reads of a message (or of a folder's messages): the message, its MIME content, its attachments. */
const GRAPH_READS = new Set([undefined, '$value', 'attachments']);
/** Graph actions that send a message on or take it elsewhere. */
const GRAPH_TAKE_ACTIONS = new Set(['move', 'copy', 'forward', 'reply', 'replyall', 'createforward', 'createreply', 'createreplyall', 'send']);

/**
 * A decoy message read (MailItemsAccessed Bind), its dedicated folder synced, or the message sent, moved
 * or read through Graph. The message exists only as bait: whoever opens it is browsing someone else's mail.
 */
export const decoyMailItemAccessed = defineDetection({
  id: DECOY_MAIL_ITEM_ACCESSED,
  title: 'Decoy message accessed',
  description: 'MailItemsAccessed Bind of a decoy item, Sync of a dedicated decoy folder, Send/move of a decoy item, or a Graph read of it.',
  severities: ['critical'],
  attack: ['TA0009:T1114.002'],
  d3fend: ['D3-DF'],
  runbook:
    "Someone is reading this mailbox: identify the app and token in the alert, revoke the user's or app's sessions, and search MailItemsAccessed for everything else the same session read.",
  eventKinds: ['mailItemsAccessed', 'mailItemOperation', 'graphActivity'],
  detect(event, context): Finding[] {
    if (isSelf(event.actor, context)) return [];
    switch (event.kind) {
      case 'mailItemsAccessed': {
        const decoys = new Map<string, { decoy: MailItemDecoy; how: string }>();
        for (const folder of event.folders) {
          const dedicated = context.decoys.find('dedicatedFolderId', folder.id);
          // A Bind lists items; a Sync names only the folder, and only a decoy-only folder may fire on it.
          if (dedicated !== undefined) decoys.set(dedicated.id, { decoy: dedicated, how: `${event.accessType ?? 'access'} of its dedicated folder` });
          if (event.accessType !== 'Sync') {
            for (const decoy of mailItemDecoysIn(folder.items, context.decoys)) decoys.set(decoy.id, { decoy, how: 'Bind (opened)' });
          }
        }
        return [...decoys.values()].map(({ decoy, how }) =>
          finding(
            decoy,
            event,
            `MailItemsAccessed ${how} in ${event.mailbox.ownerUpn ?? decoy.mailbox} by ${describeActor(event.actor)}${via(event.clientAppId, event.clientInfoString)}.`,
          ),
        );
      }
      case 'mailItemOperation': {
        if (!ACCESS_OPERATIONS.has(event.operation.toLowerCase())) return [];
        return mailItemDecoysIn(event.items, context.decoys).map((decoy) =>
          finding(
            decoy,
            event,
            `${event.operation} of the decoy message in ${event.mailbox.ownerUpn ?? decoy.mailbox} by ${describeActor(event.actor)}${via(event.clientAppId, event.clientInfoString)}.`,
          ),
        );
      }
      case 'graphActivity': {
        const path = graphRequestOf(event);
        const reference = path && graphMailReferenceOf(path);
        if (reference === undefined) return [];
        const reads = event.method === 'GET' && GRAPH_READS.has(reference.action);
        const takes = event.method === 'POST' && GRAPH_TAKE_ACTIONS.has(reference.action ?? '');
        if (!reads && !takes) return [];
        const decoy = mailItemDecoyOf(reference, context.decoys);
        if (decoy === undefined) return [];
        return [finding(decoy, event, `${event.method} ${event.requestUri} by ${describeActor(event.actor)} (HTTP ${event.responseStatusCode ?? '?'}).`)];
      }
      default:
        return [];
    }
  },
});

function finding(decoy: MailItemDecoy, event: NormalizedEvent, summary: string): Finding {
  return decoyFinding({
    detection: DECOY_MAIL_ITEM_ACCESSED,
    decoy,
    event,
    severity: 'critical',
    title: `${capitalize(describeDecoy(decoy))} was accessed`,
    summary,
    target: { mailbox: decoy.mailbox, resource: decoy.internetMessageId ?? decoy.itemId ?? decoy.folderId ?? decoy.id },
  });
}

function via(clientAppId: string | undefined, clientInfoString: string | undefined): string {
  const parts = [clientAppId === undefined ? undefined : `client app ${clientAppId}`, clientInfoString].filter((part) => part !== undefined);
  return parts.length === 0 ? '' : ` via ${parts.join(', ')}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

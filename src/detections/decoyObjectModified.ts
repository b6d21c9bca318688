import type { Decoy } from '../domain/decoys.js';
import type { MailboxChangeEvent, NormalizedEvent } from '../domain/events.js';
import type { DecoyIndex } from '../decoys/decoyIndex.js';
import { defineDetection, type DetectionContext } from './detection.js';
import { decoyFinding, describeActor, describeDecoy, isSelf } from './decoyFinding.js';
import { directoryDecoyOfPath, directoryDecoyOfTarget } from './directoryDecoyMatching.js';
import { graphRequestOf, isWriteMethod } from './graphRequest.js';
import { graphMailReferenceOf, mailItemDecoyOf, mailItemDecoysIn } from './mailItemMatching.js';
import { fileDecoyOf, fileDecoyOfGraph, fileTargetOf, graphDriveItemOf, readsDriveItem } from './fileMatching.js';
import type { Finding } from '../domain/findings.js';

export const DECOY_OBJECT_MODIFIED = 'decoy.object.modified';

/** Item operations that change or destroy a message (reading or sending it is `decoy.mailItem.accessed`). */
const ITEM_CHANGE_OPERATIONS = new Set(['softdelete', 'harddelete', 'update', 'create']);
/** Results that need no mention: Entra writes `success`, the Management Activity API `Success` or `Succeeded`. */
const SUCCESS_RESULTS: ReadonlySet<string> = new Set(['success', 'succeeded']);
/** Cmdlets that can stop a mailbox's reads from being audited, blinding every decoy message in it. */
const AUDIT_BYPASS_OPERATION = 'set-mailboxauditbypassassociation';

/**
 * Someone changed or deleted a decoy: its password, credentials, roles, consent, mailbox rules, the
 * auditing of a mailbox that holds decoy messages, or a decoy file's content, name, place or sharing. A change by Lure's own identity while its journal says it
 * was changing that decoy is a rotation and raises nothing; the same change with no journal entry is
 * critical (Lure's identity may be compromised). Anyone else's change is an alert, rotation or not.
 */
export const decoyObjectModified = defineDetection({
  id: DECOY_OBJECT_MODIFIED,
  title: 'Decoy changed',
  description:
    'An audit event changes or deletes a decoy (password, credentials, roles, consent, mailbox rules, audit bypass or audit off on a decoy mailbox, a decoy file modified, moved, deleted or shared).',
  severities: ['high', 'critical'],
  attack: ['TA0003:T1098', 'TA0005:T1562.008'],
  d3fend: ['D3-DO'],
  runbook:
    "Check who made the change and whether it was planned; if not, revert it, revoke that principal's sessions, and look for the same change on real accounts. A change by Lure's own identity that Lure did not journal means its identity may be compromised.",
  eventKinds: ['directoryAudit', 'mailboxChange', 'mailItemOperation', 'fileOperation', 'graphActivity'],
  detect(event, context): Finding[] {
    switch (event.kind) {
      case 'directoryAudit': {
        const touched = new Map<string, Decoy>();
        for (const target of event.targets) {
          const decoy = directoryDecoyOfTarget(target, context.decoys);
          if (decoy !== undefined) touched.set(decoy.id, decoy);
        }
        return [...touched.values()].flatMap((decoy) =>
          finding(decoy, event, context, `${event.activity}${event.result && !SUCCESS_RESULTS.has(event.result.toLowerCase()) ? ` (${event.result})` : ''}`),
        );
      }
      case 'mailboxChange':
        return mailboxDecoysChanged(event, context.decoys).flatMap((decoy) =>
          finding(decoy, event, context, `${event.operation} on mailbox ${event.targetIdentity ?? event.mailbox.ownerUpn ?? ''}`.trim()),
        );
      case 'mailItemOperation':
        if (!ITEM_CHANGE_OPERATIONS.has(event.operation.toLowerCase())) return [];
        return mailItemDecoysIn(event.items, context.decoys).flatMap((decoy) => finding(decoy, event, context, `${event.operation} of the message`));
      case 'fileOperation': {
        if (event.access !== 'change') return [];
        const decoy = fileDecoyOf(event.file, context.decoys);
        return decoy === undefined ? [] : finding(decoy, event, context, `${event.operation} in ${event.workload}`);
      }
      case 'graphActivity': {
        if (!isWriteMethod(event.method)) return [];
        const path = graphRequestOf(event);
        if (path === undefined) return [];
        const fileReference = graphDriveItemOf(path);
        if (fileReference !== undefined) {
          // Copying or previewing the file reads it (`decoy.file.accessed`); any other write changes it or its sharing.
          const decoy = readsDriveItem(event.method, fileReference) ? undefined : fileDecoyOfGraph(fileReference, context.decoys);
          return decoy === undefined ? [] : finding(decoy, event, context, `${event.method} ${event.requestUri} (HTTP ${event.responseStatusCode ?? '?'})`);
        }
        const mailReference = graphMailReferenceOf(path);
        // Moving, forwarding or replying to a decoy message is an access; editing or deleting it is a change.
        const decoy =
          mailReference === undefined
            ? directoryDecoyOfPath(path, context.decoys)
            : (event.method === 'PATCH' || event.method === 'DELETE') && mailReference.action === undefined
              ? mailItemDecoyOf(mailReference, context.decoys)
              : undefined;
        return decoy === undefined ? [] : finding(decoy, event, context, `${event.method} ${event.requestUri} (HTTP ${event.responseStatusCode ?? '?'})`);
      }
      default:
        return [];
    }
  },
});

/** The finding a change raises: none when it is one of Lure's own journaled rotations. */
function finding(decoy: Decoy, event: NormalizedEvent, context: DetectionContext, change: string): Finding[] {
  const bySelf = isSelf(event.actor, context);
  if (bySelf && context.decoys.changedByLureAt(decoy.id, event.time)) return [];
  return [
    decoyFinding({
      detection: DECOY_OBJECT_MODIFIED,
      decoy,
      event,
      severity: bySelf ? 'critical' : 'high',
      title: `${bySelf ? "Lure's own identity changed" : 'Change to'} ${describeDecoy(decoy)}: ${change}`.slice(0, 200),
      summary: `${change} by ${describeActor(event.actor)}${bySelf ? ", Lure's own identity, with no rotation journal entry for it" : ''}.`,
      target: targetOf(decoy, change),
    }),
  ];
}

function targetOf(decoy: Decoy, change: string) {
  switch (decoy.kind) {
    case 'user':
      return { ...(decoy.objectId === undefined ? {} : { objectId: decoy.objectId }), resource: change };
    case 'application':
      return { objectId: decoy.servicePrincipalId ?? decoy.objectId ?? decoy.appId, resource: change };
    case 'mailItem':
      return { mailbox: decoy.mailbox, resource: change };
    case 'token':
      return { resource: change };
    case 'file':
      return fileTargetOf(decoy, change);
  }
}

/**
 * Decoys a mailbox change touches. Any change to a decoy user's own mailbox counts. A mailbox that only
 * holds decoy messages may be a real person's: there only changes that switch off or bypass auditing count.
 */
function mailboxDecoysChanged(event: MailboxChangeEvent, decoys: DecoyIndex): Decoy[] {
  const touched = new Map<string, Decoy>();
  const auditTampering = isAuditTampering(event);
  for (const candidate of identityCandidates(event)) {
    const user = decoys.findAny<'user'>([
      ['userPrincipalName', candidate],
      ['userObjectId', candidate],
    ]);
    if (user !== undefined) touched.set(user.id, user);
    if (auditTampering) for (const decoy of decoys.inMailbox(candidate)) touched.set(decoy.id, decoy);
  }
  return [...touched.values()];
}

/** The ways a record names its mailbox: the owner UPN, the cmdlet's `Identity`, and the parts of a rule's path. */
function identityCandidates(event: MailboxChangeEvent): string[] {
  const candidates = new Set<string>();
  if (event.mailbox.ownerUpn !== undefined) candidates.add(event.mailbox.ownerUpn);
  if (event.targetIdentity !== undefined) {
    candidates.add(event.targetIdentity);
    // Rule identities look like `…/contoso.onmicrosoft.com/<mailbox guid>\RuleName`.
    for (const part of event.targetIdentity.split(/[\\/]/)) if (part !== '') candidates.add(part);
  }
  return [...candidates];
}

function isAuditTampering(event: MailboxChangeEvent): boolean {
  const operation = event.operation.toLowerCase();
  if (operation === AUDIT_BYPASS_OPERATION) {
    return event.parameters.some((parameter) => parameter.name.toLowerCase() === 'auditbypassenabled' && parameter.value?.toLowerCase() !== 'false');
  }
  if (operation === 'set-mailbox') {
    // AuditEnabled off, or a changed AuditOwner/AuditDelegate/AuditAdmin/DefaultAuditSet that may drop MailItemsAccessed.
    return event.parameters.some((parameter) => {
      const name = parameter.name.toLowerCase();
      if (name === 'auditenabled') return parameter.value?.toLowerCase() === 'false';
      return name.startsWith('audit') || name === 'defaultauditset';
    });
  }
  return false;
}

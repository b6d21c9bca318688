import type { AlertTarget, Severity } from '../domain/alerts.js';
import type { Decoy } from '../domain/decoys.js';
import type { Actor, NormalizedEvent } from '../domain/events.js';
import type { DetectionContext } from './detection.js';
import type { Finding } from '../domain/findings.js';

/** Builds the finding every decoy detection raises: the decoy is the subject, the event the evidence. */
export function decoyFinding(options: {
  readonly detection: string;
  readonly decoy: Decoy;
  readonly event: NormalizedEvent;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: string;
  readonly target: AlertTarget;
}): Finding {
  const { detection, decoy, event } = options;
  return {
    detection,
    severity: options.severity,
    title: options.title,
    summary: options.summary,
    subjectKey: decoy.id,
    decoyId: decoy.id,
    suppressed: !decoy.enabled,
    actor: event.actor,
    target: options.target,
    ...(event.token === undefined ? {} : { token: event.token }),
    evidence: { source: event.source, type: event.recordType, id: event.recordId, time: event.time },
  };
}

/** A decoy in words, for titles: its UPN, app id, message, key id or file name. */
export function describeDecoy(decoy: Decoy): string {
  switch (decoy.kind) {
    case 'user':
      return `decoy user ${decoy.userPrincipalName}`;
    case 'application':
      return `decoy application ${decoy.appId}`;
    case 'mailItem':
      return `decoy message ${decoy.internetMessageId ?? decoy.itemId ?? decoy.immutableId ?? `in folder ${decoy.folderId}`} in ${decoy.mailbox}`;
    case 'token':
      return `honeytoken ${decoy.kid !== undefined ? `kid ${decoy.kid}` : `jti ${decoy.jti}`}`;
    case 'file':
      return `decoy file ${decoy.fileName ?? decoy.serverRelativeUrl?.split('/').at(-1) ?? decoy.listItemUniqueId ?? decoy.itemId} in ${decoy.siteUrl}`;
  }
}

/** Who did it and from where, for summaries: "alice@contoso.com (app 1fec…) from 203.0.113.7". */
export function describeActor(actor: Actor): string {
  const who = actor.userPrincipalName ?? actor.userId ?? (actor.servicePrincipalId ? `service principal ${actor.servicePrincipalId}` : undefined);
  const app = actor.appId === undefined ? undefined : `app ${actor.appId}`;
  const principal = who !== undefined && app !== undefined ? `${who} (${app})` : (who ?? app ?? 'an unidentified principal');
  return actor.ipAddress === undefined ? principal : `${principal} from ${actor.ipAddress}`;
}

/** Whether the actor is Lure's own identity. */
export function isSelf(actor: Actor, context: DetectionContext): boolean {
  return isSelfActor(actor, context.selfPrincipalIds);
}

/** Whether any of the actor's ids is one of Lure's own (lower-cased). Asked of nearly every event, so no array. */
export function isSelfActor(actor: Actor, selfPrincipalIds: ReadonlySet<string>): boolean {
  return isSelfId(actor.userId, selfPrincipalIds) || isSelfId(actor.servicePrincipalId, selfPrincipalIds) || isSelfId(actor.appId, selfPrincipalIds);
}

function isSelfId(id: string | undefined, selfPrincipalIds: ReadonlySet<string>): boolean {
  return id !== undefined && selfPrincipalIds.has(id.toLowerCase());
}

import { defineDetection } from './detection.js';
import { decoyFinding, describeActor, isSelf } from './decoyFinding.js';
import { describeDirectoryDecoy, directoryDecoyOfPath, objectIdOf } from './directoryDecoyMatching.js';
import { graphRequestOf } from './graphRequest.js';
import { GRAPH_SENSITIVE_SUB_RESOURCE_SET } from './graphSensitiveSubResources.js';
import type { Finding } from '../domain/findings.js';

export const DECOY_OBJECT_ACCESSED = 'decoy.object.accessed';

/**
 * Someone other than the decoy and Lure reads a decoy's sensitive parts through Graph (its mail,
 * authentication methods, credentials, owners, role assignments), or anyone but Lure searches a decoy
 * user's mailbox (a search by the decoy itself is a signed-in attacker looking around).
 * A plain read of the decoy object itself is not a hit: directory tools list users all day.
 * (An extension of DESIGN's detection table: the foundation issue asks for these touches to be hits.)
 */
export const decoyObjectAccessed = defineDetection({
  id: DECOY_OBJECT_ACCESSED,
  title: 'Decoy reconnoitred',
  description:
    "A Graph read of a decoy's sensitive sub-resources (mail, authentication methods, credentials, owners, role assignments) by anyone but the decoy and Lure, or a search of a decoy user's mailbox by anyone but Lure.",
  severities: ['high'],
  attack: ['TA0007:T1087.004', 'TA0009:T1114.002'],
  d3fend: ['D3-DO'],
  runbook:
    'Someone is studying this decoy: identify the app and user in the alert, check what else they read in the same session, and revoke their sessions if the access is not explained.',
  eventKinds: ['graphActivity', 'mailboxSearch'],
  detect(event, context): Finding[] {
    if (isSelf(event.actor, context)) return [];
    if (event.kind === 'mailboxSearch') {
      const decoy = context.decoys.find('userPrincipalName', event.mailbox.ownerUpn);
      if (decoy === undefined) return [];
      return [
        decoyFinding({
          detection: DECOY_OBJECT_ACCESSED,
          decoy,
          event,
          severity: 'high',
          title: `Search of decoy user ${decoy.userPrincipalName}'s mailbox`,
          summary: `${event.operation} in ${decoy.userPrincipalName}'s mailbox by ${describeActor(event.actor)}.`,
          target: { mailbox: decoy.userPrincipalName, resource: event.operation },
        }),
      ];
    }
    if (event.method !== 'GET') return [];
    const path = graphRequestOf(event);
    const subResource = path?.rest[0];
    if (path === undefined || subResource === undefined || !GRAPH_SENSITIVE_SUB_RESOURCE_SET.has(subResource)) return [];
    const decoy = directoryDecoyOfPath(path, context.decoys);
    if (decoy === undefined) return [];
    // The decoy reading its own parts is already `decoy.user.signIn` / `decoy.application.signIn`.
    const actorIds = [event.actor.userId, event.actor.servicePrincipalId, event.actor.appId].map((id) => id?.toLowerCase());
    const decoyIds = (decoy.kind === 'user' ? [decoy.objectId] : [decoy.appId, decoy.servicePrincipalId]).map((id) => id?.toLowerCase());
    if (decoyIds.some((id) => id !== undefined && actorIds.includes(id))) return [];
    const objectId = objectIdOf(decoy);
    return [
      decoyFinding({
        detection: DECOY_OBJECT_ACCESSED,
        decoy,
        event,
        severity: 'high',
        title: `Read of ${describeDirectoryDecoy(decoy)}'s ${subResource}`,
        summary: `${event.method} ${event.requestUri} by ${describeActor(event.actor)} (HTTP ${event.responseStatusCode ?? '?'}).`,
        target: { ...(objectId === undefined ? {} : { objectId }), resource: event.requestUri },
      }),
    ];
  },
});

import type { UserDecoy } from '../domain/decoys.js';
import { defineDetection } from './detection.js';
import { decoyFinding, describeActor } from './decoyFinding.js';
import type { Finding } from '../domain/findings.js';

export const DECOY_USER_SIGN_IN = 'decoy.user.signIn';

/**
 * Anyone signing in as a decoy user, successfully or not, interactively or not, or using a decoy user's
 * token against Graph or its mailbox. Nobody legitimate knows the decoy's password, so even a failure is
 * an attacker trying it (a spray, a leaked lure).
 */
export const decoyUserSignIn = defineDetection({
  id: DECOY_USER_SIGN_IN,
  title: 'Sign-in as a decoy user',
  description: 'Any sign-in (interactive or not, success or failure) or Graph call or mailbox logon by a decoy user.',
  severities: ['critical', 'high'],
  attack: ['TA0001:T1078.004', 'TA0006:T1110.003'],
  d3fend: ['D3-DP', 'D3-DUC'],
  runbook:
    "Treat the credentials planted for this decoy as stolen: find where the lure was planted, block the source IP, revoke the decoy's sessions, and look for other sign-ins from the same IP or user agent.",
  eventKinds: ['signIn', 'graphActivity', 'mailboxLogin'],
  detect(event, context): Finding[] {
    switch (event.kind) {
      case 'signIn': {
        // Every sign-in asks: two lookups in a row rather than findAny's array of pairs.
        const decoy = context.decoys.find('userObjectId', event.actor.userId) ?? context.decoys.find('userPrincipalName', event.actor.userPrincipalName);
        if (decoy === undefined) return [];
        const outcome = event.succeeded
          ? 'succeeded'
          : `failed (error ${event.errorCode ?? 'unknown'}${event.failureReason ? `: ${event.failureReason}` : ''})`;
        const app = event.appDisplayName ?? event.actor.appId;
        return [
          decoyFinding({
            detection: DECOY_USER_SIGN_IN,
            decoy,
            event,
            severity: event.succeeded ? 'critical' : 'high',
            title: `${event.succeeded ? 'Successful sign-in' : 'Sign-in attempt'} as decoy user ${decoy.userPrincipalName}`,
            summary: `${event.category}: sign-in as ${decoy.userPrincipalName}${app ? ` to ${app}` : ''} from ${event.actor.ipAddress ?? 'an unknown address'} ${outcome}.`,
            target: targetOf(decoy, event.resourceDisplayName ?? event.resourceId),
          }),
        ];
      }
      case 'graphActivity': {
        if (event.identityType === 'app') return [];
        const decoy = context.decoys.find('userObjectId', event.actor.userId);
        if (decoy === undefined) return [];
        return [
          decoyFinding({
            detection: DECOY_USER_SIGN_IN,
            decoy,
            event,
            severity: 'critical',
            title: `Graph called with decoy user ${decoy.userPrincipalName}'s token`,
            summary: `${event.method} ${event.requestUri} by ${describeActor(event.actor)} with a token issued to ${decoy.userPrincipalName} (HTTP ${event.responseStatusCode ?? '?'}).`,
            target: targetOf(decoy, event.requestUri),
          }),
        ];
      }
      case 'mailboxLogin': {
        const decoy = context.decoys.find('userPrincipalName', event.mailbox.ownerUpn);
        if (decoy === undefined) return [];
        return [
          decoyFinding({
            detection: DECOY_USER_SIGN_IN,
            decoy,
            event,
            severity: 'critical',
            title: `Logon to decoy user ${decoy.userPrincipalName}'s mailbox`,
            summary: `MailboxLogin to ${decoy.userPrincipalName} by ${describeActor(event.actor)}${event.clientInfoString ? ` (${event.clientInfoString})` : ''}.`,
            target: { ...targetOf(decoy, 'mailbox'), mailbox: decoy.userPrincipalName },
          }),
        ];
      }
      default:
        return [];
    }
  },
});

function targetOf(decoy: UserDecoy, resource: string | undefined) {
  return {
    ...(decoy.objectId === undefined ? {} : { objectId: decoy.objectId }),
    ...(resource === undefined ? {} : { resource }),
  };
}

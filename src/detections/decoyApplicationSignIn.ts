import type { ApplicationDecoy } from '../domain/decoys.js';
import type { Actor } from '../domain/events.js';
import type { DecoyIndex } from '../decoys/decoyIndex.js';
import { defineDetection } from './detection.js';
import { decoyFinding, describeActor } from './decoyFinding.js';
import type { Finding } from '../domain/findings.js';

export const DECOY_APPLICATION_SIGN_IN = 'decoy.application.signIn';

/**
 * A decoy app registration or its service principal signing in or calling Graph. Its secrets exist only
 * in planted lures, so any use means a lure was found; the credential's keyId says which generation (and
 * so which planting) leaked.
 */
export const decoyApplicationSignIn = defineDetection({
  id: DECOY_APPLICATION_SIGN_IN,
  title: 'Sign-in as a decoy application',
  description: 'A decoy app/service principal signs in or calls Graph; names which credential generation was used.',
  severities: ['critical'],
  attack: ['TA0001:T1078.004', 'TA0006:T1552.001'],
  d3fend: ['D3-DUC'],
  runbook:
    "Find where the credential generation named in the alert was planted, remove that lure, rotate the decoy's secret, and block the source IP. Check what else the same IP touched.",
  eventKinds: ['signIn', 'graphActivity'],
  detect(event, context): Finding[] {
    const decoy = applicationDecoyOf(event.actor, context.decoys);
    if (decoy === undefined) return [];
    if (event.kind === 'signIn') {
      const outcome = event.succeeded ? 'succeeded' : `failed (error ${event.errorCode ?? 'unknown'})`;
      return [
        decoyFinding({
          detection: DECOY_APPLICATION_SIGN_IN,
          decoy,
          event,
          severity: 'critical',
          title: `${event.succeeded ? 'Sign-in' : 'Sign-in attempt'} as decoy application ${event.appDisplayName ?? event.servicePrincipalName ?? decoy.appId}`,
          summary: `${event.category}: ${describeActor(event.actor)} ${outcome}, ${credentialGeneration(decoy, event.credentialKeyId)}.`,
          target: targetOf(decoy, event.resourceDisplayName ?? event.resourceId),
        }),
      ];
    }
    return [
      decoyFinding({
        detection: DECOY_APPLICATION_SIGN_IN,
        decoy,
        event,
        severity: 'critical',
        title: `Graph called as decoy application ${decoy.appId}`,
        summary: `${event.method} ${event.requestUri} by ${describeActor(event.actor)} (HTTP ${event.responseStatusCode ?? '?'}).`,
        target: targetOf(decoy, event.requestUri),
      }),
    ];
  },
});

function applicationDecoyOf(actor: Actor, decoys: DecoyIndex): ApplicationDecoy | undefined {
  // Every sign-in asks: two lookups in a row rather than findAny's array of pairs.
  return decoys.find('appId', actor.appId) ?? decoys.find('servicePrincipalId', actor.servicePrincipalId);
}

/** Which of the decoy's credentials was used, oldest generation first. */
export function credentialGeneration(decoy: ApplicationDecoy, keyId: string | undefined): string {
  if (keyId === undefined) return 'credential not named in the record';
  const index = decoy.credentialKeyIds.findIndex((candidate) => candidate.toLowerCase() === keyId.toLowerCase());
  if (index === -1) return `with credential ${keyId}, which Lure did not issue`;
  return `with credential generation ${index + 1} of ${decoy.credentialKeyIds.length} (keyId ${keyId})`;
}

function targetOf(decoy: ApplicationDecoy, resource: string | undefined) {
  return {
    objectId: decoy.servicePrincipalId ?? decoy.objectId ?? decoy.appId,
    ...(resource === undefined ? {} : { resource }),
  };
}

import { defineDetection } from './detection.js';
import { decoyFinding } from './decoyFinding.js';
import type { Finding } from '../domain/findings.js';

export const DECOY_TOKEN_USED = 'decoy.token.used';

/**
 * A honeytoken JWT presented to one of the customer's APIs, recognised by its `kid` or `jti`. The token
 * grants nothing; whoever presents it found it where Lure planted it. It raises no signing-key alert too.
 */
export const decoyTokenUsed = defineDetection({
  id: DECOY_TOKEN_USED,
  title: 'Honeytoken used',
  description: 'A honeytoken JWT (by kid or jti) is presented to an API.',
  severities: ['critical'],
  attack: ['TA0006:T1528', 'TA0008:T1550.001'],
  d3fend: ['D3-DST'],
  runbook:
    'The place this honeytoken was planted has been read by someone: find it from the decoy memo, treat everything stored next to it as exposed, and block the source IP.',
  eventKinds: ['tokenObservation'],
  detect(event, context): Finding[] {
    const decoy = context.decoys.findAny<'token'>([
      ['tokenKid', event.header.kid],
      ['tokenJti', event.claims.jti],
    ]);
    if (decoy === undefined) return [];
    const matchedOn = decoy.kid !== undefined && decoy.kid === event.header.kid ? `kid ${decoy.kid}` : `jti ${decoy.jti}`;
    return [
      decoyFinding({
        detection: DECOY_TOKEN_USED,
        decoy,
        event,
        severity: 'critical',
        title: `Honeytoken ${decoy.id} presented to an API`,
        summary: `A token with ${matchedOn} reached ${event.observer ?? 'an API gateway'}${event.requestUri ? ` calling ${event.requestUri}` : ''} from ${event.actor.ipAddress ?? 'an unknown address'}.`,
        target: event.requestUri === undefined ? {} : { resource: event.requestUri },
      }),
    ];
  },
});

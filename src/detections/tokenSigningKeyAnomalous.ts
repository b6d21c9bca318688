import { type Severity, severityRank } from '../domain/alerts.js';
import { issuerKindOf } from '../keys/clouds.js';
import { COMPROMISED_KEYS } from '../keys/compromisedKeys.js';
import { defineDetection } from './detection.js';
import { describeActor } from './decoyFinding.js';
import type { Finding } from '../domain/findings.js';

export const TOKEN_SIGNING_KEY_ANOMALOUS = 'token.signingKey.anomalous';

/**
 * A token seen by one of the customer's APIs whose signature claims a key Entra would not have used for it:
 * a known-compromised key (Storm-0558), a consumer key on an organisation token, a key whose certificate had
 * expired before the token was issued, a key no published set holds, a key retired long ago, or no algorithm
 * at all. Only tokens of the cloud's Entra and consumer issuers are judged; honeytokens are left to
 * `decoy.token.used`. The signature itself is usually stripped by the gateway and is never needed.
 */
export const tokenSigningKeyAnomalous = defineDetection({
  id: TOKEN_SIGNING_KEY_ANOMALOUS,
  title: 'Token signed by the wrong key',
  description:
    "Known-compromised kid; consumer key used for an organisation tenant; key whose certificate expired before the token's iat; kid unknown after a refresh; key retired long ago; alg none or missing on an Entra-issued token.",
  severities: ['critical', 'high'],
  // T1606 Forge Web Credentials: ATT&CK has sub-techniques for cookies (.001) and SAML (.002) only, none for
  // OAuth or JWT, so the parent names a forged Entra token (attack.mitre.org/techniques/T1606/).
  attack: ['TA0006:T1606', 'TA0005:T1550.001'],
  d3fend: [],
  runbook:
    'Treat the token as forged: find every request the gateway logged with it (same kid, same uti), revoke the sessions of the user or app it names, and report a consumer or compromised key to Microsoft. Check token.issuance.missing for the same token id.',
  eventKinds: ['tokenObservation'],
  detect(event, context): Finding[] {
    const { header, claims } = event;
    const issuer = issuerKindOf(claims.iss, context.signing.authorityHost, context.signing.v1IssuerHost);
    if (issuer.kind === 'other') return [];
    // A honeytoken raises decoy.token.used and nothing else.
    if (
      context.decoys.findAny([
        ['tokenKid', header.kid],
        ['tokenJti', claims.jti],
      ]) !== undefined
    )
      return [];

    const reasons: { severity: Severity; text: string }[] = [];
    const keyId = header.kid ?? header.x5t;
    const alg = header.alg?.toLowerCase();
    if (alg === undefined || alg === 'none') reasons.push({ severity: 'high', text: 'it names no signing algorithm (alg none or missing)' });
    const compromised = COMPROMISED_KEYS.find((key) => key.kid === header.kid || key.kid === header.x5t);
    if (compromised !== undefined) reasons.push({ severity: 'critical', text: `its key ${compromised.kid} is known to be compromised: ${compromised.name}` });

    const known = context.signing.keys.find(header.kid) ?? context.signing.keys.find(header.x5t);
    if (known !== undefined) {
      if (known.key.set === 'consumer' && issuer.kind === 'organization') {
        reasons.push({ severity: 'critical', text: `a consumer (Microsoft account) key signed a token for organisation tenant ${issuer.tenantId}` });
      }
      const issuedAt = claims.iat === undefined ? undefined : claims.iat * 1000;
      const notAfter = known.key.certificateNotAfter;
      if (notAfter !== undefined && issuedAt !== undefined && issuedAt > Date.parse(notAfter)) {
        reasons.push({
          severity: 'high',
          text: `its key's certificate expired on ${notAfter}, before the token was issued (${new Date(issuedAt).toISOString()})`,
        });
      }
      const retiredForMs = known.retiredSince === undefined ? 0 : Date.parse(event.time) - Date.parse(known.retiredSince);
      if (known.retiredSince !== undefined && retiredForMs > context.signing.retiredAlertAfterInHours * 3_600_000) {
        reasons.push({ severity: 'high', text: `its key left the published ${known.key.set} key set after ${known.retiredSince}` });
      }
    } else if (keyId === undefined) {
      reasons.push({ severity: 'high', text: 'its header names no key (no kid, no x5t)' });
    } else if (compromised === undefined && context.signing.keys.size > 0) {
      reasons.push({ severity: 'high', text: `its key ${keyId} is in no key set Lure knows, even after a refresh` });
    }
    if (reasons.length === 0) return [];

    const severity = reasons.map((reason) => reason.severity).reduce((a, b) => (severityRank(a) >= severityRank(b) ? a : b));
    return [
      {
        detection: TOKEN_SIGNING_KEY_ANOMALOUS,
        severity,
        title: `Token signed by ${compromised !== undefined ? 'a known-compromised key' : known?.key.set === 'consumer' && issuer.kind === 'organization' ? 'a consumer key' : 'an unexpected key'}${keyId === undefined ? '' : ` (${keyId})`}`,
        summary: `A token for ${claims.aud ?? 'an API'} seen by ${event.observer ?? 'the gateway'}${event.requestUri === undefined ? '' : ` on ${event.requestUri}`} from ${describeActor(event.actor)}: ${reasons.map((reason) => reason.text).join('; ')}.`,
        subjectKey: keyId ?? 'no-key',
        suppressed: false,
        actor: event.actor,
        target: event.requestUri === undefined ? {} : { resource: event.requestUri },
        ...(event.token === undefined ? {} : { token: event.token }),
        evidence: { source: event.source, type: event.recordType, id: event.recordId, time: event.time },
      },
    ];
  },
});

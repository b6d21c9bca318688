import type { TokenUse } from '../domain/tokens.js';
import type { DetectionMetadata } from './detection.js';
import { describeActor } from './decoyFinding.js';
import type { Finding } from '../domain/findings.js';

export const TOKEN_ISSUANCE_MISSING = 'token.issuance.missing';

const SOURCE_NAMES = { graph: 'Microsoft Graph', exchange: 'Exchange Online', sharepoint: 'SharePoint Online', token: 'an API gateway' } as const;

/**
 * A token was used in Graph or Exchange, but no sign-in log of any category ever issued it, although the
 * sign-in streams have moved past its grace period. Entra issues every token it signs through a sign-in,
 * so a token nobody issued was minted elsewhere: Storm-0558's forged tokens "did not correspond to Azure AD
 * tokens in Microsoft logs". Judged when the resolver runs, not per record (see `resolveTokenChecks`).
 */
export const tokenIssuanceMissing: DetectionMetadata = {
  id: TOKEN_ISSUANCE_MISSING,
  title: 'Token used that no sign-in issued',
  description: 'A Graph or Exchange event carries a token id that no sign-in log issued, after the grace window.',
  severities: ['high', 'critical'],
  // T1606 Forge Web Credentials: ATT&CK has sub-techniques for cookies (.001) and SAML (.002) only, none for
  // OAuth or JWT, so the parent names a forged Entra token (attack.mitre.org/techniques/T1606/).
  attack: ['TA0006:T1606', 'TA0005:T1550.001'],
  d3fend: [],
  runbook:
    "Treat the token as forged: revoke the user's sessions and the app's credentials, block the IP, and search every log for the same token id, session id and IP. Check for a signing key that is not the tenant's (token.signingKey.anomalous) and for other unissued tokens of the same app.",
};

/** The finding for a use whose token no sign-in issued. Critical when it read mail or touched a decoy. */
export function missingIssuanceFinding(use: TokenUse): Finding {
  const critical = use.readsMail || use.touchesDecoy;
  const purpose = use.touchesDecoy ? ' on a decoy' : use.readsMail ? ' to read mail' : '';
  return {
    detection: TOKEN_ISSUANCE_MISSING,
    severity: critical ? 'critical' : 'high',
    title: `Token ${use.uti}, never issued by any sign-in, used in ${SOURCE_NAMES[use.source]}${purpose}`,
    summary:
      `${use.resource ?? 'A request'} by ${describeActor(use.actor)} with token ${use.uti}` +
      `${use.issuedAt === undefined ? '' : ` (issued at ${use.issuedAt}, it says)`}: no sign-in log of any category issued it.`,
    subjectKey: use.uti,
    suppressed: false,
    actor: use.actor,
    target: use.resource === undefined ? {} : { resource: use.resource },
    token: use.token,
    evidence: use.evidence,
  };
}

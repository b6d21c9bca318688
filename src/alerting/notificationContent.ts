import { type Alert, type Incident, type Severity, severityRank } from '../domain/alerts.js';
import type { DigestLine, NotificationContent } from '../domain/delivery.js';
import type { CloudName } from '../keys/clouds.js';

/** One labelled fact of the lead alert, in words. */
export interface Fact {
  readonly title: string;
  readonly value: string;
}

const EVIDENCE_LISTED = 5;

/** What a responder should do first for a detection (the detection's runbook), if it has one. */
export type RunbookLookup = (detection: string) => string | undefined;

/** A new incident, or a follow-up on one: its lead alert with facts, runbook and portal links. */
export function incidentContent(
  kind: 'incident' | 'incidentUpdate',
  incident: Incident,
  alerts: readonly Alert[],
  cloud: CloudName,
  runbookOf: RunbookLookup,
): NotificationContent {
  const ranked = [...alerts].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.occurredAt.localeCompare(a.occurredAt));
  const lead = ranked[0];
  const detections = incident.detections.join(', ');
  return {
    kind,
    severity: incident.severity,
    heading: `${kind === 'incidentUpdate' ? 'Update: ' : ''}${lead?.title ?? incident.title}`,
    subheading: `Incident ${incident.id} · ${incident.alertIds.length} alert${incident.alertIds.length === 1 ? '' : 's'} · ${detections}`,
    ...(lead === undefined ? {} : { lead, runbook: runbookOf(lead.detection) }),
    others: ranked.slice(1),
    links: lead === undefined ? [] : portalLinksOf(lead, cloud),
  };
}

/** An alert of an incident that Lure withdrew as a false alarm, and why. */
export function retractionContent(alert: Alert, incidentId: string): NotificationContent {
  return {
    kind: 'retraction',
    severity: alert.severity,
    heading: `False alarm: ${alert.title}`,
    subheading:
      `Incident ${incidentId} · alert ${alert.id} retracted` +
      (alert.retraction === undefined ? '' : ` · issuance arrived ${alert.retraction.lateByMinutes} minutes late: ${alert.retraction.reason}`),
    lead: alert,
    others: [],
    runbook: 'Nothing to do for this alert: the sign-in that issued the token was found, it had only arrived late. Other alerts of the incident stand.',
    links: [],
  };
}

/** Many notifications in one minute, folded into one message. */
export function digestContent(minute: string, lines: readonly DigestLine[], total: number, severity: Severity): NotificationContent {
  return {
    kind: 'digest',
    severity,
    heading: `${total} notifications in the minute from ${minute.slice(11, 16)} UTC`,
    subheading: 'Lure folded them into this digest so the channel stays readable. Every alert is stored and on the webhook.',
    others: [],
    digest: { minute, lines, total },
    links: [],
  };
}

/** A clearly marked test, sent through the real path (`lure test-alert`). */
export function testContent(requestedAt: string): NotificationContent {
  return {
    kind: 'test',
    severity: 'low',
    heading: 'Lure test notification',
    subheading: `Requested at ${requestedAt}. No decoy was touched; this proves the channel's wiring end to end.`,
    others: [],
    runbook: 'Nothing to do. If you expected real alerts here and saw none, check `lure status` for dead or pending deliveries.',
    links: [],
  };
}

/** The lead alert's facts: what was touched, by whom, from where, when, and the evidence. */
export function factsOf(alert: Alert): Fact[] {
  const facts: Fact[] = [];
  const add = (title: string, value: string | undefined) => value !== undefined && value !== '' && facts.push({ title, value });
  add('Detection', `${alert.detection} (${alert.severity})`);
  add('Decoy', alert.decoyId);
  const who = [alert.actor.userPrincipalName ?? alert.actor.userId, alert.actor.appId === undefined ? undefined : `app ${alert.actor.appId}`]
    .filter((part) => part !== undefined)
    .join(' · ');
  add('Who', who);
  add('From', [alert.actor.ipAddress, alert.actor.userAgent].filter((part) => part !== undefined).join(' · '));
  add('Target', [alert.target.mailbox, alert.target.objectId, alert.target.resource].filter((part) => part !== undefined).join(' · '));
  add(
    'Token',
    [
      alert.token?.uniqueTokenId === undefined ? undefined : `uti ${alert.token.uniqueTokenId}`,
      alert.token?.kid === undefined ? undefined : `kid ${alert.token.kid}`,
    ]
      .filter((part) => part !== undefined)
      .join(' · '),
  );
  add('When', `event ${alert.occurredAt} · detected ${alert.detectedAt}`);
  const shown = alert.evidence.slice(0, EVIDENCE_LISTED).map((evidence) => `${evidence.type} ${evidence.id}`);
  add('Evidence', `${shown.join('; ')}${alert.count > shown.length ? ` (and ${alert.count - shown.length} more)` : ''}`);
  add('ATT&CK', alert.mitre?.join(', '));
  add('Alert', alert.id);
  return facts;
}

const ENTRA_PORTALS: Readonly<Record<CloudName, string>> = {
  public: 'https://entra.microsoft.com',
  usgov: 'https://entra.microsoft.us',
  usgovdod: 'https://entra.microsoft.us',
  china: 'https://entra.microsoftonline.cn',
};
const PURVIEW_PORTALS: Readonly<Partial<Record<CloudName, string>>> = {
  public: 'https://purview.microsoft.com',
  usgov: 'https://purview.microsoft.us',
  usgovdod: 'https://purview.microsoft.us',
};

/** Where to act: the user or app in Entra, the sign-in logs, the audit search for mailbox access. */
export function portalLinksOf(alert: Pick<Alert, 'actor'>, cloud: CloudName): { title: string; url: string }[] {
  const entra = ENTRA_PORTALS[cloud];
  const links: { title: string; url: string }[] = [];
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (alert.actor.userId !== undefined && guid.test(alert.actor.userId)) {
    links.push({
      title: 'User in Entra (revoke sessions)',
      url: `${entra}/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/${alert.actor.userId}`,
    });
  }
  if (alert.actor.appId !== undefined && guid.test(alert.actor.appId)) {
    links.push({
      title: 'App in Entra (credentials)',
      url: `${entra}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${alert.actor.appId}`,
    });
  }
  links.push({ title: 'Sign-in logs', url: `${entra}/#view/Microsoft_AAD_IAM/SignInEventsV3Blade` });
  const purview = PURVIEW_PORTALS[cloud];
  if (purview !== undefined) links.push({ title: 'Audit search (MailItemsAccessed)', url: `${purview}/audit/auditsearch` });
  return links;
}

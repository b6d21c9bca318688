import type { AuditSubscriptionDisabled } from '../domain/auditFeed.js';
import { nameOfStream, type StreamSilence, type StreamState } from '../domain/streams.js';
import type { DetectionMetadata } from './detection.js';
import type { Finding } from '../domain/findings.js';

export const SOURCE_SILENT = 'source.silent';

/**
 * A stream that used to deliver has delivered nothing for longer than its threshold. Every other detection
 * depends on the records: a deleted diagnostic setting or a broken poller would otherwise leave Lure blind
 * and quiet. Judged on arrival time by a timer; cleared when records flow again. Not evaluated by replays.
 */
export const sourceSilent: DetectionMetadata = {
  id: SOURCE_SILENT,
  title: 'A log stream went silent',
  description:
    'A source or sign-in category has delivered nothing for longer than its threshold, or an expected one never delivered within the first-delivery grace (a deleted or missing diagnostic setting blinds every other detection), or an admin disabled a Management Activity API subscription.',
  severities: ['high'],
  attack: ['TA0005:T1562.008'],
  d3fend: [],
  runbook:
    'Check the Entra diagnostic settings (were they changed or deleted, and by whom: see the audit log), the Event Hubs namespace and the Exchange poller (`lure status` lists its subscriptions). A stream that never delivered names its likely cause: a missing tenant diagnostic setting or category, local authentication off on the namespace, a poller subscription not started or disabled. Until records flow, detections on this stream see nothing.',
};

/** Where to look first when a stream never delivered, by stream name, then by source. */
const LIKELY_CAUSES: Readonly<Record<string, string>> = {
  MicrosoftGraphActivityLogs:
    'the tenant diagnostic setting does not stream MicrosoftGraphActivityLogs (it needs Entra ID P1 or P2), or cannot write to the entra hub',
  MicrosoftServicePrincipalSignInLogs: 'the preview category is not enabled for the tenant, or the diagnostic setting does not stream it',
  ADFSSignInLogs: 'the tenant has no AD FS with Connect Health: the category carries nothing there, and should not be expected',
  entra:
    'no tenant diagnostic setting streams to the entra hub (infra/tenant/diagnosticSettings.bicep not deployed), or it cannot write there (its authorization rule, or local authentication off on the namespace)',
  exchange:
    'the Management Activity API has delivered nothing: unified audit logging off in Purview, ActivityFeed.Read not granted to Lure, or a subscription disabled by an admin (see `auditSubscriptions` in `lure status`)',
  defender:
    'Defender XDR streaming (Settings › Microsoft Defender XDR › Streaming API) is not configured for the exchange hub, or CloudAppEvents is not selected',
  token: 'the API Management policy infra/apim/token-observation-policy.xml is on no API, or its logger cannot send to the token hub',
};

/** The likely cause of a stream's never delivering, for the alert and the status report. */
export function likelyCauseOfNoDelivery(stream: Pick<StreamState, 'stream' | 'source'>): string {
  const name = nameOfStream(stream.stream);
  return (
    LIKELY_CAUSES[name] ??
    (stream.source === 'entra'
      ? `the tenant diagnostic setting does not stream ${name}, or cannot write to the entra hub (its authorization rule, or local authentication off on the namespace)`
      : (LIKELY_CAUSES[stream.source] ?? `nothing has sent ${name} records to its hub`))
  );
}

export function silentStreamFinding(stream: StreamState, silence: StreamSilence, silentForInMinutes: number): Finding {
  const name = nameOfStream(stream.stream);
  const common = { detection: SOURCE_SILENT, severity: 'high', subjectKey: stream.stream, suppressed: false, actor: {}, target: { resource: name } } as const;
  if (silence === 'neverDelivered' || stream.lastArrivalAt === undefined) {
    const since = stream.expectedSince ?? '';
    return {
      ...common,
      title: `No ${name} records ever, ${Math.floor(silentForInMinutes / 60)} hours after Lure began expecting them`,
      summary: `The ${name} stream (${stream.source}) is expected but has delivered nothing since ${since}: detections that read it are blind. Most likely cause: ${likelyCauseOfNoDelivery(stream)}.`,
      // One alert per stream that never began.
      evidence: { source: stream.source, type: 'StreamSilence', id: `${stream.stream}@expected:${since}`, time: since },
    };
  }
  return {
    ...common,
    title: `No ${name} records for ${silentForInMinutes} minutes`,
    summary: `The ${name} stream (${stream.source}) delivered its last records at ${stream.lastArrivalAt} and nothing since: detections that read it are blind until it flows again.`,
    // One alert per silence: keyed by when it began.
    evidence: { source: stream.source, type: 'StreamSilence', id: `${stream.stream}@${stream.lastArrivalAt}`, time: stream.lastArrivalAt },
  };
}

/**
 * An admin disabled Lure's Management Activity API subscription to a content type (AF20023), or turned
 * unified audit logging off. Lure will not start it again over the admin: one alert per disabling (keyed
 * by when the poller first saw it), resolved once a listing answers again.
 */
export function disabledSubscriptionFinding(contentType: string, disabled: AuditSubscriptionDisabled): Finding {
  // The API names who: "The subscription was disabled by a tenant admin." (or "a service admin").
  const by = /disabled by (a (?:tenant|service) admin)/i.exec(disabled.detail)?.[1]?.toLowerCase() ?? 'an admin';
  return {
    detection: SOURCE_SILENT,
    severity: 'high',
    title: `The ${contentType} subscription was disabled by ${by}`,
    summary:
      `Since ${disabled.since} the Management Activity API answers that Lure's ${contentType} subscription was disabled (${disabled.detail}). ` +
      `Lure will not start it again over an admin's decision, so no ${contentType} records reach the exchange hub and the Exchange detections that read them are blind ` +
      "until an admin enables it again: turn unified audit logging back on (Microsoft Purview portal › Audit), or start the subscription (POST …/activity/feed/subscriptions/start as Lure's app). " +
      'Lure lists it every run and resumes by itself.',
    subjectKey: `subscription:${contentType}`,
    suppressed: false,
    actor: {},
    target: { resource: contentType },
    evidence: { source: 'exchange', type: 'SubscriptionDisabled', id: `subscription:${contentType}@${disabled.since}`, time: disabled.since },
  };
}

import type { StreamState } from '../domain/streams.js';
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
    'An enabled source or sign-in category has delivered nothing for longer than its threshold (a deleted diagnostic setting blinds every other detection).',
  severities: ['high'],
  attack: ['TA0005:T1562.008'],
  runbook:
    'Check the Entra diagnostic settings (were they changed or deleted, and by whom: see the audit log), the Event Hubs namespace and the Exchange poller. Until records flow again, detections on this stream see nothing.',
};

export function silentStreamFinding(stream: StreamState, silentForInMinutes: number): Finding {
  const name = stream.stream.replace(/^(source|category):/, '');
  return {
    detection: SOURCE_SILENT,
    severity: 'high',
    title: `No ${name} records for ${silentForInMinutes} minutes`,
    summary: `The ${name} stream (${stream.source}) delivered its last records at ${stream.lastArrivalAt} and nothing since: detections that read it are blind until it flows again.`,
    subjectKey: stream.stream,
    suppressed: false,
    actor: {},
    target: { resource: name },
    // One alert per silence: keyed by when it began.
    evidence: { source: stream.source, type: 'StreamSilence', id: `${stream.stream}@${stream.lastArrivalAt}`, time: stream.lastArrivalAt },
  };
}

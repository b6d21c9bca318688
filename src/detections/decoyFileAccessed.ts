import type { FileDecoy } from '../domain/decoys.js';
import type { NormalizedEvent } from '../domain/events.js';
import type { Finding } from '../domain/findings.js';
import { defineDetection } from './detection.js';
import { decoyFinding, describeActor, describeDecoy, isSelf } from './decoyFinding.js';
import { fileDecoyOf, fileDecoyOfGraph, fileTargetOf, graphDriveItemOf, readsDriveItem } from './fileMatching.js';
import { graphRequestOf } from './graphRequest.js';

export const DECOY_FILE_ACCESSED = 'decoy.file.accessed';

/**
 * A decoy file read: opened, previewed, downloaded, synced or copied (SharePoint and OneDrive audit, also
 * through Defender), or read through Graph. Nobody has a reason to open it; a search that lists it, or a
 * folder listing, has not read it and raises nothing.
 */
export const decoyFileAccessed = defineDetection({
  id: DECOY_FILE_ACCESSED,
  title: 'Decoy file accessed',
  description:
    'FileAccessed, FileDownloaded, FilePreviewed, FileSyncDownloaded*, FileCopied or a sharing link used on a decoy file (by ListItemUniqueId or URL), or a Graph read of its drive item.',
  severities: ['critical'],
  attack: ['TA0009:T1213.002', 'TA0009:T1530'],
  d3fend: ['D3-DF'],
  runbook:
    'Someone is collecting files: identify the user or app and the token in the alert, revoke their sessions, and search the SharePoint audit for everything else the same session opened or downloaded.',
  eventKinds: ['fileOperation', 'graphActivity'],
  detect(event, context): Finding[] {
    if (isSelf(event.actor, context)) return [];
    switch (event.kind) {
      case 'fileOperation': {
        if (event.access !== 'read') return [];
        const decoy = fileDecoyOf(event.file, context.decoys);
        if (decoy === undefined) return [];
        const via = event.clientAppId === undefined || event.clientAppId === event.actor.appId ? '' : ` via client app ${event.clientAppId}`;
        return [finding(decoy, event, `${event.operation} in ${event.workload} by ${describeActor(event.actor)}${via}.`)];
      }
      case 'graphActivity': {
        const path = graphRequestOf(event);
        const reference = path && graphDriveItemOf(path);
        if (reference === undefined) return [];
        if (!readsDriveItem(event.method, reference)) return [];
        const decoy = fileDecoyOfGraph(reference, context.decoys);
        if (decoy === undefined) return [];
        return [finding(decoy, event, `${event.method} ${event.requestUri} by ${describeActor(event.actor)} (HTTP ${event.responseStatusCode ?? '?'}).`)];
      }
      default:
        return [];
    }
  },
});

function finding(decoy: FileDecoy, event: NormalizedEvent, summary: string): Finding {
  const name = describeDecoy(decoy);
  return decoyFinding({
    detection: DECOY_FILE_ACCESSED,
    decoy,
    event,
    severity: 'critical',
    title: `${name.charAt(0).toUpperCase()}${name.slice(1)} was accessed`.slice(0, 200),
    summary,
    target: fileTargetOf(decoy),
  });
}

import { digestContent, incidentContent, retractionContent, testContent } from '../../alerting/notificationContent.js';
import { alertRevisionOf } from '../../alerting/sentinelRow.js';
import { ALL_DETECTIONS } from '../../detections/index.js';
import type { OutboxEntry } from '../../domain/delivery.js';
import type { CloudName } from '../../keys/clouds.js';
import { type Delivery, DeliveryError } from '../../ports/alertChannel.js';
import type { AlertDeliveryDeps } from './types.js';

/** The registry's runbook for a detection: the words a notification tells a responder to act on. */
function runbookOf(detection: string): string | undefined {
  return ALL_DETECTIONS.find((metadata) => metadata.id === detection)?.runbook;
}

/** Alerts listed in an incident's message besides its lead. */
const ALERTS_SHOWN = 6;

/** An entry that need not be sent: the one that tells what it would have told, or more. */
export interface Superseded {
  readonly by: string;
}

/**
 * What to send for an entry, read fresh from the store. A follow-up is superseded when its incident's post
 * was built after the follow-up was raised (so it told the same), and must `wait` while that post is on its
 * way; an alert revision is superseded by the alert's next one, whose own entry sends the newer state.
 */
export async function deliveryOf(store: AlertDeliveryDeps['store'], cloud: CloudName, entry: OutboxEntry): Promise<Delivery | Superseded | 'wait'> {
  const { notification } = entry;
  switch (notification.kind) {
    case 'alert':
    case 'alertRevision': {
      const alert = (await store.getAlert(notification.alertId))?.value.alert;
      if (alert === undefined) throw new DeliveryError(`alert ${notification.alertId} is not stored`, false);
      if (notification.kind === 'alertRevision') {
        // A newer revision's own entry sends the newer state; should a change have gone unplanned (a crash
        // between writing the alert and enqueuing), this entry sends it instead, as the row of that revision.
        const current = alertRevisionOf(alert);
        const newer = `${entry.channel}|alert|${alert.id}|${current}`;
        if (current > notification.revision && (await store.getOutboxEntry(newer)) !== undefined) return { by: newer };
      }
      return { id: entry.id, alert, content: { kind: 'incident', severity: alert.severity, heading: alert.title, others: [], links: [] } };
    }
    case 'incident':
    case 'incidentUpdate': {
      if (notification.kind === 'incidentUpdate') {
        const post = (await store.getOutboxEntry(`${entry.channel}|incident|${notification.incidentId}`))?.value;
        if (post?.status === 'pending') return 'wait';
        // The post read the incident when it was claimed (`lastAttemptAt`): claimed after this follow-up was
        // raised, it told the same. A tie goes to sending: a repeat beats a loss.
        if ((post?.status === 'delivered' || post?.status === 'accepted') && (post.lastAttemptAt ?? '') > entry.createdAt) return { by: post.id };
      }
      const incident = (await store.getIncident(notification.incidentId))?.value;
      if (incident === undefined) throw new DeliveryError(`incident ${notification.incidentId} is not stored`, false);
      const alerts = (await Promise.all(incident.alertIds.slice(-ALERTS_SHOWN).map((id) => store.getAlert(id)))).flatMap((stored) =>
        stored === undefined ? [] : [stored.value.alert],
      );
      return { id: entry.id, content: incidentContent(notification.kind, incident, alerts, cloud, runbookOf) };
    }
    case 'retraction': {
      const post = (await store.getOutboxEntry(`${entry.channel}|incident|${notification.incidentId}`))?.value;
      // Told after the incident's post, never before it.
      if (post?.status === 'pending') return 'wait';
      const alert = (await store.getAlert(notification.alertId))?.value.alert;
      if (alert === undefined) throw new DeliveryError(`alert ${notification.alertId} is not stored`, false);
      return { id: entry.id, content: retractionContent(alert, notification.incidentId) };
    }
    case 'digest':
      return { id: entry.id, content: digestContent(notification.minute, notification.lines, notification.total, entry.severity) };
    case 'test':
      return { id: entry.id, content: testContent(notification.requestedAt) };
  }
}

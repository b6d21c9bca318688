import type { z } from 'zod';
import { type TriageAction, TRIAGE_STATUS } from '../../../correlation/triage.js';
import { triageStoredAlert } from '../../triageAlert.js';
import * as schemas from '../adminSchemas.js';
import { ApiError } from '../apiError.js';
import { getRoute, idParam, listRoute, notFound, type Route } from './route.js';

const alertParams = { id: schemas.alertIdSchema };

/** `/alerts`: list and read alerts, acknowledge and resolve them. */
export const ALERT_ROUTES: readonly Route[] = [
  listRoute({
    path: '/alerts',
    operationId: 'listAlerts',
    summary: 'Alerts, newest event first, by status, severity, detection and event-time range; paged',
    query: schemas.alertListQuery,
    response: { status: 200, schema: schemas.alertPage, description: 'A page of alerts and the token for the next' },
    async *list(dependencies, { status, severity, detection, from, to }) {
      for await (const stored of dependencies.store.listAlerts({
        ...(status === undefined ? {} : { status }),
        ...(severity === undefined ? {} : { severity }),
        ...(detection === undefined ? {} : { detection }),
        ...(from === undefined ? {} : { occurredFrom: new Date(from).toISOString() }),
        ...(to === undefined ? {} : { occurredTo: new Date(to).toISOString() }),
      })) {
        yield stored.alert;
      }
    },
    key: (alert) => ({ time: alert.occurredAt, id: alert.id }),
  }),
  getRoute({
    path: '/alerts/{id}',
    operationId: 'getAlert',
    summary: 'One alert (README "Alerts")',
    params: alertParams,
    response: { status: 200, schema: schemas.alertResource, description: 'The alert' },
    kind: 'alert',
    load: (dependencies, id) => dependencies.store.getAlert(id),
    show: (stored) => stored.alert,
    sendsEtag: false,
  }),
  triageRoute('ack', 'acknowledge', 'acknowledgeAlert', 'Acknowledge an alert (someone is on it), with an optional note'),
  triageRoute('resolve', 'resolve', 'resolveAlert', 'Resolve an alert, with an optional note; later evidence still counts but notifies no one'),
];

/** `POST /alerts/{id}/ack` and `/resolve`. */
function triageRoute(verb: 'ack' | 'resolve', action: TriageAction, operationId: string, summary: string): Route {
  const status = TRIAGE_STATUS[action];
  return {
    method: 'POST',
    path: `/alerts/{id}/${verb}`,
    operationId,
    summary,
    access: 'write',
    params: alertParams,
    body: schemas.triageBody,
    bodyOptional: true,
    response: { status: 200, schema: schemas.alertResource, description: 'The alert as triaged' },
    audit: { action: verb === 'ack' ? 'alert.acknowledge' : 'alert.resolve', target: (params) => `alert:${params['id']}` },
    async handle(dependencies, { params, body, caller }) {
      const { note } = body as z.infer<typeof schemas.triageBody>;
      const id = idParam(params);
      const outcome = await triageStoredAlert(dependencies, id, action, { by: caller, note });
      if (outcome === undefined) throw notFound('alert', id);
      if ('refused' in outcome) throw new ApiError(409, 'conflict', outcome.refused);
      const noted = note === undefined ? '' : `; note: ${note}`;
      return { status: 200, body: outcome.alert, auditDetail: outcome.changed ? `${outcome.previousStatus} → ${status}${noted}` : `already ${status}${noted}` };
    },
  };
}

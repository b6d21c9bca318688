import type { z } from 'zod';
import { type TriageAction, TRIAGE_STATUS } from '../../../correlation/triage.js';
import { triageStoredIncident } from '../../triageIncident.js';
import * as schemas from '../adminSchemas.js';
import { ApiError } from '../apiError.js';
import { getRoute, idParam, listRoute, notFound, type Route } from './route.js';

const incidentParams = { id: schemas.incidentIdSchema };

/** `/incidents`: alerts grouped by a shared actor, listed, read, acknowledged and resolved. */
export const INCIDENT_ROUTES: readonly Route[] = [
  listRoute({
    path: '/incidents',
    operationId: 'listIncidents',
    summary: 'Incidents (alerts sharing an actor), latest activity first; paged',
    query: schemas.incidentListQuery,
    response: { status: 200, schema: schemas.incidentPage, description: 'A page of incidents' },
    async *list(dependencies, { status }) {
      for await (const incident of dependencies.store.listIncidents()) if (status === undefined || incident.status === status) yield incident;
    },
    key: (incident) => ({ time: incident.lastOccurredAt, id: incident.id }),
  }),
  getRoute({
    path: '/incidents/{id}',
    operationId: 'getIncident',
    summary: 'One incident',
    params: incidentParams,
    response: { status: 200, schema: schemas.incidentResource, description: 'The incident' },
    kind: 'incident',
    load: (dependencies, id) => dependencies.store.getIncident(id),
    show: (incident) => incident,
    sendsEtag: false,
  }),
  triageRoute('ack', 'acknowledge', 'acknowledgeIncident', 'Acknowledge an incident and its alerts, with an optional note'),
  triageRoute('resolve', 'resolve', 'resolveIncident', 'Resolve an incident and its alerts, with an optional note; a new alert joining opens it again'),
];

/** `POST /incidents/{id}/ack` and `/resolve`: one decision for the whole attack, written to each alert. */
function triageRoute(verb: 'ack' | 'resolve', action: TriageAction, operationId: string, summary: string): Route {
  const status = TRIAGE_STATUS[action];
  return {
    method: 'POST',
    path: `/incidents/{id}/${verb}`,
    operationId,
    summary,
    access: 'write',
    params: incidentParams,
    body: schemas.triageBody,
    bodyOptional: true,
    response: { status: 200, schema: schemas.incidentTriageResult, description: 'The incident as triaged, and how its alerts fared' },
    audit: { action: verb === 'ack' ? 'incident.acknowledge' : 'incident.resolve', target: (params) => `incident:${params['id']}` },
    async handle(dependencies, { params, body, caller }) {
      const { note } = body as z.infer<typeof schemas.triageBody>;
      const id = idParam(params);
      const outcome = await triageStoredIncident(dependencies, id, action, { by: caller, note });
      if (outcome === undefined) throw notFound('incident', id);
      if ('refused' in outcome) throw new ApiError(409, 'conflict', outcome.refused);
      const { alerts } = outcome;
      const counted = `${alerts.changed} alerts ${status}${alerts.left.length === 0 ? '' : `, ${alerts.left.length} left as they were`}`;
      const noted = note === undefined ? '' : `; note: ${note}`;
      const transition = outcome.changed ? `${outcome.previousStatus} → ${status}` : `already ${status}`;
      return { status: 200, body: { incident: outcome.incident, alerts }, auditDetail: `${transition}; ${counted}${noted}` };
    },
  };
}

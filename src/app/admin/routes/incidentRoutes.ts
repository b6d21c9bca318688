import * as schemas from '../adminSchemas.js';
import { getRoute, listRoute, type Route } from './route.js';

/** `/incidents`: alerts grouped by a shared actor, listed and read. */
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
    params: { id: schemas.incidentIdSchema },
    response: { status: 200, schema: schemas.incidentResource, description: 'The incident' },
    kind: 'incident',
    load: (dependencies, id) => dependencies.store.getIncident(id),
    show: (incident) => incident,
    sendsEtag: false,
  }),
];

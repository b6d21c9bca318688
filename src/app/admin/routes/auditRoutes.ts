import * as schemas from '../adminSchemas.js';
import { listRoute, type Route } from './route.js';

/** `/audit`: the trail of changes made through the API. */
export const AUDIT_ROUTES: readonly Route[] = [
  listRoute({
    path: '/audit',
    operationId: 'listAudit',
    summary: 'The audit trail: who changed what through this API, newest first; paged',
    query: schemas.auditListQuery,
    response: { status: 200, schema: schemas.auditPage, description: 'A page of audit entries' },
    list: (dependencies, { from, to }) =>
      dependencies.store.listAuditEntries({
        ...(from === undefined ? {} : { from: new Date(from).toISOString() }),
        ...(to === undefined ? {} : { to: new Date(to).toISOString() }),
      }),
    key: (entry) => ({ time: entry.at, id: entry.id }),
  }),
];

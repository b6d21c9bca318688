import * as schemas from '../adminSchemas.js';
import { readStatusReport } from '../statusReport.js';
import type { Route } from './route.js';

/** `/status`: the health report. */
export const STATUS_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/status',
    operationId: 'getStatus',
    summary:
      'Health: per source last event, lag, expected streams that never delivered, records and dead letters in the last hour; per channel delivery; key-set freshness; audit subscriptions',
    access: 'read',
    query: schemas.emptyQuery,
    response: { status: 200, schema: schemas.statusResource, description: 'The status report' },
    async handle(dependencies) {
      return { status: 200, body: await readStatusReport(dependencies) };
    },
  },
];

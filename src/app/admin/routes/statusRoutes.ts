import * as schemas from '../adminSchemas.js';
import { lastHourSince, statusReportOf } from '../statusReport.js';
import type { Route } from './route.js';

/** `/status`: the health report. */
export const STATUS_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/status',
    operationId: 'getStatus',
    summary: 'Health: per source last event, lag, records and dead letters in the last hour; per channel delivery; key-set freshness',
    access: 'read',
    query: schemas.emptyQuery,
    response: { status: 200, schema: schemas.statusResource, description: 'The status report' },
    async handle(dependencies) {
      const now = dependencies.clock.now();
      const [streams, counts, channels, keySetFetches] = await Promise.all([
        dependencies.store.listStreams(),
        dependencies.store.listStreamCounts(lastHourSince(now)),
        dependencies.delivery.status(),
        dependencies.store.listKeySetFetches(),
      ]);
      return { status: 200, body: statusReportOf({ now, streams, counts, channels, keySetFetches }) };
    },
  },
];

import { ALL_DETECTIONS } from '../../../detections/index.js';
import * as schemas from '../adminSchemas.js';
import type { Route } from './route.js';

/** `/detections`: what each detection means and what to do first, for the console beside each alert. */
export const DETECTION_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/detections',
    operationId: 'listDetections',
    summary: 'Every detection Lure raises: id, title, description, severities, ATT&CK techniques and the runbook',
    access: 'read',
    query: schemas.emptyQuery,
    response: { status: 200, schema: schemas.detectionList, description: 'The detections' },
    handle: () =>
      Promise.resolve({
        status: 200,
        body: {
          items: ALL_DETECTIONS.map(({ id, title, description, severities, attack, d3fend, runbook }) => ({
            id,
            title,
            description,
            severities,
            attack,
            d3fend,
            runbook,
          })),
        },
      }),
  },
];

import { ALERT_ROUTES } from './routes/alertRoutes.js';
import { AUDIT_ROUTES } from './routes/auditRoutes.js';
import { DEAD_LETTER_ROUTES } from './routes/deadLetterRoutes.js';
import { DETECTION_ROUTES } from './routes/detectionRoutes.js';
import { DECOY_ROUTES } from './routes/decoyRoutes.js';
import { INCIDENT_ROUTES } from './routes/incidentRoutes.js';
import type { Route } from './routes/route.js';
import { STATUS_ROUTES } from './routes/statusRoutes.js';

/**
 * Every route of the admin API. The OpenAPI document and both hosts (Functions, local) serve exactly these,
 * in this order (the document's paths follow it).
 */
export const ADMIN_ROUTES: readonly Route[] = [
  ...DECOY_ROUTES,
  ...ALERT_ROUTES,
  ...INCIDENT_ROUTES,
  ...STATUS_ROUTES,
  ...AUDIT_ROUTES,
  ...DEAD_LETTER_ROUTES,
  ...DETECTION_ROUTES,
];

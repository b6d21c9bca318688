import { app } from '@azure/functions';
import { adminHttpHandler } from '../src/host/functions/httpTrigger.js';

/** The admin API: every route under /api (routed, authenticated and validated in src/app/admin). */
export const adminApi = adminHttpHandler;

app.http('adminApi', { methods: ['GET', 'POST', 'PATCH', 'DELETE'], authLevel: 'anonymous', route: '{*path}', handler: adminApi });

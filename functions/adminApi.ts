import { app } from '@azure/functions';
import { adminHttpHandler } from '../src/host/functions/httpTrigger.js';

/** The admin API (every route under /api: routed, authenticated and validated in src/app/admin) and the web console (every other path). */
export const adminApi = adminHttpHandler;

app.http('adminApi', { methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'], authLevel: 'anonymous', route: '{*path}', handler: adminApi });

import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/** Every minute: send the outbox entries whose next attempt is due (retries, digests, what a crash left). */
export const deliverAlerts = timerHandler('deliverAlerts', (services) => services.deliverAlerts());

app.timer('deliverAlerts', { schedule: '0 * * * * *', handler: deliverAlerts });

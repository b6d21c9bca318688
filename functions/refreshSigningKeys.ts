import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/** Hourly: fetch the tenant's, the consumer and configured apps' published signing keys. */
export const refreshSigningKeys = timerHandler('refreshSigningKeys', (services) => services.refreshSigningKeys());

app.timer('refreshSigningKeys', { schedule: '0 7 * * * *', handler: refreshSigningKeys });

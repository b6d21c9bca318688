import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/** Daily: drop token issuances, unjudgeable checks and dead letters past their retention. */
export const pruneState = timerHandler('pruneState', (services) => services.prune());

app.timer('pruneState', { schedule: '0 17 3 * * *', handler: pruneState });

import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/** Every five minutes: raise `source.silent` for a stream that stopped delivering, clear it when it flows. */
export const checkSources = timerHandler('checkSources', (services) => services.checkSources());

app.timer('checkSources', { schedule: '0 */5 * * * *', handler: checkSources });

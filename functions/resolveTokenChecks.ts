import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/** Every five minutes: judge the token uses whose grace period the sign-in streams have passed. */
export const resolveTokenChecks = timerHandler('resolveTokenChecks', (services) => services.resolveTokenChecks());

app.timer('resolveTokenChecks', { schedule: '0 */5 * * * *', handler: resolveTokenChecks });

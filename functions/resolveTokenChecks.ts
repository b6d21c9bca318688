import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/**
 * On `LURE_TOKEN_CHECK_SCHEDULE` (every minute as deployed): judge the token uses whose grace period the
 * sign-in streams have passed, so a due check waits at most a minute for its verdict.
 */
export const resolveTokenChecks = timerHandler('resolveTokenChecks', (services) => services.resolveTokenChecks());

app.timer('resolveTokenChecks', { schedule: '%LURE_TOKEN_CHECK_SCHEDULE%', handler: resolveTokenChecks });

import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/** Every five minutes: copy new Management Activity API content (Exchange, Entra audit) into the Exchange hub. */
export const pollAuditContent = timerHandler('pollAuditContent', (services) => services.pollAuditContent());

app.timer('pollAuditContent', { schedule: '0 */5 * * * *', handler: pollAuditContent });

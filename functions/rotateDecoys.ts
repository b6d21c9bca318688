import { app } from '@azure/functions';
import { timerHandler } from '../src/host/functions/timerTrigger.js';

/**
 * Hourly: finish or undo any decoy operation a crash interrupted, sweep Lure's leftovers from the tenant,
 * rotate the decoys that are due, and ask the admins to rotate those planted by hand.
 */
export const rotateDecoys = timerHandler('rotateDecoys', (services) => services.rotateDecoys());

app.timer('rotateDecoys', { schedule: '0 23 * * * *', handler: rotateDecoys });

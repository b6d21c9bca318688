import { app } from '@azure/functions';
import { eventHubHandler, eventHubOptions } from '../src/host/functions/eventHubTrigger.js';

/** Entra hub (sign-ins, directory audit, Graph activity): every record through the ingest pipeline. */
export const entraEvents = eventHubHandler('entra');

app.eventHub('entraEvents', eventHubOptions('entra', entraEvents));

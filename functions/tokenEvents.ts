import { app } from '@azure/functions';
import { eventHubHandler, eventHubOptions } from '../src/host/functions/eventHubTrigger.js';

/** Token hub (TokenObservation records from API gateways): every record through the ingest pipeline. */
export const tokenEvents = eventHubHandler('token');

app.eventHub('tokenEvents', eventHubOptions('token', tokenEvents));

import { app } from '@azure/functions';
import { eventHubHandler, eventHubOptions } from '../src/host/functions/eventHubTrigger.js';

/** Exchange hub (Management Activity API records, Defender streaming): every record through the ingest pipeline. */
export const exchangeEvents = eventHubHandler('exchange');

app.eventHub('exchangeEvents', eventHubOptions('exchange', exchangeEvents));

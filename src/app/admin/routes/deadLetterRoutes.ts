import * as schemas from '../adminSchemas.js';
import { listRoute, type Route } from './route.js';

/** `/dead-letters`: the records Lure could not read. */
export const DEAD_LETTER_ROUTES: readonly Route[] = [
  listRoute({
    path: '/dead-letters',
    operationId: 'listDeadLetters',
    summary: 'Records Lure could not read (reason, origin, time, redacted excerpt), newest first; paged',
    query: schemas.deadLetterListQuery,
    response: { status: 200, schema: schemas.deadLetterPage, description: 'A page of dead letters' },
    list: (dependencies) => dependencies.store.listDeadLetters(),
    key: (letter) => ({ time: letter.receivedAt, id: letter.id }),
  }),
];

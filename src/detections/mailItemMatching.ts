import type { DecoyIndex } from '../decoys/decoyIndex.js';
import type { MailItemDecoy } from '../domain/decoys.js';
import type { MailItemRef } from '../domain/events.js';
import type { GraphRequestPath } from './graphRequest.js';

/** Decoy messages among `items`, each once, in the order first met. Any of an item's ids may match. */
export function mailItemDecoysIn(items: readonly MailItemRef[], decoys: DecoyIndex): MailItemDecoy[] {
  const found = new Map<string, MailItemDecoy>();
  for (const item of items) {
    const decoy = decoys.findAny<'mailItem'>([
      ['internetMessageId', item.internetMessageId],
      ['mailItemId', item.itemId],
      ['mailItemId', item.immutableId],
    ]);
    if (decoy !== undefined && !found.has(decoy.id)) found.set(decoy.id, decoy);
  }
  return [...found.values()];
}

/** A message or mail folder a Graph request addressed: `/users/{mailbox}/messages/{id}/…`, `/me/mailFolders/{id}/messages`. */
export interface GraphMailReference {
  readonly mailbox?: string;
  readonly messageId?: string;
  readonly folderId?: string;
  /** What follows the message or folder (`move`, `attachments`, `$value`), lower-cased. */
  readonly action?: string;
}

export function graphMailReferenceOf(path: GraphRequestPath): GraphMailReference | undefined {
  if (path.collection !== 'users' && path.collection !== 'me') return undefined;
  const mailbox = path.collection === 'users' ? path.key : undefined;
  const [first, second, third, fourth, fifth] = path.rest;
  const written = path.restAsWritten;
  if (first === 'messages' && second !== undefined) return { mailbox, messageId: written[1], action: third };
  // A folder's own properties are not its messages: only `/mailFolders/{id}/messages[/{id}]` reads mail.
  if (first === 'mailfolders' && second !== undefined && third === 'messages') {
    return { mailbox, folderId: written[1], messageId: written[3], action: fourth === undefined ? undefined : fifth };
  }
  return undefined;
}

/** The decoy a Graph mail reference points at: the message by any of its ids, or a dedicated decoy folder. */
export function mailItemDecoyOf(reference: GraphMailReference, decoys: DecoyIndex): MailItemDecoy | undefined {
  return decoys.findAny<'mailItem'>([
    ['mailItemId', reference.messageId],
    ['dedicatedFolderId', reference.folderId],
  ]);
}

import MailComposer from 'nodemailer/lib/mail-composer';
import { DirectoryError, type DirectoryMessage, type ExchangeIdForms, type NewMessage, type OutgoingMail } from '../../ports/directory.js';
import { type GraphClient, odataString, type RawPage } from './graphClient.js';

/**
 * The extended property that carries Lure's marker on a message: a named property in a namespace of
 * Lure's own, which Outlook and OWA do not show. The name is bland on purpose.
 */
export const MARKER_PROPERTY_ID = 'String {3b1f0a52-8c64-4f0e-9d1a-6f2f4c1e7a90} Name ref';
/** PR_MESSAGE_FLAGS: 1 (read, not unsent) so a message created through Graph is not a draft. */
const MESSAGE_FLAGS_PROPERTY_ID = 'Integer 0x0E07';

interface RawMessage {
  readonly id?: unknown;
  readonly internetMessageId?: unknown;
  readonly singleValueExtendedProperties?: readonly { readonly id?: string; readonly value?: unknown }[];
}

export async function findMailFolder(graph: GraphClient, mailbox: string, displayName: string): Promise<string | undefined> {
  const found = await graph.call<{ value?: { id?: unknown }[] }>('GET /users/{id}/mailFolders', (client) =>
    client
      .api(`/users/${encodeURIComponent(mailbox)}/mailFolders`)
      .filter(`displayName eq '${odataString(displayName)}'`)
      .select(['id', 'displayName'])
      .get(),
  );
  const id = found.value?.[0]?.id;
  return typeof id === 'string' ? id : undefined;
}

export async function ensureMailFolder(graph: GraphClient, mailbox: string, displayName: string): Promise<string> {
  const existing = await findMailFolder(graph, mailbox, displayName);
  if (existing !== undefined) return existing;
  const call = 'POST /users/{id}/mailFolders';
  try {
    const created = await graph.call<{ id?: unknown }>(call, (client) =>
      client.api(`/users/${encodeURIComponent(mailbox)}/mailFolders`).post({ displayName, isHidden: false }),
    );
    if (typeof created.id !== 'string') throw new DirectoryError(call, 'the response has no id');
    return created.id;
  } catch (error) {
    // A retried POST whose first attempt went through is refused (409 ErrorFolderExists): the folder is there.
    if (!(error instanceof DirectoryError) || error.status !== 409) throw error;
    const made = await findMailFolder(graph, mailbox, displayName);
    if (made === undefined) throw error;
    return made;
  }
}

export async function createMessage(graph: GraphClient, mailbox: string, folderId: string, message: NewMessage): Promise<DirectoryMessage> {
  const call = 'POST /users/{id}/mailFolders/{id}/messages';
  const created = await graph.call<RawMessage>(
    call,
    (client) =>
      client.api(`/users/${encodeURIComponent(mailbox)}/mailFolders/${encodeURIComponent(folderId)}/messages`).post({
        subject: message.subject,
        body: { contentType: 'text', content: message.body },
        from: { emailAddress: { name: message.from.name, address: message.from.address } },
        toRecipients: [{ emailAddress: { address: mailbox } }],
        singleValueExtendedProperties: [
          { id: MESSAGE_FLAGS_PROPERTY_ID, value: '1' },
          { id: MARKER_PROPERTY_ID, value: message.marker },
        ],
      }),
    { sensitive: true },
  );
  if (typeof created.id !== 'string') throw new DirectoryError(call, 'the response has no id');
  return messageOf(created, message.marker);
}

export async function listMessages(graph: GraphClient, mailbox: string, folderId: string): Promise<DirectoryMessage[]> {
  const call = 'GET /users/{id}/mailFolders/{id}/messages';
  const messages: DirectoryMessage[] = [];
  let page = await graph.call<RawPage<RawMessage>>(call, (client) =>
    client
      .api(`/users/${encodeURIComponent(mailbox)}/mailFolders/${encodeURIComponent(folderId)}/messages`)
      .select(['id', 'internetMessageId'])
      .expand(`singleValueExtendedProperties($filter=id eq '${MARKER_PROPERTY_ID}')`)
      .top(100)
      .get(),
  );
  for (;;) {
    for (const raw of page.value ?? []) {
      const marker = raw.singleValueExtendedProperties?.find((property) => property.id?.toLowerCase() === MARKER_PROPERTY_ID.toLowerCase())?.value;
      if (typeof raw.id === 'string') messages.push(messageOf(raw, typeof marker === 'string' ? marker : undefined));
    }
    const next = page['@odata.nextLink'];
    if (typeof next !== 'string') return messages;
    page = await graph.call<RawPage<RawMessage>>(call, (client) => client.api(next).get());
  }
}

export async function deleteMessage(graph: GraphClient, mailbox: string, messageId: string): Promise<void> {
  await graph.callOrMissing('DELETE /users/{id}/messages/{id}', (client) =>
    client.api(`/users/${encodeURIComponent(mailbox)}/messages/${encodeURIComponent(messageId)}`).delete(),
  );
}

export async function translateExchangeId(graph: GraphClient, mailbox: string, restId: string): Promise<ExchangeIdForms> {
  const forms: { -readonly [K in keyof ExchangeIdForms]: ExchangeIdForms[K] } = { restId };
  for (const target of ['restImmutableEntryId', 'ewsId', 'entryId', 'immutableEntryId'] as const) {
    let translated: { value?: { sourceId?: unknown; targetId?: unknown }[] };
    try {
      translated = await graph.call('POST /users/{id}/translateExchangeIds', (client) =>
        client.api(`/users/${encodeURIComponent(mailbox)}/translateExchangeIds`).post({ inputIds: [restId], sourceIdType: 'restId', targetIdType: target }),
      );
    } catch (error) {
      // Graph documents translateExchangeIds for delegated permissions only (and not in US Government
      // clouds): as Lure's own identity it is refused. The EWS form is the REST id's base64 alphabet
      // restored; the binary forms cannot be derived here, so matching leans on the message id.
      if (error instanceof DirectoryError && (error.status === 403 || error.status === 400 || error.status === 401 || error.status === 404))
        return { restId, ewsId: ewsIdOf(restId) };
      throw error;
    }
    const targetId = translated.value?.[0]?.targetId;
    if (typeof targetId === 'string' && targetId !== '') forms[target] = targetId;
  }
  return forms;
}

export async function sendMail(graph: GraphClient, sender: string, mail: OutgoingMail): Promise<void> {
  // Graph's JSON message has one body; a MIME message (base64, as text/plain) carries HTML and text alike.
  const mime = await new MailComposer({ from: sender, to: [...mail.to], subject: mail.subject, html: mail.html, text: mail.text }).compile().build();
  await graph.call(
    'POST /users/{id}/sendMail',
    (client) =>
      client
        .api(`/users/${encodeURIComponent(sender)}/sendMail`)
        .header('Content-Type', 'text/plain')
        .post(mime.toString('base64')),
    // One attempt: the alert outbox retries, and a send must end within its claim.
    { sensitive: true, attempts: 1 },
  );
}

/** A Graph REST id is its EWS id in the URL-safe base64 alphabet. */
function ewsIdOf(restId: string): string {
  return restId.replaceAll('-', '/').replaceAll('_', '+');
}

function messageOf(raw: RawMessage, marker: string | undefined): DirectoryMessage {
  return {
    id: String(raw.id),
    ...(typeof raw.internetMessageId === 'string' ? { internetMessageId: raw.internetMessageId } : {}),
    ...(marker === undefined ? {} : { marker }),
  };
}

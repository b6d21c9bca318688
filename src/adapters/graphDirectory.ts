import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, type Context, GraphError, HTTPMessageHandler, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import MailComposer from 'nodemailer/lib/mail-composer';
import {
  type Directory,
  DirectoryError,
  type DirectoryApplication,
  type DirectoryMessage,
  type DirectoryUser,
  type ExchangeIdForms,
  type NewDirectoryUser,
  type NewMessage,
  type NewPasswordCredential,
  type OutgoingMail,
  type PasswordCredentialInfo,
} from '../ports/directory.js';
import type { TenantAdministration } from '../ports/tenantAdministration.js';
import { isRetryableStatus, type RetryOptions, retryAfterOf, withRetries } from './retries.js';

export interface GraphDirectoryOptions extends RetryOptions {
  /** `https://graph.microsoft.com` in the public cloud; a loopback host in tests. */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  /** Each attempt is abandoned after this long. */
  readonly timeoutInMs: number;
}

/**
 * The extended property that carries Lure's marker on a message: a named property in a namespace of
 * Lure's own, which Outlook and OWA do not show. The name is bland on purpose.
 */
export const MARKER_PROPERTY_ID = 'String {3b1f0a52-8c64-4f0e-9d1a-6f2f4c1e7a90} Name ref';
/** PR_MESSAGE_FLAGS: 1 (read, not unsent) so a message created through Graph is not a draft. */
const MESSAGE_FLAGS_PROPERTY_ID = 'Integer 0x0E07';

/** Graph hosts the client attaches tokens to without being told; any other host is a custom (test) host. */
const KNOWN_GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

/**
 * The `Directory` port over Microsoft Graph v1.0, through `@microsoft/microsoft-graph-client` with a token
 * from `@azure/identity`. Retries (network errors, timeouts, 429, 5xx; `Retry-After` honoured) wrap each
 * call here rather than in the client's RetryHandler, which retries neither network errors nor timeouts.
 */
export class GraphDirectory implements Directory, TenantAdministration {
  private readonly client: Client;

  constructor(private readonly options: GraphDirectoryOptions) {
    const base = new URL(options.baseUrl);
    const scope = `${base.origin}/.default`;
    const authProvider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [scope] });
    this.client = Client.initWithMiddleware({
      baseUrl: base.origin,
      defaultVersion: 'v1.0',
      middleware: [new AuthenticationHandler(authProvider), new TimeoutHandler(options.timeoutInMs), new HTTPMessageHandler()],
      ...(KNOWN_GRAPH_HOSTS.has(base.hostname) ? {} : { customHosts: new Set([base.hostname]) }),
    });
  }

  async createUser(user: NewDirectoryUser): Promise<DirectoryUser> {
    const created = await this.call<RawUser>('POST /users', (client) =>
      client.api('/users').post({
        accountEnabled: true,
        userPrincipalName: user.userPrincipalName,
        displayName: user.displayName,
        mailNickname: user.mailNickname,
        ...(user.givenName === undefined ? {} : { givenName: user.givenName }),
        ...(user.surname === undefined ? {} : { surname: user.surname }),
        ...(user.jobTitle === undefined ? {} : { jobTitle: user.jobTitle }),
        ...(user.department === undefined ? {} : { department: user.department }),
        passwordProfile: { password: user.password, forceChangePasswordNextSignIn: false },
      }),
      { sensitive: true },
    );
    return userOf(created);
  }

  async getUser(idOrUserPrincipalName: string): Promise<DirectoryUser | undefined> {
    const user = await this.callOrMissing<RawUser>('GET /users/{id}', (client) =>
      client.api(`/users/${encodeURIComponent(idOrUserPrincipalName)}`).select(['id', 'userPrincipalName', 'accountEnabled']).get(),
    );
    return user === undefined ? undefined : userOf(user);
  }

  async resetUserPassword(userId: string, password: string): Promise<void> {
    await this.call('PATCH /users/{id} passwordProfile', (client) =>
      client.api(`/users/${encodeURIComponent(userId)}`).patch({ passwordProfile: { password, forceChangePasswordNextSignIn: false } }),
      { sensitive: true, justCreated: true },
    );
  }

  async deleteUser(userId: string): Promise<void> {
    await this.callOrMissing('DELETE /users/{id}', (client) => client.api(`/users/${encodeURIComponent(userId)}`).delete());
  }

  async upsertApplication(uniqueName: string, displayName: string): Promise<DirectoryApplication> {
    const path = `/applications(uniqueName='${odataString(uniqueName)}')`;
    // 201 with the new application, or 204 when it already existed (a retried create): then read it.
    const created = await this.call<RawApplication | undefined>('PATCH /applications(uniqueName)', (client) =>
      client.api(path).header('Prefer', 'create-if-missing').patch({ displayName, signInAudience: 'AzureADMyOrg' }),
    );
    if (created !== undefined && typeof created === 'object' && 'appId' in created) return applicationOf(created);
    return applicationOf(await this.call<RawApplication>('GET /applications(uniqueName)', (client) => client.api(path).select(APPLICATION_FIELDS).get(), { justCreated: true }));
  }

  async getApplicationByUniqueName(uniqueName: string): Promise<DirectoryApplication | undefined> {
    const application = await this.callOrMissing<RawApplication>('GET /applications(uniqueName)', (client) =>
      client.api(`/applications(uniqueName='${odataString(uniqueName)}')`).select(APPLICATION_FIELDS).get(),
    );
    return application === undefined ? undefined : applicationOf(application);
  }

  async getApplication(objectId: string): Promise<DirectoryApplication | undefined> {
    const application = await this.callOrMissing<RawApplication>('GET /applications/{id}', (client) =>
      client.api(`/applications/${encodeURIComponent(objectId)}`).select(APPLICATION_FIELDS).get(),
    );
    return application === undefined ? undefined : applicationOf(application);
  }

  async upsertServicePrincipal(appId: string): Promise<string> {
    const path = `/servicePrincipals(appId='${odataString(appId)}')`;
    const created = await this.call<{ id?: unknown } | undefined>('PATCH /servicePrincipals(appId)', (client) =>
      client.api(path).header('Prefer', 'create-if-missing').patch({}),
      { justCreated: true },
    );
    if (typeof created?.id === 'string') return created.id;
    const existing = await this.call<{ id?: unknown }>('GET /servicePrincipals(appId)', (client) => client.api(path).select(['id']).get(), { justCreated: true });
    if (typeof existing.id !== 'string') throw new DirectoryError('GET /servicePrincipals(appId)', 'the response has no id');
    return existing.id;
  }

  async addApplicationPassword(objectId: string, credential: { readonly displayName: string; readonly endDateTime: string }): Promise<NewPasswordCredential> {
    const call = 'POST /applications/{id}/addPassword';
    const added = await this.call<RawPasswordCredential>(call, (client) =>
      client.api(`/applications/${encodeURIComponent(objectId)}/addPassword`).post({ passwordCredential: credential }),
      { justCreated: true },
    );
    if (typeof added.secretText !== 'string' || typeof added.keyId !== 'string') throw new DirectoryError(call, 'the response lacks keyId or secretText');
    return { ...passwordCredentialOf(added), secretText: added.secretText };
  }

  async removeApplicationPassword(objectId: string, keyId: string): Promise<void> {
    const call = 'POST /applications/{id}/removePassword';
    try {
      await this.call(call, (client) => client.api(`/applications/${encodeURIComponent(objectId)}/removePassword`).post({ keyId }));
    } catch (error) {
      // Graph answers 400 or 404 for a credential already removed: removal is done if it is not listed.
      if (!(error instanceof DirectoryError) || (error.status !== 400 && error.status !== 404)) throw error;
      const application = await this.getApplication(objectId);
      if (application !== undefined && application.passwordCredentials.some((existing) => existing.keyId === keyId)) throw error;
    }
  }

  async deleteApplication(objectId: string): Promise<void> {
    await this.callOrMissing('DELETE /applications/{id}', (client) => client.api(`/applications/${encodeURIComponent(objectId)}`).delete());
  }

  async findMailFolder(mailbox: string, displayName: string): Promise<string | undefined> {
    const found = await this.call<{ value?: { id?: unknown }[] }>('GET /users/{id}/mailFolders', (client) =>
      client.api(`/users/${encodeURIComponent(mailbox)}/mailFolders`).filter(`displayName eq '${odataString(displayName)}'`).select(['id', 'displayName']).get(),
    );
    const id = found.value?.[0]?.id;
    return typeof id === 'string' ? id : undefined;
  }

  async ensureMailFolder(mailbox: string, displayName: string): Promise<string> {
    const existing = await this.findMailFolder(mailbox, displayName);
    if (existing !== undefined) return existing;
    const call = 'POST /users/{id}/mailFolders';
    try {
      const created = await this.call<{ id?: unknown }>(call, (client) => client.api(`/users/${encodeURIComponent(mailbox)}/mailFolders`).post({ displayName, isHidden: false }));
      if (typeof created.id !== 'string') throw new DirectoryError(call, 'the response has no id');
      return created.id;
    } catch (error) {
      // A retried POST whose first attempt went through is refused (409 ErrorFolderExists): the folder is there.
      if (!(error instanceof DirectoryError) || error.status !== 409) throw error;
      const made = await this.findMailFolder(mailbox, displayName);
      if (made === undefined) throw error;
      return made;
    }
  }

  async createMessage(mailbox: string, folderId: string, message: NewMessage): Promise<DirectoryMessage> {
    const call = 'POST /users/{id}/mailFolders/{id}/messages';
    const created = await this.call<RawMessage>(call, (client) =>
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

  async listMessages(mailbox: string, folderId: string): Promise<DirectoryMessage[]> {
    const call = 'GET /users/{id}/mailFolders/{id}/messages';
    const messages: DirectoryMessage[] = [];
    let page = await this.call<RawPage<RawMessage>>(call, (client) =>
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
      page = await this.call<RawPage<RawMessage>>(call, (client) => client.api(next).get());
    }
  }

  async deleteMessage(mailbox: string, messageId: string): Promise<void> {
    await this.callOrMissing('DELETE /users/{id}/messages/{id}', (client) =>
      client.api(`/users/${encodeURIComponent(mailbox)}/messages/${encodeURIComponent(messageId)}`).delete(),
    );
  }

  async translateExchangeId(mailbox: string, restId: string): Promise<ExchangeIdForms> {
    const forms: { -readonly [K in keyof ExchangeIdForms]: ExchangeIdForms[K] } = { restId };
    for (const target of ['restImmutableEntryId', 'ewsId', 'entryId', 'immutableEntryId'] as const) {
      let translated: { value?: { sourceId?: unknown; targetId?: unknown }[] };
      try {
        translated = await this.call('POST /users/{id}/translateExchangeIds', (client) =>
          client.api(`/users/${encodeURIComponent(mailbox)}/translateExchangeIds`).post({ inputIds: [restId], sourceIdType: 'restId', targetIdType: target }),
        );
      } catch (error) {
        // Graph documents translateExchangeIds for delegated permissions only (and not in US Government
        // clouds): as Lure's own identity it is refused. The EWS form is the REST id's base64 alphabet
        // restored; the binary forms cannot be derived here, so matching leans on the message id.
        if (error instanceof DirectoryError && (error.status === 403 || error.status === 400 || error.status === 401 || error.status === 404)) return { restId, ewsId: ewsIdOf(restId) };
        throw error;
      }
      const targetId = translated.value?.[0]?.targetId;
      if (typeof targetId === 'string' && targetId !== '') forms[target] = targetId;
    }
    return forms;
  }

  async sendMail(sender: string, mail: OutgoingMail): Promise<void> {
    // Graph's JSON message has one body; a MIME message (base64, as text/plain) carries HTML and text alike.
    const mime = await new MailComposer({ from: sender, to: [...mail.to], subject: mail.subject, html: mail.html, text: mail.text }).compile().build();
    await this.call(
      'POST /users/{id}/sendMail',
      (client) => client.api(`/users/${encodeURIComponent(sender)}/sendMail`).header('Content-Type', 'text/plain').post(mime.toString('base64')),
      // One attempt: the alert outbox retries, and a send must end within its claim.
      { sensitive: true, attempts: 1 },
    );
  }

  async findAdministrativeUnits(displayName: string): Promise<{ readonly id: string; readonly visibility?: string }[]> {
    const found = await this.call<{ value?: { id: string; visibility?: string | null }[] }>('GET /directory/administrativeUnits', (client) =>
      client.api('/directory/administrativeUnits').filter(`displayName eq '${odataString(displayName)}'`).select(['id', 'visibility']).get(),
    );
    return (found.value ?? []).map(({ id, visibility }) => ({ id, ...(typeof visibility === 'string' ? { visibility } : {}) }));
  }

  async createAdministrativeUnit(displayName: string, description: string): Promise<string> {
    const created = await this.call<{ id: string }>('POST /directory/administrativeUnits', (client) =>
      client.api('/directory/administrativeUnits').post({ displayName, description, visibility: 'HiddenMembership' }),
      // Not retried: a create whose answer was lost would make a second unit.
      { attempts: 1 },
    );
    return created.id;
  }

  async listAdministrativeUnitMembers(unitId: string): Promise<Set<string>> {
    return this.listIds('GET /directory/administrativeUnits/{id}/members', `/directory/administrativeUnits/${encodeURIComponent(unitId)}/members`);
  }

  async addAdministrativeUnitMember(unitId: string, objectId: string): Promise<void> {
    await this.addReference('POST /directory/administrativeUnits/{id}/members/$ref', `/directory/administrativeUnits/${encodeURIComponent(unitId)}/members/$ref`, objectId);
  }

  async listRoleAssignments(principalId: string): Promise<{ readonly roleDefinitionId: string; readonly directoryScopeId: string }[]> {
    const found = await this.call<{ value?: { roleDefinitionId: string; directoryScopeId: string }[] }>('GET /roleManagement/directory/roleAssignments', (client) =>
      client.api('/roleManagement/directory/roleAssignments').filter(`principalId eq '${odataString(principalId)}'`).get(),
    );
    return (found.value ?? []).map(({ roleDefinitionId, directoryScopeId }) => ({ roleDefinitionId, directoryScopeId }));
  }

  async createRoleAssignment(principalId: string, roleDefinitionId: string, directoryScopeId: string): Promise<void> {
    await this.call('POST /roleManagement/directory/roleAssignments', (client) =>
      client.api('/roleManagement/directory/roleAssignments').post({ '@odata.type': '#microsoft.graph.unifiedRoleAssignment', principalId, roleDefinitionId, directoryScopeId }),
      { attempts: 1 },
    );
  }

  async listApplicationOwners(applicationObjectId: string): Promise<Set<string>> {
    return this.listIds('GET /applications/{id}/owners', `/applications/${encodeURIComponent(applicationObjectId)}/owners`);
  }

  async addApplicationOwner(applicationObjectId: string, principalId: string): Promise<void> {
    await this.addReference('POST /applications/{id}/owners/$ref', `/applications/${encodeURIComponent(applicationObjectId)}/owners/$ref`, principalId);
  }

  /**
   * Adds a directory object to a reference collection. Graph answers 400 when it is there already, which is
   * also what a retry meets after an attempt whose answer was lost: that is success.
   */
  private async addReference(name: string, path: string, objectId: string): Promise<void> {
    try {
      await this.call(name, (client) => client.api(path).post({ '@odata.id': `${new URL(this.options.baseUrl).origin}/v1.0/directoryObjects/${objectId}` }));
    } catch (error) {
      if (error instanceof DirectoryError && error.status === 400 && /already exist/i.test(error.message)) return;
      throw error;
    }
  }

  /** The ids of a directory collection, every page. */
  private async listIds(name: string, path: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let page = await this.call<{ value?: { id: string }[]; '@odata.nextLink'?: string }>(name, (client) => client.api(path).select(['id']).top(999).get());
    for (;;) {
      for (const item of page.value ?? []) ids.add(item.id);
      const next = page['@odata.nextLink'];
      if (next === undefined) return ids;
      page = await this.call(name, (client) => client.api(next).get());
    }
  }

  /**
   * One Graph call with retries; a failure becomes a `DirectoryError` naming the call and its last status.
   * `sensitive`: the request carries a secret or lure text, so the error keeps Graph's code and drops its
   * message, which might quote the request. `justCreated`: the object was made moments ago and the
   * directory may not have replicated it yet, so a 404 is worth another try.
   */
  private async call<T>(
    name: string,
    request: (client: Client) => Promise<unknown>,
    options: { readonly sensitive?: boolean; readonly justCreated?: boolean; readonly attempts?: number } = {},
  ): Promise<T> {
    const judge = options.justCreated === true ? (error: unknown) => (error instanceof GraphError && error.statusCode === 404 ? { retryable: true } : judgeGraphFailure(error)) : judgeGraphFailure;
    try {
      return (await withRetries(() => request(this.client), judge, { ...this.options, ...(options.attempts === undefined ? {} : { maxAttempts: options.attempts }) })) as T;
    } catch (error) {
      throw directoryErrorOf(name, error, options.sensitive === true);
    }
  }

  /** A call whose 404 means "there is none" (reads) or "already done" (deletes). */
  private async callOrMissing<T>(name: string, request: (client: Client) => Promise<unknown>): Promise<T | undefined> {
    try {
      return await this.call<T>(name, request);
    } catch (error) {
      if (error instanceof DirectoryError && error.status === 404) return undefined;
      throw error;
    }
  }
}

/** A Graph REST id is its EWS id in the URL-safe base64 alphabet. */
function ewsIdOf(restId: string): string {
  return restId.replaceAll('-', '/').replaceAll('_', '+');
}

/** Sets a fresh timeout on every attempt (a retry must not inherit an expired signal). */
class TimeoutHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly timeoutInMs: number) {}

  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutInMs) };
    if (this.next === undefined) throw new Error('TimeoutHandler must not end the middleware chain');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function judgeGraphFailure(error: unknown): { retryable: boolean; retryAfterInMs?: number } {
  if (!(error instanceof GraphError)) return { retryable: false };
  // -1: no response at all (network error or timeout).
  if (error.statusCode === -1 || error.statusCode === undefined) return { retryable: true };
  return { retryable: isRetryableStatus(error.statusCode), retryAfterInMs: retryAfterOf(error.headers?.get('retry-after')) };
}

function directoryErrorOf(call: string, error: unknown, sensitive: boolean): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : undefined;
    const detail = sensitive ? '' : `: ${error.message}`;
    const what = status === undefined ? 'no response (network error or timeout)' : `HTTP ${status}${error.code ? ` ${error.code}` : ''}${detail}`;
    return new DirectoryError(call, what.slice(0, 500), status);
  }
  // Credential failures: the token could not be had.
  return new DirectoryError(call, `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 500));
}

/** Single quotes double inside an OData string literal. */
function odataString(value: string): string {
  return value.replace(/'/g, "''");
}

interface RawUser {
  readonly id?: unknown;
  readonly userPrincipalName?: unknown;
  readonly accountEnabled?: unknown;
}

interface RawPasswordCredential {
  readonly keyId?: unknown;
  readonly displayName?: unknown;
  readonly hint?: unknown;
  readonly endDateTime?: unknown;
  readonly secretText?: unknown;
}

interface RawApplication {
  readonly id?: unknown;
  readonly appId?: unknown;
  readonly uniqueName?: unknown;
  readonly passwordCredentials?: readonly RawPasswordCredential[];
}

interface RawMessage {
  readonly id?: unknown;
  readonly internetMessageId?: unknown;
  readonly singleValueExtendedProperties?: readonly { readonly id?: string; readonly value?: unknown }[];
}

interface RawPage<T> {
  readonly value?: readonly T[];
  readonly '@odata.nextLink'?: unknown;
}

const APPLICATION_FIELDS = ['id', 'appId', 'uniqueName', 'passwordCredentials'];

function userOf(raw: RawUser): DirectoryUser {
  if (typeof raw.id !== 'string' || typeof raw.userPrincipalName !== 'string') throw new DirectoryError('users', 'a user without id or userPrincipalName');
  return { id: raw.id, userPrincipalName: raw.userPrincipalName, ...(typeof raw.accountEnabled === 'boolean' ? { accountEnabled: raw.accountEnabled } : {}) };
}

function applicationOf(raw: RawApplication): DirectoryApplication {
  if (typeof raw.id !== 'string' || typeof raw.appId !== 'string') throw new DirectoryError('applications', 'an application without id or appId');
  return {
    id: raw.id,
    appId: raw.appId,
    ...(typeof raw.uniqueName === 'string' ? { uniqueName: raw.uniqueName } : {}),
    passwordCredentials: (raw.passwordCredentials ?? []).filter((credential) => typeof credential.keyId === 'string').map(passwordCredentialOf),
  };
}

function passwordCredentialOf(raw: RawPasswordCredential): PasswordCredentialInfo {
  return {
    keyId: String(raw.keyId),
    ...(typeof raw.displayName === 'string' ? { displayName: raw.displayName } : {}),
    ...(typeof raw.hint === 'string' ? { hint: raw.hint } : {}),
    ...(typeof raw.endDateTime === 'string' ? { endDateTime: raw.endDateTime } : {}),
  };
}

function messageOf(raw: RawMessage, marker: string | undefined): DirectoryMessage {
  return { id: String(raw.id), ...(typeof raw.internetMessageId === 'string' ? { internetMessageId: raw.internetMessageId } : {}), ...(marker === undefined ? {} : { marker }) };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { FIXTURES } from './paths.js';

/**
 * Loopback HTTPS fakes of Entra's token endpoint and of the slice of Microsoft Graph v1.0 that decoy
 * lifecycles use, keeping their objects across "crashes" of Lure the way the real tenant would.
 * The certificate is a loopback-only test certificate that `npm test` trusts through NODE_EXTRA_CA_CERTS
 * (the Graph client sends its bearer token over https only).
 */

export const LOOPBACK_TLS = {
  key: readFileSync(path.join(FIXTURES, 'tls', 'loopback-key.pem')),
  cert: readFileSync(path.join(FIXTURES, 'tls', 'loopback-cert.pem')),
};

export const FAKE_TENANT_ID = '72f988bf-0000-4000-8000-00000000fa4e';

/** A scripted answer that replaces the fake's own for one matching request. */
export interface ScriptedFault {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Hold the answer this long before sending it (past a client timeout, for instance). */
  readonly delayInMs?: number;
  /**
   * Carry the request out as usual and only then hold its answer for `delayInMs`: the change is made
   * but the caller, timing out, never hears of it (status and body are then the fake's own).
   */
  readonly passThrough?: boolean;
}

interface FaultRule {
  readonly method: string;
  readonly pattern: RegExp;
  readonly faults: ScriptedFault[];
}

interface Server {
  readonly url: string;
  readonly close: () => Promise<void>;
}

async function listen(handler: (request: IncomingMessage, body: string, response: ServerResponse, bytes: Buffer) => void): Promise<Server> {
  const server = https.createServer(LOOPBACK_TLS, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const bytes = Buffer.concat(chunks);
      handler(request, bytes.toString('utf8'), response, bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake has no port');
  return {
    url: `https://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (response.writableEnded || response.destroyed) return;
  response.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

/** A response that records what the fake answers and sends it only after `delayInMs`. */
function delayedResponse(response: ServerResponse, delayInMs: number): ServerResponse {
  let status = 200;
  let headers: Record<string, string> = {};
  const deferred = {
    writableEnded: false,
    destroyed: false,
    writeHead(code: number, fields: Record<string, string>) {
      status = code;
      headers = fields;
      return deferred;
    },
    end(body?: string) {
      deferred.writableEnded = true;
      setTimeout(() => send(response, status, body === undefined ? undefined : (JSON.parse(body) as unknown), headers), delayInMs);
      return deferred;
    },
  };
  return deferred as unknown as ServerResponse;
}

function graphError(response: ServerResponse, status: number, code: string, message: string): void {
  send(response, status, { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } });
}

/** Entra's token endpoint for client credentials: hands out one opaque bearer token per fake. */
export interface FakeTokenEndpoint {
  readonly authorityHost: string;
  readonly accessToken: string;
  readonly tokenRequests: number;
  /** The scope of each token request, in order: whom the tokens were for. */
  readonly scopes: readonly string[];
  /** A client credential that gets its token from this fake, through the real `@azure/identity`. */
  credential(): ClientSecretCredential;
  close(): Promise<void>;
}

export async function startFakeTokenEndpoint(): Promise<FakeTokenEndpoint> {
  const accessToken = `fake-access-token-${randomBytes(8).toString('hex')}`;
  let tokenRequests = 0;
  const scopes: string[] = [];
  const server = await listen((request, body, response) => {
    const url = new URL(request.url ?? '/', 'https://login.invalid');
    const tenant = url.pathname.split('/')[1] ?? '';
    if (request.method === 'GET' && url.pathname.endsWith('/.well-known/openid-configuration')) {
      const base = `${server.url}/${tenant}`;
      send(response, 200, {
        issuer: `${base}/v2.0`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
      return;
    }
    if (request.method === 'POST' && url.pathname.endsWith('/oauth2/v2.0/token')) {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') === null) {
        send(response, 400, { error: 'invalid_request', error_description: 'client credentials expected' });
        return;
      }
      tokenRequests += 1;
      scopes.push(form.get('scope') ?? '');
      send(response, 200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: accessToken });
      return;
    }
    send(response, 404, { error: 'not_found' });
  });
  return {
    authorityHost: server.url,
    accessToken,
    get tokenRequests() {
      return tokenRequests;
    },
    scopes,
    credential: () =>
      new ClientSecretCredential(FAKE_TENANT_ID, randomUUID(), 'fake-client-secret', { authorityHost: server.url, disableInstanceDiscovery: true }),
    close: server.close,
  };
}

export interface FakeUser {
  readonly id: string;
  userPrincipalName: string;
  displayName: string;
  jobTitle?: string;
  department?: string;
  accountEnabled: boolean;
  /** Every password ever set, for the test that scans Lure's writes for them. */
  readonly passwords: string[];
}

export interface FakePasswordCredential {
  readonly keyId: string;
  readonly displayName: string;
  readonly hint: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
}

export interface FakeApplication {
  readonly id: string;
  readonly appId: string;
  readonly uniqueName?: string;
  displayName: string;
  readonly passwordCredentials: FakePasswordCredential[];
}

export interface FakeMessage {
  readonly id: string;
  readonly internetMessageId: string;
  readonly subject: string;
  readonly body: string;
  readonly properties: Map<string, string>;
}

export interface FakeFolder {
  readonly id: string;
  readonly displayName: string;
  readonly messages: Map<string, FakeMessage>;
}

export interface FakeDriveItem {
  readonly id: string;
  name: string;
  /** The folder's path in the library: `/IT`, or '' at the root. */
  parentPath: string;
  readonly isFolder: boolean;
  content: Buffer;
  /** Every content the item had before the current one (SharePoint's version history). */
  readonly versions: Buffer[];
  cTag: string;
  readonly createdDateTime: string;
  /** The app that uploaded it; undefined for a file a person made. */
  readonly createdByApplicationId?: string;
  readonly listItemUniqueId: string;
}

export interface FakeDrive {
  readonly id: string;
  readonly name: string;
  readonly webUrl: string;
  readonly items: Map<string, FakeDriveItem>;
}

export interface FakeSitePermission {
  readonly id: string;
  readonly roles: string[];
  readonly applicationId: string;
  readonly displayName: string;
}

export interface FakeSite {
  readonly id: string;
  readonly webUrl: string;
  readonly drives: FakeDrive[];
  readonly permissions: FakeSitePermission[];
}

/** The slice of Graph v1.0 Lure calls, with the state a tenant would keep. */
export interface FakeGraph {
  readonly url: string;
  readonly users: Map<string, FakeUser>;
  readonly applications: Map<string, FakeApplication>;
  /** Service principal id by app id. */
  readonly servicePrincipals: Map<string, string>;
  /** Folders by mailbox (lower-cased UPN); a mailbox must be added before it can be used. */
  readonly mailboxes: Map<string, Map<string, FakeFolder>>;
  /** Messages sent, as the MIME text Graph received (base64-decoded). */
  readonly sentMail: { sender: string; mime: string }[];
  /** Every request, as `METHOD /path` (no query), in order. */
  readonly requests: string[];
  /** Every secret or password the fake ever handed out or was given. */
  readonly secrets: string[];
  /** Administrative units by id, with their member ids. */
  readonly administrativeUnits: Map<string, { readonly id: string; readonly displayName: string; readonly visibility: string; readonly members: Set<string> }>;
  readonly roleAssignments: { readonly principalId: string; readonly roleDefinitionId: string; readonly directoryScopeId: string }[];
  /** Owner ids by application object id. */
  readonly applicationOwners: Map<string, Set<string>>;
  /** Sites by id. */
  readonly sites: Map<string, FakeSite>;
  addMailbox(upn: string): void;
  /** A site (or a OneDrive) at this URL with these document libraries (the first is the default). */
  addSite(webUrl: string, libraries?: readonly { readonly name: string; readonly urlName: string }[]): FakeSite;
  /** A file a person put in a library: `path` like `/IT/notes.xlsx`. */
  addFile(drive: FakeDrive, path: string, content?: Buffer): FakeDriveItem;
  /** The next requests matching `method` and `pattern` get these answers instead, in order. */
  fail(method: string, pattern: RegExp, ...faults: ScriptedFault[]): void;
  /** Number of requests that matched `method` and `pattern`. */
  count(method: string, pattern: RegExp): number;
  close(): Promise<void>;
}

export async function startFakeGraph(options: { readonly accessToken: string; readonly callerAppId?: string }): Promise<FakeGraph> {
  const callerAppId = options.callerAppId ?? randomUUID();
  const sites = new Map<string, FakeSite>();
  const driveById = (id: string) => [...sites.values()].flatMap((site) => site.drives).find((drive) => drive.id === id);
  const itemAtPath = (drive: FakeDrive, path: string) => {
    const wanted = path.replace(/\/+$/, '').toLowerCase();
    return [...drive.items.values()].find((item) => `${item.parentPath}/${item.name}`.toLowerCase() === wanted);
  };
  const newItem = (path: string, content: Buffer, createdByApplicationId: string | undefined): FakeDriveItem => {
    const segments = path.split('/').filter((segment) => segment !== '');
    return {
      id: `01${randomBytes(16).toString('hex').toUpperCase()}`,
      name: segments.at(-1) ?? '',
      parentPath: segments.length > 1 ? `/${segments.slice(0, -1).join('/')}` : '',
      isFolder: false,
      content,
      versions: [],
      cTag: `"c:{${randomUUID().toUpperCase()}},1"`,
      createdDateTime: new Date().toISOString(),
      ...(createdByApplicationId === undefined ? {} : { createdByApplicationId }),
      listItemUniqueId: randomUUID(),
    };
  };
  /** A drive item as Graph answers: `sharepointIds` only when a `$select` asks (an upload's answer has none). */
  const itemJson = (drive: FakeDrive, item: FakeDriveItem, query?: URLSearchParams) => ({
    id: item.id,
    name: item.name,
    parentReference: {
      driveId: drive.id,
      driveType: 'documentLibrary',
      path: `/drives/${drive.id}/root:${item.parentPath.split('/').map(encodeURIComponent).join('/')}`,
    },
    ...(query?.get('$select')?.split(',').includes('sharepointIds') === true ? { sharepointIds: { listItemUniqueId: item.listItemUniqueId } } : {}),
    createdDateTime: item.createdDateTime,
    createdBy:
      item.createdByApplicationId === undefined
        ? { user: { displayName: 'Alice' } }
        : { application: { id: item.createdByApplicationId, displayName: 'lure' }, user: { displayName: 'SharePoint App' } },
    cTag: item.cTag,
    ...(item.isFolder ? { folder: { childCount: 0 } } : { file: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }),
    size: item.content.length,
  });
  const users = new Map<string, FakeUser>();
  const applications = new Map<string, FakeApplication>();
  const servicePrincipals = new Map<string, string>();
  const mailboxes = new Map<string, Map<string, FakeFolder>>();
  const sentMail: { sender: string; mime: string }[] = [];
  const requests: string[] = [];
  const secrets: string[] = [];
  const rules: FaultRule[] = [];
  const administrativeUnits: FakeGraph['administrativeUnits'] = new Map();
  const roleAssignments: { principalId: string; roleDefinitionId: string; directoryScopeId: string }[] = [];
  const applicationOwners = new Map<string, Set<string>>();
  /** A body field as Graph would store it: absent (or null) as '', anything else as `String()` renders it. */
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the fake keeps whatever Lure sent, an object's '[object Object]' included
  const text = (value: unknown) => String(value ?? '');
  /** The object id at the end of an `@odata.id` reference. */
  const referencedId = (body: Record<string, unknown>) => text(body['@odata.id']).split('/').at(-1) ?? '';

  const userByKey = (key: string) => users.get(key) ?? [...users.values()].find((user) => user.userPrincipalName.toLowerCase() === key.toLowerCase());
  const applicationByUniqueName = (name: string) => [...applications.values()].find((application) => application.uniqueName === name);
  const applicationJson = (application: FakeApplication) => ({
    id: application.id,
    appId: application.appId,
    uniqueName: application.uniqueName ?? null,
    displayName: application.displayName,
    passwordCredentials: application.passwordCredentials.map((credential) => ({ ...credential, secretText: null, customKeyIdentifier: null })),
  });
  const messageJson = (message: FakeMessage, expandProperty: string | undefined) => ({
    id: message.id,
    internetMessageId: message.internetMessageId,
    subject: message.subject,
    ...(expandProperty === undefined
      ? {}
      : {
          singleValueExtendedProperties: [...message.properties]
            .filter(([id]) => id.toLowerCase() === expandProperty.toLowerCase())
            .map(([id, value]) => ({ id, value })),
        }),
  });

  const handle = (
    method: string,
    route: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
    headers: IncomingMessage['headers'],
    response: ServerResponse,
    bytes: Buffer,
  ): void => {
    let match: RegExpExecArray | null;
    const decoded = (path: string) => path.split('/').map(decodeURIComponent).join('/');
    if (method === 'GET' && (match = /^\/sites\/([^/:,]+)(?::(\/.*))?$/.exec(route))) {
      const wanted = `https://${match[1]}${decoded(match[2] ?? '')}`.replace(/\/+$/, '').toLowerCase();
      const site = [...sites.values()].find((candidate) => candidate.webUrl.toLowerCase() === wanted);
      if (site === undefined) return graphError(response, 404, 'itemNotFound', 'Requested site could not be found');
      return send(response, 200, { id: site.id, webUrl: site.webUrl, displayName: site.webUrl.split('/').at(-1) });
    }
    if ((match = /^\/sites\/([^/]+)\/(drive|drives|permissions)(?:\/([^/]+))?$/.exec(route))) {
      const site = sites.get(decodeURIComponent(match[1]!));
      if (site === undefined) return graphError(response, 404, 'itemNotFound', 'Requested site could not be found');
      const driveJson = (drive: FakeDrive) => ({ id: drive.id, name: drive.name, webUrl: drive.webUrl, driveType: 'documentLibrary' });
      if (match[2] === 'drive' && method === 'GET' && match[3] === undefined) return send(response, 200, driveJson(site.drives[0]!));
      if (match[2] === 'drives' && method === 'GET' && match[3] === undefined) return send(response, 200, { value: site.drives.map(driveJson) });
      const grantJson = (permission: FakeSitePermission, withRoles: boolean) => ({
        id: permission.id,
        ...(withRoles ? { roles: permission.roles } : {}),
        grantedToIdentitiesV2: [{ application: { id: permission.applicationId, displayName: permission.displayName } }],
        grantedToIdentities: [{ application: { id: permission.applicationId, displayName: permission.displayName } }],
      });
      // As Graph does, the list leaves out each grant's roles: only a grant read by its id has them.
      if (match[2] === 'permissions' && method === 'GET' && match[3] === undefined)
        return send(response, 200, { value: site.permissions.map((permission) => grantJson(permission, false)) });
      const permission = site.permissions.find((candidate) => candidate.id === decodeURIComponent(match![3] ?? ''));
      if (match[2] === 'permissions' && match[3] !== undefined) {
        if (permission === undefined) return graphError(response, 404, 'itemNotFound', 'The permission does not exist');
        if (method === 'GET') return send(response, 200, grantJson(permission, true));
        if (method === 'PATCH' && Array.isArray(body['roles'])) {
          permission.roles.splice(0, permission.roles.length, ...(body['roles'] as string[]));
          return send(response, 200, grantJson(permission, true));
        }
      }
      if (match[2] === 'permissions' && method === 'POST' && match[3] === undefined) {
        const identities = (body['grantedToIdentities'] ?? body['grantedTo']) as { application?: { id?: string; displayName?: string } }[] | undefined;
        const application = identities?.[0]?.application;
        if (application?.id === undefined || !Array.isArray(body['roles']))
          return graphError(response, 400, 'invalidRequest', 'roles and grantedToIdentities are required');
        const granted = { id: randomUUID(), roles: body['roles'] as string[], applicationId: application.id, displayName: application.displayName ?? '' };
        site.permissions.push(granted);
        return send(response, 201, grantJson(granted, true));
      }
    }
    if ((match = /^\/drives\/([^/]+)\/root:(\/.*?)(:\/content)?$/.exec(route))) {
      const drive = driveById(decodeURIComponent(match[1]!));
      if (drive === undefined) return graphError(response, 404, 'itemNotFound', 'The drive does not exist');
      const path = decoded(match[2]!);
      const existing = itemAtPath(drive, path);
      if (method === 'GET' && match[3] === undefined) {
        return existing === undefined
          ? graphError(response, 404, 'itemNotFound', 'The resource could not be found.')
          : send(response, 200, itemJson(drive, existing));
      }
      if (method === 'PUT' && match[3] !== undefined) {
        if (existing !== undefined && query.get('@microsoft.graph.conflictBehavior') === 'fail')
          return graphError(response, 409, 'nameAlreadyExists', 'The specified item name already exists.');
        if (existing !== undefined) {
          existing.versions.push(existing.content);
          existing.content = bytes;
          return send(response, 200, itemJson(drive, existing));
        }
        const item = newItem(path, bytes, callerAppId);
        drive.items.set(item.id, item);
        return send(response, 201, itemJson(drive, item));
      }
    }
    if ((match = /^\/drives\/([^/]+)\/items\/([^/]+)(\/content)?$/.exec(route))) {
      const drive = driveById(decodeURIComponent(match[1]!));
      const item = drive?.items.get(decodeURIComponent(match[2]!));
      if (drive === undefined || item === undefined) return graphError(response, 404, 'itemNotFound', 'The resource could not be found.');
      if (method === 'GET' && match[3] === undefined) return send(response, 200, itemJson(drive, item, query));
      if (method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.end(item.content);
        return;
      }
      if (method === 'PUT' && match[3] !== undefined) {
        item.versions.push(item.content);
        item.content = bytes;
        item.cTag = `"c:{${randomUUID().toUpperCase()}},${item.versions.length + 1}"`;
        return send(response, 200, itemJson(drive, item));
      }
      if (method === 'DELETE' && match[3] === undefined) {
        drive.items.delete(item.id);
        response.writeHead(204);
        response.end();
        return;
      }
    }
    if (route === '/directory/administrativeUnits') {
      if (method === 'GET') {
        const wanted = /displayName eq '((?:[^']|'')*)'/.exec(query.get('$filter') ?? '')?.[1]?.replaceAll("''", "'");
        return send(response, 200, {
          value: [...administrativeUnits.values()]
            .filter((unit) => wanted === undefined || unit.displayName === wanted)
            .map(({ id, displayName, visibility }) => ({ id, displayName, visibility })),
        });
      }
      if (method === 'POST') {
        const unit = { id: randomUUID(), displayName: text(body.displayName), visibility: text(body.visibility), members: new Set<string>() };
        administrativeUnits.set(unit.id, unit);
        return send(response, 201, { id: unit.id, displayName: unit.displayName, visibility: unit.visibility });
      }
    }
    if ((match = /^\/directory\/administrativeUnits\/([^/]+)\/members(\/\$ref)?$/.exec(route))) {
      const unit = administrativeUnits.get(decodeURIComponent(match[1]!));
      if (unit === undefined) return graphError(response, 404, 'Request_ResourceNotFound', 'no such administrative unit');
      if (method === 'GET' && match[2] === undefined) return send(response, 200, { value: [...unit.members].map((id) => ({ id })) });
      if (method === 'POST' && match[2] !== undefined) {
        const id = referencedId(body);
        if (unit.members.has(id))
          return graphError(
            response,
            400,
            'Request_BadRequest',
            "One or more added object references already exist for the following modified properties: 'members'.",
          );
        unit.members.add(id);
        return send(response, 204);
      }
    }
    if (route === '/roleManagement/directory/roleAssignments') {
      if (method === 'GET') {
        const principal = /principalId eq '([^']*)'/.exec(query.get('$filter') ?? '')?.[1];
        return send(response, 200, {
          value: roleAssignments
            .filter((assignment) => principal === undefined || assignment.principalId === principal)
            .map((assignment, index) => ({ id: `ra-${index}`, ...assignment })),
        });
      }
      if (method === 'POST') {
        const assignment = {
          principalId: text(body.principalId),
          roleDefinitionId: text(body.roleDefinitionId),
          directoryScopeId: text(body.directoryScopeId),
        };
        roleAssignments.push(assignment);
        return send(response, 201, { id: `ra-${roleAssignments.length - 1}`, ...assignment });
      }
    }
    if ((match = /^\/applications\/([^/]+)\/owners(\/\$ref)?$/.exec(route))) {
      const application = applications.get(decodeURIComponent(match[1]!));
      if (application === undefined) return graphError(response, 404, 'Request_ResourceNotFound', 'not found');
      const owners = applicationOwners.get(application.id) ?? new Set<string>();
      applicationOwners.set(application.id, owners);
      if (method === 'GET' && match[2] === undefined) return send(response, 200, { value: [...owners].map((id) => ({ id })) });
      if (method === 'POST' && match[2] !== undefined) {
        const id = referencedId(body);
        if (owners.has(id))
          return graphError(
            response,
            400,
            'Request_BadRequest',
            "One or more added object references already exist for the following modified properties: 'owners'.",
          );
        owners.add(id);
        return send(response, 204);
      }
    }
    if (method === 'POST' && route === '/users') {
      const upn = text(body.userPrincipalName);
      const password = (body.passwordProfile as { password?: unknown } | undefined)?.password;
      if (upn === '' || typeof body.displayName !== 'string' || typeof body.mailNickname !== 'string' || typeof password !== 'string') {
        graphError(response, 400, 'Request_BadRequest', 'Invalid value specified for property of resource User.');
        return;
      }
      if (userByKey(upn) !== undefined) {
        graphError(response, 400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.');
        return;
      }
      secrets.push(password);
      const user: FakeUser = {
        id: randomUUID(),
        userPrincipalName: upn,
        displayName: body.displayName,
        accountEnabled: body.accountEnabled !== false,
        passwords: [password],
        ...(typeof body.jobTitle === 'string' ? { jobTitle: body.jobTitle } : {}),
        ...(typeof body.department === 'string' ? { department: body.department } : {}),
      };
      users.set(user.id, user);
      send(response, 201, { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, accountEnabled: user.accountEnabled });
      return;
    }
    if ((match = /^\/users\/([^/]+)$/.exec(route))) {
      const user = userByKey(decodeURIComponent(match[1]!));
      if (user === undefined) return graphError(response, 404, 'Request_ResourceNotFound', `Resource '${match[1]}' does not exist.`);
      if (method === 'GET') return send(response, 200, { id: user.id, userPrincipalName: user.userPrincipalName, accountEnabled: user.accountEnabled });
      if (method === 'DELETE') {
        users.delete(user.id);
        return send(response, 204);
      }
      if (method === 'PATCH') {
        const password = (body.passwordProfile as { password?: unknown } | undefined)?.password;
        if (typeof password === 'string') {
          secrets.push(password);
          user.passwords.push(password);
        }
        return send(response, 204);
      }
    }
    if ((match = /^\/applications\(uniqueName='([^']*)'\)$/.exec(route))) {
      const uniqueName = decodeURIComponent(match[1]!);
      const existing = applicationByUniqueName(uniqueName);
      if (method === 'GET')
        return existing === undefined ? graphError(response, 404, 'Request_ResourceNotFound', 'not found') : send(response, 200, applicationJson(existing));
      if (method === 'PATCH') {
        if (existing !== undefined) {
          if (typeof body.displayName === 'string') existing.displayName = body.displayName;
          return send(response, 204);
        }
        if (headers.prefer !== 'create-if-missing') return graphError(response, 404, 'Request_ResourceNotFound', 'not found');
        const application: FakeApplication = {
          id: randomUUID(),
          appId: randomUUID(),
          uniqueName,
          displayName: text(body.displayName),
          passwordCredentials: [],
        };
        applications.set(application.id, application);
        return send(response, 201, applicationJson(application));
      }
    }
    if ((match = /^\/applications\/([^/]+)(?:\/(addPassword|removePassword))?$/.exec(route))) {
      const application = applications.get(decodeURIComponent(match[1]!));
      if (application === undefined) return graphError(response, 404, 'Request_ResourceNotFound', 'not found');
      if (method === 'GET' && match[2] === undefined) return send(response, 200, applicationJson(application));
      if (method === 'DELETE' && match[2] === undefined) {
        applications.delete(application.id);
        servicePrincipals.delete(application.appId);
        return send(response, 204);
      }
      if (method === 'POST' && match[2] === 'addPassword') {
        const requested = (body.passwordCredential ?? {}) as { displayName?: unknown; endDateTime?: unknown };
        const secretText = `${randomBytes(3).toString('hex').slice(0, 3)}8Q~${randomBytes(27).toString('base64url')}`;
        secrets.push(secretText);
        const now = new Date();
        const credential: FakePasswordCredential = {
          keyId: randomUUID(),
          displayName: text(requested.displayName),
          hint: secretText.slice(0, 3),
          startDateTime: now.toISOString(),
          endDateTime: typeof requested.endDateTime === 'string' ? requested.endDateTime : new Date(now.getTime() + 730 * 86_400_000).toISOString(),
        };
        application.passwordCredentials.push(credential);
        return send(response, 200, { ...credential, secretText, customKeyIdentifier: null });
      }
      if (method === 'POST' && match[2] === 'removePassword') {
        const index = application.passwordCredentials.findIndex((credential) => credential.keyId === body.keyId);
        if (index < 0) return graphError(response, 400, 'Request_BadRequest', 'No password credential found with keyId.');
        application.passwordCredentials.splice(index, 1);
        return send(response, 204);
      }
    }
    if ((match = /^\/servicePrincipals\(appId='([^']*)'\)$/.exec(route))) {
      const appId = decodeURIComponent(match[1]!);
      const existing = servicePrincipals.get(appId);
      if (method === 'GET')
        return existing === undefined ? graphError(response, 404, 'Request_ResourceNotFound', 'not found') : send(response, 200, { id: existing, appId });
      if (method === 'PATCH') {
        if (existing !== undefined) return send(response, 204);
        if (![...applications.values()].some((application) => application.appId === appId))
          return graphError(response, 400, 'Request_BadRequest', 'no application with that appId');
        const id = randomUUID();
        servicePrincipals.set(appId, id);
        return send(response, 201, { id, appId });
      }
    }
    if ((match = /^\/users\/([^/]+)\/(mailFolders|messages|translateExchangeIds|sendMail)(?:\/([^/]+))?(?:\/(messages))?$/.exec(route))) {
      const mailbox = decodeURIComponent(match[1]!).toLowerCase();
      const folders = mailboxes.get(mailbox);
      if (folders === undefined)
        return graphError(response, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
      const [, , collection, itemId, sub] = match;
      if (collection === 'sendMail' && method === 'POST') {
        if (typeof body.mime !== 'string') return graphError(response, 400, 'ErrorMimeContentInvalid', 'expected a base64 MIME message');
        sentMail.push({ sender: mailbox, mime: Buffer.from(body.mime, 'base64').toString('utf8') });
        return send(response, 202);
      }
      if (collection === 'translateExchangeIds' && method === 'POST') {
        const inputIds = Array.isArray(body.inputIds) ? body.inputIds.map(String) : [];
        return send(response, 200, { value: inputIds.map((sourceId) => ({ sourceId, targetId: `${String(body.targetIdType)}:${sourceId}` })) });
      }
      if (collection === 'mailFolders' && itemId === undefined) {
        if (method === 'GET') {
          const wanted = /^displayName eq '(.*)'$/.exec(query.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
          return send(response, 200, {
            value: [...folders.values()]
              .filter((folder) => wanted === undefined || folder.displayName === wanted)
              .map(({ id, displayName }) => ({ id, displayName })),
          });
        }
        if (method === 'POST') {
          if ([...folders.values()].some((folder) => folder.displayName === body.displayName))
            return graphError(response, 409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
          const folder: FakeFolder = { id: `AQMk${randomBytes(12).toString('base64url')}`, displayName: text(body.displayName), messages: new Map() };
          folders.set(folder.id, folder);
          return send(response, 201, { id: folder.id, displayName: folder.displayName });
        }
      }
      if (collection === 'mailFolders' && itemId !== undefined && sub === 'messages') {
        const folder = folders.get(decodeURIComponent(itemId));
        if (folder === undefined) return graphError(response, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
        if (method === 'POST') {
          const properties = new Map<string, string>();
          for (const property of (body.singleValueExtendedProperties ?? []) as { id: string; value: string }[]) properties.set(property.id, property.value);
          const message: FakeMessage = {
            id: `AAMk${randomBytes(24).toString('base64url')}`,
            internetMessageId: `<${randomBytes(8).toString('hex')}@fake.outlook.example>`,
            subject: text(body.subject),
            body: text((body.body as { content?: unknown } | undefined)?.content),
            properties,
          };
          folder.messages.set(message.id, message);
          return send(response, 201, { ...messageJson(message, undefined), isDraft: properties.get('Integer 0x0E07') !== '1' });
        }
        if (method === 'GET') {
          const expandProperty = /singleValueExtendedProperties\(\$filter=id eq '(.*)'\)/.exec(query.get('$expand') ?? '')?.[1];
          const top = Number(query.get('$top') ?? '10');
          const skip = Number(query.get('$skip') ?? '0');
          const all = [...folder.messages.values()];
          const page = all.slice(skip, skip + top).map((message) => messageJson(message, expandProperty));
          const nextQuery = new URLSearchParams(query);
          nextQuery.set('$skip', String(skip + top));
          return send(response, 200, {
            value: page,
            ...(skip + top < all.length ? { '@odata.nextLink': `${graph.url}/v1.0${route}?${nextQuery.toString()}` } : {}),
          });
        }
      }
      if (collection === 'messages' && itemId !== undefined && method === 'DELETE') {
        for (const folder of folders.values()) if (folder.messages.delete(decodeURIComponent(itemId))) return send(response, 204);
        return graphError(response, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      }
    }
    graphError(response, 400, 'BadRequest', `Unsupported request ${method} ${route}`);
  };

  const graph = await listen((request, rawBody, response, bytes) => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'https://graph.invalid');
    const route = url.pathname.replace(/^\/v1\.0/, '');
    const line = `${method} ${route}`;
    requests.push(line);
    const rule = rules.find((candidate) => candidate.method === method && candidate.pattern.test(route) && candidate.faults.length > 0);
    let answer = response;
    if (rule !== undefined) {
      const fault = rule.faults.shift()!;
      if (!fault.passThrough) {
        setTimeout(
          () => send(response, fault.status, fault.body ?? { error: { code: 'Scripted', message: `scripted ${fault.status}` } }, fault.headers),
          fault.delayInMs ?? 0,
        );
        return;
      }
      answer = delayedResponse(response, fault.delayInMs ?? 0);
    }
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      graphError(answer, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
      return;
    }
    let body: Record<string, unknown> = {};
    if (request.headers['content-type']?.startsWith('text/plain')) {
      body = { mime: rawBody };
    } else if (request.headers['content-type']?.startsWith('application/octet-stream')) {
      // File content: handed to the route as bytes.
    } else if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        graphError(answer, 400, 'BadRequest', 'Invalid JSON');
        return;
      }
    }
    handle(method, route, url.searchParams, body, request.headers, answer, bytes);
  });

  return {
    url: graph.url,
    users,
    applications,
    servicePrincipals,
    mailboxes,
    sentMail,
    requests,
    secrets,
    administrativeUnits,
    roleAssignments,
    applicationOwners,
    sites,
    addMailbox(upn) {
      mailboxes.set(upn.toLowerCase(), new Map());
    },
    addSite(webUrl, libraries = [{ name: 'Documents', urlName: 'Shared Documents' }]) {
      const url = new URL(webUrl);
      const site: FakeSite = {
        id: `${url.hostname},${randomUUID()},${randomUUID()}`,
        webUrl: webUrl.replace(/\/+$/, ''),
        drives: libraries.map((library) => ({
          id: `b!${randomBytes(24).toString('base64url')}`,
          name: library.name,
          webUrl: `${webUrl.replace(/\/+$/, '')}/${library.urlName.split('/').map(encodeURIComponent).join('/')}`,
          items: new Map(),
        })),
        permissions: [],
      };
      sites.set(site.id, site);
      return site;
    },
    addFile(drive, path, content = Buffer.from("a real person's file")) {
      const item = newItem(path, content, undefined);
      drive.items.set(item.id, item);
      return item;
    },
    fail(method, pattern, ...faults) {
      rules.push({ method, pattern, faults: [...faults] });
    },
    count: (method, pattern) => requests.filter((line) => line.startsWith(`${method} `) && pattern.test(line.slice(method.length + 1))).length,
    close: graph.close,
  };
}

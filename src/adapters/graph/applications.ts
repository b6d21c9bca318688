import { DirectoryError, type DirectoryApplication, type NewPasswordCredential, type PasswordCredentialInfo } from '../../ports/directory.js';
import { type GraphClient, odataString } from './graphClient.js';

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

const APPLICATION_FIELDS = ['id', 'appId', 'uniqueName', 'passwordCredentials'];

export async function upsertApplication(graph: GraphClient, uniqueName: string, displayName: string): Promise<DirectoryApplication> {
  const path = `/applications(uniqueName='${odataString(uniqueName)}')`;
  // 201 with the new application, or 204 when it already existed (a retried create): then read it.
  const created = await graph.call<RawApplication | undefined>('PATCH /applications(uniqueName)', (client) =>
    client.api(path).header('Prefer', 'create-if-missing').patch({ displayName, signInAudience: 'AzureADMyOrg' }),
  );
  if (created !== undefined && typeof created === 'object' && 'appId' in created) return applicationOf(created);
  return applicationOf(
    await graph.call<RawApplication>('GET /applications(uniqueName)', (client) => client.api(path).select(APPLICATION_FIELDS).get(), { justCreated: true }),
  );
}

export async function getApplicationByUniqueName(graph: GraphClient, uniqueName: string): Promise<DirectoryApplication | undefined> {
  const application = await graph.callOrMissing<RawApplication>('GET /applications(uniqueName)', (client) =>
    client
      .api(`/applications(uniqueName='${odataString(uniqueName)}')`)
      .select(APPLICATION_FIELDS)
      .get(),
  );
  return application === undefined ? undefined : applicationOf(application);
}

export async function getApplication(graph: GraphClient, objectId: string): Promise<DirectoryApplication | undefined> {
  const application = await graph.callOrMissing<RawApplication>('GET /applications/{id}', (client) =>
    client
      .api(`/applications/${encodeURIComponent(objectId)}`)
      .select(APPLICATION_FIELDS)
      .get(),
  );
  return application === undefined ? undefined : applicationOf(application);
}

export async function upsertServicePrincipal(graph: GraphClient, appId: string): Promise<string> {
  const path = `/servicePrincipals(appId='${odataString(appId)}')`;
  const created = await graph.call<{ id?: unknown } | undefined>(
    'PATCH /servicePrincipals(appId)',
    (client) => client.api(path).header('Prefer', 'create-if-missing').patch({}),
    { justCreated: true },
  );
  if (typeof created?.id === 'string') return created.id;
  const existing = await graph.call<{ id?: unknown }>('GET /servicePrincipals(appId)', (client) => client.api(path).select(['id']).get(), {
    justCreated: true,
  });
  if (typeof existing.id !== 'string') throw new DirectoryError('GET /servicePrincipals(appId)', 'the response has no id');
  return existing.id;
}

export async function addApplicationPassword(
  graph: GraphClient,
  objectId: string,
  credential: { readonly displayName: string; readonly endDateTime: string },
): Promise<NewPasswordCredential> {
  const call = 'POST /applications/{id}/addPassword';
  const added = await graph.call<RawPasswordCredential>(
    call,
    (client) => client.api(`/applications/${encodeURIComponent(objectId)}/addPassword`).post({ passwordCredential: credential }),
    { justCreated: true },
  );
  if (typeof added.secretText !== 'string' || typeof added.keyId !== 'string') throw new DirectoryError(call, 'the response lacks keyId or secretText');
  return { ...passwordCredentialOf(added), secretText: added.secretText };
}

export async function removeApplicationPassword(graph: GraphClient, objectId: string, keyId: string): Promise<void> {
  const call = 'POST /applications/{id}/removePassword';
  try {
    await graph.call(call, (client) => client.api(`/applications/${encodeURIComponent(objectId)}/removePassword`).post({ keyId }));
  } catch (error) {
    // Graph answers 400 or 404 for a credential already removed: removal is done if it is not listed.
    if (!(error instanceof DirectoryError) || (error.status !== 400 && error.status !== 404)) throw error;
    const application = await getApplication(graph, objectId);
    if (application !== undefined && application.passwordCredentials.some((existing) => existing.keyId === keyId)) throw error;
  }
}

export async function deleteApplication(graph: GraphClient, objectId: string): Promise<void> {
  await graph.callOrMissing('DELETE /applications/{id}', (client) => client.api(`/applications/${encodeURIComponent(objectId)}`).delete());
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

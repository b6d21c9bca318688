import { DirectoryError, type DirectoryDrive, type DirectoryFile, type DirectorySite, type DriveRef } from '../../ports/directory.js';
import type { GraphClient, RawPage } from './graphClient.js';

/** What Lure reads of a drive item: its ids, where it is, who made it, and the ids SharePoint's audit log writes. */
const ITEM_FIELDS = ['id', 'name', 'parentReference', 'sharepointIds', 'createdDateTime', 'createdBy', 'cTag', 'folder', 'file'];

interface RawItem {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly parentReference?: { readonly driveId?: unknown; readonly path?: unknown };
  readonly sharepointIds?: { readonly listItemUniqueId?: unknown };
  readonly createdDateTime?: unknown;
  readonly createdBy?: { readonly application?: { readonly id?: unknown } };
  readonly cTag?: unknown;
  readonly folder?: unknown;
}

export async function getSiteByUrl(graph: GraphClient, siteUrl: string): Promise<DirectorySite | undefined> {
  const url = new URL(siteUrl);
  const path = url.pathname.replace(/\/+$/, '');
  // `/sites/{host}:/{path}` names a site by its URL; the root site is `/sites/{host}`.
  const resource = path === '' ? `/sites/${url.hostname}` : `/sites/${url.hostname}:${path.split('/').map(encodeURIComponent).join('/')}`;
  let site: { id?: unknown; webUrl?: unknown } | undefined;
  try {
    site = await graph.callOrMissing('GET /sites/{host}:/{path}', (client) => client.api(resource).select(['id', 'webUrl']).get());
  } catch (error) {
    // Under Sites.Selected a site not granted answers 403: to the caller it is not there.
    if (error instanceof DirectoryError && error.status === 403) return undefined;
    throw error;
  }
  if (site === undefined) return undefined;
  if (typeof site.id !== 'string' || typeof site.webUrl !== 'string') throw new DirectoryError('GET /sites/{host}:/{path}', 'the response has no id or webUrl');
  return { id: site.id, webUrl: site.webUrl };
}

export async function getDefaultDrive(graph: GraphClient, siteId: string): Promise<DirectoryDrive | undefined> {
  const raw = await graph.callOrMissing<{ id?: unknown; name?: unknown; webUrl?: unknown }>('GET /sites/{id}/drive', (client) =>
    client
      .api(`/sites/${encodeURIComponent(siteId)}/drive`)
      .select(['id', 'name', 'webUrl'])
      .get(),
  );
  if (raw === undefined) return undefined;
  if (typeof raw.id !== 'string' || typeof raw.name !== 'string' || typeof raw.webUrl !== 'string')
    throw new DirectoryError('GET /sites/{id}/drive', 'the response has no id, name or webUrl');
  return { id: raw.id, name: raw.name, webUrl: raw.webUrl };
}

export async function listDrives(graph: GraphClient, siteId: string): Promise<DirectoryDrive[]> {
  const call = 'GET /sites/{id}/drives';
  const drives: DirectoryDrive[] = [];
  let page = await graph.call<RawPage<{ id?: unknown; name?: unknown; webUrl?: unknown }>>(call, (client) =>
    client
      .api(`/sites/${encodeURIComponent(siteId)}/drives`)
      .select(['id', 'name', 'webUrl'])
      .get(),
  );
  for (;;) {
    for (const raw of page.value ?? []) {
      if (typeof raw.id === 'string' && typeof raw.name === 'string' && typeof raw.webUrl === 'string')
        drives.push({ id: raw.id, name: raw.name, webUrl: raw.webUrl });
    }
    const next = page['@odata.nextLink'];
    if (typeof next !== 'string') return drives;
    page = await graph.call(call, (client) => client.api(next).get());
  }
}

export async function getDriveItemByPath(graph: GraphClient, drive: DriveRef, path: string): Promise<DirectoryFile | undefined> {
  const raw = await graph.callOrMissing<RawItem>('GET /drives/{id}/root:/{path}', (client) =>
    client
      .api(`/drives/${encodeURIComponent(drive.id)}/root:${encodedPath(path)}`)
      .select(ITEM_FIELDS)
      .get(),
  );
  return raw === undefined ? undefined : fileOf(raw, drive, 'GET /drives/{id}/root:/{path}');
}

export async function getDriveItem(graph: GraphClient, drive: DriveRef, itemId: string): Promise<DirectoryFile | undefined> {
  const raw = await graph.callOrMissing<RawItem>('GET /drives/{id}/items/{id}', (client) =>
    client
      .api(`/drives/${encodeURIComponent(drive.id)}/items/${encodeURIComponent(itemId)}`)
      .select(ITEM_FIELDS)
      .get(),
  );
  return raw === undefined ? undefined : fileOf(raw, drive, 'GET /drives/{id}/items/{id}');
}

export async function uploadNewFile(graph: GraphClient, drive: DriveRef, path: string, content: Uint8Array): Promise<DirectoryFile> {
  const call = 'PUT /drives/{id}/root:/{path}:/content';
  const raw = await graph.call<RawItem>(
    call,
    (client) =>
      client
        .api(`/drives/${encodeURIComponent(drive.id)}/root:${encodedPath(path)}:/content`)
        // Never over someone's file: an upload that meets one is refused (409) instead of replacing it.
        .query({ '@microsoft.graph.conflictBehavior': 'fail' })
        .header('Content-Type', 'application/octet-stream')
        .put(Buffer.from(content)),
    { sensitive: true },
  );
  return reread(graph, drive, raw, call);
}

export async function replaceFileContent(graph: GraphClient, drive: DriveRef, itemId: string, content: Uint8Array): Promise<DirectoryFile> {
  const call = 'PUT /drives/{id}/items/{id}/content';
  const raw = await graph.call<RawItem>(
    call,
    (client) =>
      client
        .api(`/drives/${encodeURIComponent(drive.id)}/items/${encodeURIComponent(itemId)}/content`)
        .header('Content-Type', 'application/octet-stream')
        .put(Buffer.from(content)),
    { sensitive: true },
  );
  return reread(graph, drive, raw, call);
}

/** An upload answers with the item but not its `sharepointIds` (only a `$select` returns them): the item read back. */
async function reread(graph: GraphClient, drive: DriveRef, uploaded: RawItem, call: string): Promise<DirectoryFile> {
  if (typeof uploaded.id !== 'string') throw new DirectoryError(call, 'the response has no id');
  const file = await getDriveItem(graph, drive, uploaded.id);
  if (file === undefined) throw new DirectoryError(call, `item ${uploaded.id} is gone right after its upload`);
  return file;
}

export async function deleteDriveItem(graph: GraphClient, drive: DriveRef, itemId: string): Promise<void> {
  await graph.callOrMissing('DELETE /drives/{id}/items/{id}', (client) =>
    client.api(`/drives/${encodeURIComponent(drive.id)}/items/${encodeURIComponent(itemId)}`).delete(),
  );
}

/** `/Folder/Q3 payroll.xlsx` with each segment escaped, as Graph's path addressing wants it. */
function encodedPath(path: string): string {
  return `/${path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/')}`;
}

function fileOf(raw: RawItem, drive: DriveRef, call: string): DirectoryFile {
  if (typeof raw.id !== 'string' || typeof raw.name !== 'string') throw new DirectoryError(call, 'the response has no id or name');
  // `parentReference.path` is `/drives/{id}/root:/Folder/Sub` (escaped or not); the library's own path is in its URL.
  const parentPath = typeof raw.parentReference?.path === 'string' ? (raw.parentReference.path.split('root:')[1] ?? '') : '';
  const libraryPath = decodedPath(new URL(drive.webUrl).pathname).replace(/\/+$/, '');
  const uniqueId = raw.sharepointIds?.listItemUniqueId;
  const applicationId = raw.createdBy?.application?.id;
  return {
    id: raw.id,
    driveId: typeof raw.parentReference?.driveId === 'string' ? raw.parentReference.driveId : drive.id,
    name: raw.name,
    serverRelativeUrl: `${libraryPath}${decodedPath(parentPath).replace(/\/+$/, '')}/${raw.name}`,
    isFolder: raw.folder !== undefined,
    ...(typeof uniqueId === 'string' ? { listItemUniqueId: uniqueId } : {}),
    ...(typeof raw.createdDateTime === 'string' ? { createdDateTime: raw.createdDateTime } : {}),
    ...(typeof applicationId === 'string' ? { createdByApplicationId: applicationId } : {}),
    ...(typeof raw.cTag === 'string' ? { contentTag: raw.cTag } : {}),
  };
}

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

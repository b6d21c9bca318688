import type { DecoyIndex } from '../decoys/decoyIndex.js';
import type { FileDecoy } from '../domain/decoys.js';
import type { FileRef } from '../domain/events.js';
import type { GraphRequestPath } from './graphRequest.js';

/** The decoy file an audit record names, by its list item's unique id or any of its URLs. */
export function fileDecoyOf(file: FileRef, decoys: DecoyIndex): FileDecoy | undefined {
  const byId = decoys.find('fileUniqueId', file.listItemUniqueId);
  if (byId !== undefined) return byId;
  for (const url of file.urls) {
    const byUrl = decoys.find('fileUrl', url);
    if (byUrl !== undefined) return byUrl;
  }
  return undefined;
}

/** A drive item a Graph request addressed: `/drives/{d}/items/{i}/content`, `/sites/{s}/drive/items/{i}`, `/me/drive/items/{i}`. */
export interface GraphDriveItemReference {
  /** Absent when the path reaches the drive through its owner (`/me/drive`, `/users/{id}/drive`, `/sites/{id}/drive`). */
  readonly driveId?: string;
  readonly itemId: string;
  /** What follows the item (`content`, `preview`, `permissions`, `createlink`), lower-cased; empty for the item itself. */
  readonly action: readonly string[];
}

/** Collections a drive hangs off: `/me/drive`, `/users/{id}/drive`, `/sites/{id}/drives/{id}`, `/groups/{id}/drive`. */
const DRIVE_OWNERS = new Set(['me', 'users', 'sites', 'groups']);

export function graphDriveItemOf(path: GraphRequestPath): GraphDriveItemReference | undefined {
  let segments: readonly string[];
  if (path.collection === 'drives' || path.collection === 'drive')
    segments = [path.collection, ...(path.key === undefined ? [] : [path.key]), ...path.restAsWritten];
  else if (DRIVE_OWNERS.has(path.collection)) segments = path.restAsWritten;
  else return undefined;
  // The drive is the first `drive` or `drives` segment: a site named by its path (`/sites/{host}:/sites/x:/drive`) comes before it.
  const at = segments.findIndex((segment) => segment.toLowerCase() === 'drive' || segment.toLowerCase() === 'drives');
  if (at === -1) return undefined;
  const named = segments[at]?.toLowerCase() === 'drives';
  const driveId = named ? segments[at + 1] : undefined;
  const items = at + (named ? 2 : 1);
  const itemId = segments[items + 1];
  if (segments[items]?.toLowerCase() !== 'items' || itemId === undefined) return undefined;
  return { ...(driveId === undefined ? {} : { driveId }), itemId, action: segments.slice(items + 2).map((segment) => segment.toLowerCase()) };
}

/** Graph actions on an item that hand out its content without changing it. */
const GRAPH_READ_ACTIONS = new Set(['copy', 'preview']);
/** Workbook sessions are opened to read a workbook as often as to change it: opening one is a read. */
const WORKBOOK_SESSION_ACTIONS = new Set(['createsession', 'refreshsession', 'closesession']);

/** Whether a Graph request reads a drive item (any GET, a copy, a preview, a workbook session); every other write changes it or its sharing. */
export function readsDriveItem(method: string, reference: GraphDriveItemReference): boolean {
  if (method === 'GET') return true;
  if (method !== 'POST') return false;
  const [first, second] = reference.action;
  return (
    (reference.action.length === 1 && GRAPH_READ_ACTIONS.has(first ?? '')) ||
    (reference.action.length === 2 && first === 'workbook' && WORKBOOK_SESSION_ACTIONS.has(second ?? ''))
  );
}

/** The decoy file a Graph request addressed: its item id, in the decoy's drive when the path names one. */
export function fileDecoyOfGraph(reference: GraphDriveItemReference, decoys: DecoyIndex): FileDecoy | undefined {
  const decoy = decoys.find('driveItemId', reference.itemId);
  if (decoy === undefined) return undefined;
  // Item ids are unique per drive only: the same id in another drive is another file.
  if (reference.driveId !== undefined && decoy.driveId !== undefined && reference.driveId !== decoy.driveId) return undefined;
  return decoy;
}

/** Where the file is, for the alert's target: its URL when known, else its ids. */
export function fileTargetOf(decoy: FileDecoy, change?: string): { readonly objectId?: string; readonly resource: string } {
  const where = decoy.serverRelativeUrl === undefined ? decoy.siteUrl : `${new URL(decoy.siteUrl).origin}${decoy.serverRelativeUrl}`;
  const objectId = decoy.listItemUniqueId ?? decoy.itemId;
  return { ...(objectId === undefined ? {} : { objectId }), resource: change === undefined ? where : `${change} of ${where}` };
}

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

const DRIVE_OWNERS = new Set(['me', 'users', 'sites', 'groups']);

export function graphDriveItemOf(path: GraphRequestPath): GraphDriveItemReference | undefined {
  let rest = path.restAsWritten;
  let driveId: string | undefined;
  if (path.collection === 'drives') {
    driveId = path.key;
  } else if (DRIVE_OWNERS.has(path.collection)) {
    const head = rest[0]?.toLowerCase();
    if (head === 'drives') {
      driveId = rest[1];
      rest = rest.slice(2);
    } else if (head === 'drive') {
      rest = rest.slice(1);
    } else {
      return undefined;
    }
  } else {
    return undefined;
  }
  if (rest[0]?.toLowerCase() !== 'items' || rest[1] === undefined) return undefined;
  return { ...(driveId === undefined ? {} : { driveId }), itemId: rest[1], action: rest.slice(2).map((segment) => segment.toLowerCase()) };
}

/** Graph actions on an item that hand out its content without changing it. */
const GRAPH_READ_ACTIONS = new Set(['copy', 'preview']);

/** Whether a Graph request reads a drive item (any GET, a copy, a preview); every other write changes it or its sharing. */
export function readsDriveItem(method: string, reference: GraphDriveItemReference): boolean {
  return method === 'GET' || (method === 'POST' && reference.action.length === 1 && GRAPH_READ_ACTIONS.has(reference.action[0] ?? ''));
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

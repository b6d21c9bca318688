import type { DecoyIndex } from '../decoys/decoyIndex.js';
import type { ApplicationDecoy, UserDecoy } from '../domain/decoys.js';
import type { DirectoryTarget } from '../domain/events.js';
import type { GraphRequestPath } from './graphRequest.js';

export type DirectoryDecoy = UserDecoy | ApplicationDecoy;

/** The user or application decoy a directory id names, whichever kind of id it is. */
export function directoryDecoyOfId(id: string | undefined, decoys: DecoyIndex): DirectoryDecoy | undefined {
  return decoys.findAny<'user' | 'application'>([
    ['userObjectId', id],
    ['servicePrincipalId', id],
    ['applicationObjectId', id],
    ['appId', id],
  ]);
}

/** The decoy an audit record's target resource is. */
export function directoryDecoyOfTarget(target: DirectoryTarget, decoys: DecoyIndex): DirectoryDecoy | undefined {
  return directoryDecoyOfId(target.id, decoys) ?? decoys.find('userPrincipalName', target.userPrincipalName);
}

/** The decoy a Graph request addresses: `/users/{id|upn}`, `/applications/{id}`, `/servicePrincipals(appId='…')`, … */
export function directoryDecoyOfPath(path: GraphRequestPath, decoys: DecoyIndex): DirectoryDecoy | undefined {
  const { key, keyName } = path;
  if (key === undefined) return undefined;
  switch (path.collection) {
    case 'users':
      return decoys.findAny<'user'>([
        ['userObjectId', key],
        ['userPrincipalName', key],
      ]);
    case 'applications':
      return keyName === 'appid' ? decoys.find('appId', key) : decoys.find('applicationObjectId', key);
    case 'serviceprincipals':
      return keyName === 'appid' ? decoys.find('appId', key) : decoys.find('servicePrincipalId', key);
    case 'directoryobjects':
      return directoryDecoyOfId(key, decoys);
    default:
      return undefined;
  }
}

export function describeDirectoryDecoy(decoy: DirectoryDecoy): string {
  return decoy.kind === 'user' ? `decoy user ${decoy.userPrincipalName}` : `decoy application ${decoy.appId}`;
}

export function objectIdOf(decoy: DirectoryDecoy): string | undefined {
  return decoy.kind === 'user' ? decoy.objectId : (decoy.servicePrincipalId ?? decoy.objectId ?? decoy.appId);
}

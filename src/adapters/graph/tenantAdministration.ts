import type { SitePermission } from '../../ports/tenantAdministration.js';
import { type GraphClient, odataString, type RawPage } from './graphClient.js';

// Administrative units, directory role assignments and application owners: what tenant setup grants Lure.

export async function findAdministrativeUnits(graph: GraphClient, displayName: string): Promise<{ readonly id: string; readonly visibility?: string }[]> {
  const found = await graph.call<{ value?: { id: string; visibility?: string | null }[] }>('GET /directory/administrativeUnits', (client) =>
    client
      .api('/directory/administrativeUnits')
      .filter(`displayName eq '${odataString(displayName)}'`)
      .select(['id', 'visibility'])
      .get(),
  );
  return (found.value ?? []).map(({ id, visibility }) => ({ id, ...(typeof visibility === 'string' ? { visibility } : {}) }));
}

export async function createAdministrativeUnit(graph: GraphClient, displayName: string, description: string): Promise<string> {
  const created = await graph.call<{ id: string }>(
    'POST /directory/administrativeUnits',
    (client) => client.api('/directory/administrativeUnits').post({ displayName, description, visibility: 'HiddenMembership' }),
    // Not retried: a create whose answer was lost would make a second unit.
    { attempts: 1 },
  );
  return created.id;
}

export async function listAdministrativeUnitMembers(graph: GraphClient, unitId: string): Promise<Set<string>> {
  return graph.listIds('GET /directory/administrativeUnits/{id}/members', `/directory/administrativeUnits/${encodeURIComponent(unitId)}/members`);
}

export async function addAdministrativeUnitMember(graph: GraphClient, unitId: string, objectId: string): Promise<void> {
  await graph.addReference(
    'POST /directory/administrativeUnits/{id}/members/$ref',
    `/directory/administrativeUnits/${encodeURIComponent(unitId)}/members/$ref`,
    objectId,
  );
}

export async function listRoleAssignments(
  graph: GraphClient,
  principalId: string,
): Promise<{ readonly roleDefinitionId: string; readonly directoryScopeId: string }[]> {
  const found = await graph.call<{ value?: { roleDefinitionId: string; directoryScopeId: string }[] }>(
    'GET /roleManagement/directory/roleAssignments',
    (client) =>
      client
        .api('/roleManagement/directory/roleAssignments')
        .filter(`principalId eq '${odataString(principalId)}'`)
        .get(),
  );
  return (found.value ?? []).map(({ roleDefinitionId, directoryScopeId }) => ({ roleDefinitionId, directoryScopeId }));
}

export async function createRoleAssignment(graph: GraphClient, principalId: string, roleDefinitionId: string, directoryScopeId: string): Promise<void> {
  await graph.call(
    'POST /roleManagement/directory/roleAssignments',
    (client) =>
      client
        .api('/roleManagement/directory/roleAssignments')
        .post({ '@odata.type': '#microsoft.graph.unifiedRoleAssignment', principalId, roleDefinitionId, directoryScopeId }),
    { attempts: 1 },
  );
}

export async function listApplicationOwners(graph: GraphClient, applicationObjectId: string): Promise<Set<string>> {
  return graph.listIds('GET /applications/{id}/owners', `/applications/${encodeURIComponent(applicationObjectId)}/owners`);
}

export async function addApplicationOwner(graph: GraphClient, applicationObjectId: string, principalId: string): Promise<void> {
  await graph.addReference('POST /applications/{id}/owners/$ref', `/applications/${encodeURIComponent(applicationObjectId)}/owners/$ref`, principalId);
}

type RawSitePermission = {
  id?: unknown;
  roles?: unknown;
  grantedToIdentitiesV2?: { application?: { id?: unknown } }[];
  grantedToIdentities?: { application?: { id?: unknown } }[];
};

export async function listSitePermissions(graph: GraphClient, siteId: string): Promise<SitePermission[]> {
  const call = 'GET /sites/{id}/permissions';
  const site = `/sites/${encodeURIComponent(siteId)}/permissions`;
  const listed: RawSitePermission[] = [];
  let page = await graph.call<RawPage<RawSitePermission>>(call, (client) => client.api(site).get());
  for (;;) {
    listed.push(...(page.value ?? []));
    const next = page['@odata.nextLink'];
    if (typeof next !== 'string') break;
    page = await graph.call(call, (client) => client.api(next).get());
  }
  const permissions: SitePermission[] = [];
  for (const raw of listed) {
    if (typeof raw.id !== 'string') continue;
    const id = raw.id;
    // The list answers without roles: each grant is read by its id for them.
    const full =
      rolesOf(raw).length > 0
        ? raw
        : await graph.call<RawSitePermission>('GET /sites/{id}/permissions/{id}', (client) => client.api(`${site}/${encodeURIComponent(id)}`).get());
    const identities = [...(raw.grantedToIdentitiesV2 ?? []), ...(raw.grantedToIdentities ?? [])];
    const applicationIds = [...new Set(identities.flatMap((identity) => (typeof identity.application?.id === 'string' ? [identity.application.id] : [])))];
    permissions.push({ id, roles: rolesOf(full), applicationIds });
  }
  return permissions;
}

function rolesOf(raw: RawSitePermission): string[] {
  return Array.isArray(raw.roles) ? raw.roles.filter((role): role is string => typeof role === 'string') : [];
}

export async function updateSitePermissionRoles(graph: GraphClient, siteId: string, permissionId: string, roles: readonly string[]): Promise<void> {
  await graph.call('PATCH /sites/{id}/permissions/{id}', (client) =>
    client.api(`/sites/${encodeURIComponent(siteId)}/permissions/${encodeURIComponent(permissionId)}`).patch({ roles }),
  );
}

export async function grantSitePermission(
  graph: GraphClient,
  siteId: string,
  application: { readonly id: string; readonly displayName: string },
  roles: readonly string[],
): Promise<void> {
  await graph.call(
    'POST /sites/{id}/permissions',
    (client) => client.api(`/sites/${encodeURIComponent(siteId)}/permissions`).post({ roles, grantedToIdentities: [{ application }] }),
    // Not retried: a grant whose answer was lost would be made twice (the next run finds it done).
    { attempts: 1 },
  );
}

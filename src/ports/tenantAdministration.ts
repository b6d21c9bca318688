/**
 * The Graph calls `lure setup` makes as an administrator (never as Lure): the administrative unit that
 * holds the decoy users, Lure's role over it, Lure's ownership of registered decoy apps, and its
 * `Sites.Selected` access to the sites that hold decoy files. Lure's own
 * identity is deliberately not allowed these: it could then reset the password of anyone it added.
 */
export interface TenantAdministration {
  /** The administrative units with this display name (more than one is a mistake to show). */
  findAdministrativeUnits(displayName: string): Promise<{ readonly id: string; readonly visibility?: string }[]>;
  /** Creates it with hidden membership (members are visible to its admins only). Returns its id. */
  createAdministrativeUnit(displayName: string, description: string): Promise<string>;
  listAdministrativeUnitMembers(unitId: string): Promise<Set<string>>;
  /** Succeeds when the object is a member already. */
  addAdministrativeUnitMember(unitId: string, objectId: string): Promise<void>;
  /** The directory role assignments of a principal: role definition id and scope (`/` or `/administrativeUnits/{id}`). */
  listRoleAssignments(principalId: string): Promise<{ readonly roleDefinitionId: string; readonly directoryScopeId: string }[]>;
  createRoleAssignment(principalId: string, roleDefinitionId: string, directoryScopeId: string): Promise<void>;
  listApplicationOwners(applicationObjectId: string): Promise<Set<string>>;
  /** Succeeds when the principal is an owner already. */
  addApplicationOwner(applicationObjectId: string, principalId: string): Promise<void>;
  /** `GET /sites/{id}/permissions` (and each one by id, as the list leaves out roles): the apps granted access to the site, with their roles. */
  listSitePermissions(siteId: string): Promise<SitePermission[]>;
  /** `PATCH /sites/{id}/permissions/{id}`: the roles of an existing grant. */
  updateSitePermissionRoles(siteId: string, permissionId: string, roles: readonly string[]): Promise<void>;
  /** `POST /sites/{id}/permissions`: grants the app these roles on the site (what `Sites.Selected` lets it use). */
  grantSitePermission(siteId: string, application: { readonly id: string; readonly displayName: string }, roles: readonly string[]): Promise<void>;
}

export interface SitePermission {
  readonly id: string;
  readonly roles: readonly string[];
  /** The client ids of the apps granted. */
  readonly applicationIds: readonly string[];
}

/**
 * The Graph calls `lure setup` makes as an administrator (never as Lure): the administrative unit that
 * holds the decoy users, Lure's role over it, and Lure's ownership of registered decoy apps. Lure's own
 * identity is deliberately not allowed these: it could then reset the password of anyone it added.
 */
export interface TenantAdministration {
  /** The id of the administrative unit with this display name, if there is one. */
  findAdministrativeUnit(displayName: string): Promise<string | undefined>;
  /** Creates it with hidden membership (members are visible to its admins only). Returns its id. */
  createAdministrativeUnit(displayName: string, description: string): Promise<string>;
  listAdministrativeUnitMembers(unitId: string): Promise<Set<string>>;
  addAdministrativeUnitMember(unitId: string, objectId: string): Promise<void>;
  /** The directory role assignments of a principal: role definition id and scope (`/` or `/administrativeUnits/{id}`). */
  listRoleAssignments(principalId: string): Promise<{ readonly roleDefinitionId: string; readonly directoryScopeId: string }[]>;
  createRoleAssignment(principalId: string, roleDefinitionId: string, directoryScopeId: string): Promise<void>;
  listApplicationOwners(applicationObjectId: string): Promise<Set<string>>;
  addApplicationOwner(applicationObjectId: string, principalId: string): Promise<void>;
}

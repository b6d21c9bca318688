/**
 * The Graph calls `lure setup` makes as an administrator (never as Lure): the administrative unit that
 * holds the decoy users, Lure's role over it, and Lure's ownership of registered decoy apps. Lure's own
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
}

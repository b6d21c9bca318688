import type {
  Directory,
  DirectoryApplication,
  DirectoryDrive,
  DirectoryFile,
  DirectoryMessage,
  DirectorySite,
  DirectoryUser,
  DriveRef,
  ExchangeIdForms,
  NewDirectoryUser,
  NewMessage,
  NewPasswordCredential,
  OutgoingMail,
} from '../../ports/directory.js';
import type { SitePermission, TenantAdministration } from '../../ports/tenantAdministration.js';
import * as applications from './applications.js';
import * as files from './files.js';
import { GraphClient, type GraphDirectoryOptions } from './graphClient.js';
import * as mail from './mail.js';
import * as tenant from './tenantAdministration.js';
import * as users from './users.js';

export type { GraphDirectoryOptions } from './graphClient.js';
export { MARKER_PROPERTY_ID } from './mail.js';

/**
 * The `Directory` and `TenantAdministration` ports over Microsoft Graph v1.0. One client (see `GraphClient`
 * for its retries and error mapping) serves every call; each concern's calls live in a file of its own.
 */
export class GraphDirectory implements Directory, TenantAdministration {
  private readonly graph: GraphClient;

  constructor(options: GraphDirectoryOptions) {
    this.graph = new GraphClient(options);
  }

  createUser(user: NewDirectoryUser): Promise<DirectoryUser> {
    return users.createUser(this.graph, user);
  }

  getUser(idOrUserPrincipalName: string): Promise<DirectoryUser | undefined> {
    return users.getUser(this.graph, idOrUserPrincipalName);
  }

  resetUserPassword(userId: string, password: string): Promise<void> {
    return users.resetUserPassword(this.graph, userId, password);
  }

  deleteUser(userId: string): Promise<void> {
    return users.deleteUser(this.graph, userId);
  }

  upsertApplication(uniqueName: string, displayName: string): Promise<DirectoryApplication> {
    return applications.upsertApplication(this.graph, uniqueName, displayName);
  }

  getApplicationByUniqueName(uniqueName: string): Promise<DirectoryApplication | undefined> {
    return applications.getApplicationByUniqueName(this.graph, uniqueName);
  }

  getApplication(objectId: string): Promise<DirectoryApplication | undefined> {
    return applications.getApplication(this.graph, objectId);
  }

  upsertServicePrincipal(appId: string): Promise<string> {
    return applications.upsertServicePrincipal(this.graph, appId);
  }

  addApplicationPassword(objectId: string, credential: { readonly displayName: string; readonly endDateTime: string }): Promise<NewPasswordCredential> {
    return applications.addApplicationPassword(this.graph, objectId, credential);
  }

  removeApplicationPassword(objectId: string, keyId: string): Promise<void> {
    return applications.removeApplicationPassword(this.graph, objectId, keyId);
  }

  deleteApplication(objectId: string): Promise<void> {
    return applications.deleteApplication(this.graph, objectId);
  }

  findMailFolder(mailbox: string, displayName: string): Promise<string | undefined> {
    return mail.findMailFolder(this.graph, mailbox, displayName);
  }

  ensureMailFolder(mailbox: string, displayName: string): Promise<string> {
    return mail.ensureMailFolder(this.graph, mailbox, displayName);
  }

  createMessage(mailbox: string, folderId: string, message: NewMessage): Promise<DirectoryMessage> {
    return mail.createMessage(this.graph, mailbox, folderId, message);
  }

  listMessages(mailbox: string, folderId: string): Promise<DirectoryMessage[]> {
    return mail.listMessages(this.graph, mailbox, folderId);
  }

  deleteMessage(mailbox: string, messageId: string): Promise<void> {
    return mail.deleteMessage(this.graph, mailbox, messageId);
  }

  translateExchangeId(mailbox: string, restId: string): Promise<ExchangeIdForms> {
    return mail.translateExchangeId(this.graph, mailbox, restId);
  }

  sendMail(sender: string, message: OutgoingMail): Promise<void> {
    return mail.sendMail(this.graph, sender, message);
  }

  getSiteByUrl(siteUrl: string): Promise<DirectorySite | undefined> {
    return files.getSiteByUrl(this.graph, siteUrl);
  }

  getDefaultDrive(siteId: string): Promise<DirectoryDrive | undefined> {
    return files.getDefaultDrive(this.graph, siteId);
  }

  listDrives(siteId: string): Promise<DirectoryDrive[]> {
    return files.listDrives(this.graph, siteId);
  }

  getDriveItemByPath(drive: DriveRef, path: string): Promise<DirectoryFile | undefined> {
    return files.getDriveItemByPath(this.graph, drive, path);
  }

  getDriveItem(drive: DriveRef, itemId: string): Promise<DirectoryFile | undefined> {
    return files.getDriveItem(this.graph, drive, itemId);
  }

  uploadNewFile(drive: DriveRef, path: string, content: Uint8Array): Promise<DirectoryFile> {
    return files.uploadNewFile(this.graph, drive, path, content);
  }

  replaceFileContent(drive: DriveRef, itemId: string, content: Uint8Array): Promise<DirectoryFile> {
    return files.replaceFileContent(this.graph, drive, itemId, content);
  }

  deleteDriveItem(drive: DriveRef, itemId: string): Promise<void> {
    return files.deleteDriveItem(this.graph, drive, itemId);
  }

  listSitePermissions(siteId: string): Promise<SitePermission[]> {
    return tenant.listSitePermissions(this.graph, siteId);
  }

  updateSitePermissionRoles(siteId: string, permissionId: string, roles: readonly string[]): Promise<void> {
    return tenant.updateSitePermissionRoles(this.graph, siteId, permissionId, roles);
  }

  grantSitePermission(siteId: string, application: { readonly id: string; readonly displayName: string }, roles: readonly string[]): Promise<void> {
    return tenant.grantSitePermission(this.graph, siteId, application, roles);
  }

  findAdministrativeUnits(displayName: string): Promise<{ readonly id: string; readonly visibility?: string }[]> {
    return tenant.findAdministrativeUnits(this.graph, displayName);
  }

  createAdministrativeUnit(displayName: string, description: string): Promise<string> {
    return tenant.createAdministrativeUnit(this.graph, displayName, description);
  }

  listAdministrativeUnitMembers(unitId: string): Promise<Set<string>> {
    return tenant.listAdministrativeUnitMembers(this.graph, unitId);
  }

  addAdministrativeUnitMember(unitId: string, objectId: string): Promise<void> {
    return tenant.addAdministrativeUnitMember(this.graph, unitId, objectId);
  }

  listRoleAssignments(principalId: string): Promise<{ readonly roleDefinitionId: string; readonly directoryScopeId: string }[]> {
    return tenant.listRoleAssignments(this.graph, principalId);
  }

  createRoleAssignment(principalId: string, roleDefinitionId: string, directoryScopeId: string): Promise<void> {
    return tenant.createRoleAssignment(this.graph, principalId, roleDefinitionId, directoryScopeId);
  }

  listApplicationOwners(applicationObjectId: string): Promise<Set<string>> {
    return tenant.listApplicationOwners(this.graph, applicationObjectId);
  }

  addApplicationOwner(applicationObjectId: string, principalId: string): Promise<void> {
    return tenant.addApplicationOwner(this.graph, applicationObjectId, principalId);
  }
}

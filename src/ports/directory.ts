/**
 * The few Microsoft Graph calls decoy lifecycles need, in the customer's tenant. Implemented over Graph
 * (`GraphDirectory`), which the tests run against a loopback fake of Graph. Every method retries throttling
 * and transient failures inside the adapter; an error that escapes names the call (`DirectoryError`).
 *
 * Markers: Lure's creations carry a marker naming the journal entry that made them (a user's UPN chosen in
 * advance, an application's `uniqueName`, a credential's `displayName`, a message's extended property), so a
 * crashed rotation can find what it left behind.
 */
export interface Directory {
  /** `POST /users`: an enabled member user with the given password, no licence, roles or groups. */
  createUser(user: NewDirectoryUser): Promise<DirectoryUser>;
  /** `GET /users/{id or UPN}`; `undefined` when there is none. */
  getUser(idOrUserPrincipalName: string): Promise<DirectoryUser | undefined>;
  /** `PATCH /users/{id}` `passwordProfile`: needs the User Administrator role over the user. */
  resetUserPassword(userId: string, password: string): Promise<void>;
  /** `DELETE /users/{id}`; succeeds when the user is already gone. */
  deleteUser(userId: string): Promise<void>;

  /** `PATCH /applications(uniqueName=…)` with `Prefer: create-if-missing`: creating twice is harmless. */
  upsertApplication(uniqueName: string, displayName: string): Promise<DirectoryApplication>;
  /** `GET /applications(uniqueName=…)`; `undefined` when there is none. */
  getApplicationByUniqueName(uniqueName: string): Promise<DirectoryApplication | undefined>;
  /** `GET /applications/{object id}`; `undefined` when there is none. */
  getApplication(objectId: string): Promise<DirectoryApplication | undefined>;
  /** `PATCH /servicePrincipals(appId=…)` with `Prefer: create-if-missing`. Returns the service principal's id. */
  upsertServicePrincipal(appId: string): Promise<string>;
  /** `POST /applications/{id}/addPassword`. The secret is in the result only, once. */
  addApplicationPassword(objectId: string, credential: { readonly displayName: string; readonly endDateTime: string }): Promise<NewPasswordCredential>;
  /** `POST /applications/{id}/removePassword`; succeeds when the credential is already gone. */
  removeApplicationPassword(objectId: string, keyId: string): Promise<void>;
  /** `DELETE /applications/{id}` (its service principal goes with it); succeeds when it is already gone. */
  deleteApplication(objectId: string): Promise<void>;

  /** The id of the folder directly under the mailbox's root with this display name, if there is one. */
  findMailFolder(mailbox: string, displayName: string): Promise<string | undefined>;
  /** The folder directly under the mailbox's root with this display name, created if missing. */
  ensureMailFolder(mailbox: string, displayName: string): Promise<string>;
  /** `POST /users/{mailbox}/mailFolders/{folder}/messages`: a sent-looking (not draft) message with the marker. */
  createMessage(mailbox: string, folderId: string, message: NewMessage): Promise<DirectoryMessage>;
  /** Every message of a folder, with Lure's marker where it carries one. */
  listMessages(mailbox: string, folderId: string): Promise<DirectoryMessage[]>;
  /** `DELETE /users/{mailbox}/messages/{id}`; succeeds when it is already gone. */
  deleteMessage(mailbox: string, messageId: string): Promise<void>;
  /** `POST /users/{mailbox}/translateExchangeIds`: a message's or folder's REST id in the forms the audit log may carry. */
  translateExchangeId(mailbox: string, restId: string): Promise<ExchangeIdForms>;
  /** `POST /users/{sender}/sendMail` with a MIME message (HTML and plain-text parts). */
  sendMail(sender: string, mail: OutgoingMail): Promise<void>;

  /** `GET /sites/{host}:/{path}`: the site (a OneDrive is one too) at this URL; undefined when there is none or it is not granted. */
  getSiteByUrl(siteUrl: string): Promise<DirectorySite | undefined>;
  /** `GET /sites/{id}/drive`: the site's default document library (a OneDrive's own). */
  getDefaultDrive(siteId: string): Promise<DirectoryDrive | undefined>;
  /** `GET /sites/{id}/drives`: the site's document libraries. */
  listDrives(siteId: string): Promise<DirectoryDrive[]>;
  /** `GET /drives/{id}/root:/{path}`: the file or folder at a path of the library; undefined when there is none. */
  getDriveItemByPath(drive: DriveRef, path: string): Promise<DirectoryFile | undefined>;
  /** `GET /drives/{id}/items/{id}`; undefined when it is gone. */
  getDriveItem(drive: DriveRef, itemId: string): Promise<DirectoryFile | undefined>;
  /** `PUT /drives/{id}/root:/{path}:/content`, refused (`DirectoryError` 409) when a file is already there; the file as read back. */
  uploadNewFile(drive: DriveRef, path: string, content: Uint8Array): Promise<DirectoryFile>;
  /** `PUT /drives/{id}/items/{id}/content`: new content for the same item, at the same URL. */
  replaceFileContent(drive: DriveRef, itemId: string, content: Uint8Array): Promise<DirectoryFile>;
  /** `DELETE /drives/{id}/items/{id}` (to the site's recycle bin); succeeds when it is already gone. */
  deleteDriveItem(drive: DriveRef, itemId: string): Promise<void>;
}

export interface DirectorySite {
  /** Graph's composite id: `{host},{site collection id},{web id}`. */
  readonly id: string;
  readonly webUrl: string;
}

/** A document library as Lure addresses it. */
export interface DriveRef {
  readonly id: string;
  /** The library's URL (`https://contoso.sharepoint.com/sites/finance/Shared Documents`): file paths hang off it. */
  readonly webUrl: string;
}

export interface DirectoryDrive extends DriveRef {
  readonly name: string;
}

/** A file as Graph describes it, with the ids SharePoint's audit log writes. */
export interface DirectoryFile {
  readonly id: string;
  readonly driveId: string;
  readonly name: string;
  /** `/sites/finance/Shared Documents/Q3.xlsx`: the library's path and the file's path in it. */
  readonly serverRelativeUrl: string;
  readonly isFolder: boolean;
  readonly listItemUniqueId?: string;
  readonly createdDateTime?: string;
  /** The app that uploaded it, when an app did (Graph's `createdBy.application.id`). */
  readonly createdByApplicationId?: string;
  /** Graph's `cTag`: changes with the content. */
  readonly contentTag?: string;
}

export interface NewDirectoryUser {
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly mailNickname: string;
  readonly givenName?: string;
  readonly surname?: string;
  readonly jobTitle?: string;
  readonly department?: string;
  readonly password: string;
}

export interface DirectoryUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly accountEnabled?: boolean;
}

export interface DirectoryApplication {
  /** The application object's id (`/applications/{id}`). */
  readonly id: string;
  readonly appId: string;
  readonly uniqueName?: string;
  readonly passwordCredentials: readonly PasswordCredentialInfo[];
}

/** A client secret as Graph lists it: never with its text. */
export interface PasswordCredentialInfo {
  readonly keyId: string;
  readonly displayName?: string;
  readonly hint?: string;
  readonly endDateTime?: string;
}

export interface NewPasswordCredential extends PasswordCredentialInfo {
  /** The secret: returned once by Graph, to be planted and forgotten. */
  readonly secretText: string;
}

export interface NewMessage {
  readonly subject: string;
  readonly body: string;
  readonly from: { readonly name: string; readonly address: string };
  /** Lure's marker (the journal entry id), kept in an extended property readers do not see. */
  readonly marker: string;
}

export interface DirectoryMessage {
  /** The REST id Graph returned. */
  readonly id: string;
  readonly internetMessageId?: string;
  readonly marker?: string;
}

/** One message's or folder's id in each form the audit log or an API may write it. */
export interface ExchangeIdForms {
  readonly restId: string;
  readonly restImmutableEntryId?: string;
  readonly ewsId?: string;
  readonly entryId?: string;
  readonly immutableEntryId?: string;
}

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  /** The same content twice: a multipart/alternative message carries both. */
  readonly html: string;
  readonly text: string;
}

/** A directory call failed after its retries, or was refused. `status` is the last HTTP status, if any. */
export class DirectoryError extends Error {
  constructor(
    /** The call, e.g. `POST /applications/{id}/addPassword`. */
    readonly call: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${call}: ${message}`);
    this.name = 'DirectoryError';
  }
}

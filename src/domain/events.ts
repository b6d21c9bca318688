/**
 * The one event shape every source is normalised into. Detections read only these types, never raw JSON.
 * Absent values are `undefined`, never placeholders; times are ISO-8601 UTC strings with millisecond precision.
 */

/** Which producer format the record came in: Entra diagnostic settings, the Office 365 Management Activity API
 * (Exchange, AzureActiveDirectory, SharePoint and OneDrive workloads), the Defender XDR streaming API, or Lure's token observations. */
export type EventSource = 'entra' | 'exchange' | 'defender' | 'token';

/** Who acted. For a sign-in this is the principal that signed in; for a change, the principal that made it. */
export interface Actor {
  readonly userPrincipalName?: string;
  readonly userId?: string;
  readonly appId?: string;
  readonly servicePrincipalId?: string;
  readonly ipAddress?: string;
  readonly userAgent?: string;
}

/** Linkable token identifiers a record carries (Microsoft's "linkable identifiers"). */
export interface TokenContext {
  /** `uti` claim: sign-in `uniqueTokenIdentifier`, Graph `signInActivityId`, Exchange `AppAccessContext.UniqueTokenId`. Case-sensitive. */
  readonly uniqueTokenId?: string;
  /** `sid` claim: sign-in `sessionId`, Graph `C_Sid`, Exchange `AppAccessContext.AADSessionId`. */
  readonly sessionId?: string;
  /** When the token was issued (`iat`), ISO. */
  readonly issuedAt?: string;
  readonly kid?: string;
  readonly issuer?: string;
  readonly tenantId?: string;
}

export const SIGN_IN_CATEGORIES = [
  'SignInLogs',
  'NonInteractiveUserSignInLogs',
  'ServicePrincipalSignInLogs',
  'MicrosoftServicePrincipalSignInLogs',
  'ManagedIdentitySignInLogs',
  'ADFSSignInLogs',
] as const;
export type EntraSignInCategory = (typeof SIGN_IN_CATEGORIES)[number];
/** Sign-ins also arrive as Management Activity API logon records (`Workload: AzureActiveDirectory`, RecordType 15). */
export type SignInCategory = EntraSignInCategory | 'AzureActiveDirectoryStsLogon';

interface EventBase {
  readonly source: EventSource;
  /** The record's type as evidence: a log category (`SignInLogs`) or an audit operation (`MailItemsAccessed`). */
  readonly recordType: string;
  /** The record's own id (sign-in id, Graph requestId, audit record Id), stable across redeliveries. */
  readonly recordId: string;
  /** Event time: when it happened, not when it was shipped. */
  readonly time: string;
  readonly tenantId?: string;
  readonly actor: Actor;
  readonly token?: TokenContext;
}

export interface SignInEvent extends EventBase {
  readonly kind: 'signIn';
  readonly category: SignInCategory;
  readonly succeeded: boolean;
  /** Entra error code (`50126` bad password, …); 0 on success. */
  readonly errorCode?: number;
  readonly failureReason?: string;
  readonly appDisplayName?: string;
  readonly servicePrincipalName?: string;
  /** keyId of the client secret or certificate a service principal used (`servicePrincipalCredentialKeyId`). */
  readonly credentialKeyId?: string;
  readonly clientCredentialType?: string;
  /** The resource the token was requested for (app id). */
  readonly resourceId?: string;
  readonly resourceDisplayName?: string;
}

export interface GraphActivityEvent extends EventBase {
  readonly kind: 'graphActivity';
  readonly method: string;
  readonly requestUri: string;
  readonly responseStatusCode?: number;
  /** `C_Idtyp`: whether the token was an app-only or a delegated (user) token. */
  readonly identityType?: 'app' | 'user';
}

/** A directory object an audit record names as its target. */
export interface DirectoryTarget {
  readonly id?: string;
  /** `User`, `Application`, `ServicePrincipal`, `Group`, … as the log writes it. */
  readonly type?: string;
  readonly userPrincipalName?: string;
  readonly displayName?: string;
  /** Names of the properties the change touched (values are not kept: they may hold secrets' metadata). */
  readonly modifiedProperties: readonly string[];
}

export interface DirectoryAuditEvent extends EventBase {
  readonly kind: 'directoryAudit';
  /** `Reset user password`, `Update application – Certificates and secrets management`, … */
  readonly activity: string;
  readonly category?: string;
  readonly operationType?: string;
  readonly result?: string;
  readonly targets: readonly DirectoryTarget[];
}

/** The mailbox an Exchange record is about. */
export interface MailboxRef {
  readonly ownerUpn?: string;
  readonly guid?: string;
}

/** One message as an Exchange record identifies it; any of the ids may be missing. */
export interface MailItemRef {
  readonly internetMessageId?: string;
  readonly itemId?: string;
  readonly immutableId?: string;
  readonly folderId?: string;
}

export interface MailFolderRef {
  readonly id?: string;
  /** Localised (`\\Boîte de réception`): shown to people, never matched. */
  readonly path?: string;
  readonly items: readonly MailItemRef[];
}

interface ExchangeEventBase extends EventBase {
  readonly operation: string;
  readonly mailbox: MailboxRef;
  readonly clientInfoString?: string;
  readonly clientAppId?: string;
}

export interface MailItemsAccessedEvent extends ExchangeEventBase {
  readonly kind: 'mailItemsAccessed';
  /** Bind: the listed items were opened. Sync: a whole folder was synchronised (no item ids). */
  readonly accessType?: 'Bind' | 'Sync';
  readonly folders: readonly MailFolderRef[];
  readonly throttled?: boolean;
  readonly operationCount?: number;
}

/** Send, move, copy, create, update and delete of mail items. */
export interface MailItemOperationEvent extends ExchangeEventBase {
  readonly kind: 'mailItemOperation';
  readonly items: readonly MailItemRef[];
  readonly destinationFolderId?: string;
}

/** Inbox rules, mailbox settings, permissions and audit configuration. */
export interface MailboxChangeEvent extends ExchangeEventBase {
  readonly kind: 'mailboxChange';
  /** The mailbox (or rule) the cmdlet was aimed at, as written (`Identity` parameter or `ObjectId`). */
  readonly targetIdentity?: string;
  readonly parameters: readonly { readonly name: string; readonly value?: string }[];
}

export interface MailboxSearchEvent extends ExchangeEventBase {
  readonly kind: 'mailboxSearch';
}

export interface MailboxLoginEvent extends ExchangeEventBase {
  readonly kind: 'mailboxLogin';
  readonly logonType?: number;
}

/** A file as a SharePoint or OneDrive audit record names it; any of the forms may be missing. */
export interface FileRef {
  /** `ListItemUniqueId`: the list item's GUID. */
  readonly listItemUniqueId?: string;
  /** The file's full URL, as `ObjectId` writes it and as `SiteUrl` + `SourceRelativeUrl` + `SourceFileName` make it. */
  readonly urls: readonly string[];
  readonly siteUrl?: string;
  readonly fileName?: string;
}

/** A SharePoint or OneDrive file operation (Management Activity API `Audit.SharePoint`). */
export interface FileOperationEvent extends EventBase {
  readonly kind: 'fileOperation';
  /** `FileAccessed`, `FileDownloaded`, `FileModified`, `SharingSet`, … */
  readonly operation: string;
  /** `SharePoint` or `OneDrive`. */
  readonly workload: string;
  /** Whether the operation reads the file (opens, previews, downloads, syncs, copies) or changes it or who may reach it. */
  readonly access: 'read' | 'change';
  readonly file: FileRef;
  readonly clientAppId?: string;
}

/** What an API gateway saw of one bearer token. The token itself is never kept. */
export interface TokenObservationEvent extends EventBase {
  readonly kind: 'tokenObservation';
  readonly header: { readonly alg?: string; readonly kid?: string; readonly x5t?: string; readonly typ?: string };
  readonly claims: {
    readonly iss?: string;
    readonly tid?: string;
    readonly aud?: string;
    /** Seconds since the epoch. */
    readonly iat?: number;
    readonly uti?: string;
    readonly jti?: string;
    /** `appid` (v1) or `azp` (v2). */
    readonly appId?: string;
    readonly oid?: string;
    readonly ver?: string;
  };
  readonly signaturePresent: boolean;
  readonly observer?: string;
  readonly requestUri?: string;
}

export type NormalizedEvent =
  | SignInEvent
  | GraphActivityEvent
  | DirectoryAuditEvent
  | MailItemsAccessedEvent
  | MailItemOperationEvent
  | MailboxChangeEvent
  | MailboxSearchEvent
  | MailboxLoginEvent
  | FileOperationEvent
  | TokenObservationEvent;

export type EventKind = NormalizedEvent['kind'];
export type EventOfKind<K extends EventKind> = Extract<NormalizedEvent, { kind: K }>;
export type ExchangeEvent = EventOfKind<'mailItemsAccessed' | 'mailItemOperation' | 'mailboxChange' | 'mailboxSearch' | 'mailboxLogin'>;

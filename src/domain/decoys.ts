/**
 * Decoys: objects planted in the customer's tenant that nobody legitimate touches.
 * Identifier matching rules (DESIGN): UPNs and GUIDs match case-insensitively; token ids, `kid`, `jti`,
 * Exchange item and folder ids match exactly; an InternetMessageId matches exactly after stripping `<…>`.
 * File URLs match case-insensitively after percent-decoding and trimming a trailing slash; drive ids exactly.
 */

export const DECOY_KINDS = ['user', 'application', 'mailItem', 'token', 'file'] as const;
export type DecoyKind = (typeof DECOY_KINDS)[number];

interface DecoyBase {
  /** Lure's own id for the decoy, chosen by whoever registers it. */
  readonly id: string;
  /** A disabled decoy still records hits (as `suppressed` alerts) but never notifies. Default true. */
  readonly enabled: boolean;
  /** Free text for the admins: where the lure is planted, why it exists. */
  readonly memo?: string;
  /** How often the timer rotates the decoy's secret or content. */
  readonly rotationIntervalInHours?: number;
}

export interface UserDecoy extends DecoyBase {
  readonly kind: 'user';
  readonly userPrincipalName: string;
  readonly objectId?: string;
}

export interface ApplicationDecoy extends DecoyBase {
  readonly kind: 'application';
  readonly appId: string;
  readonly servicePrincipalId?: string;
  /** The application object's id (Graph `/applications/{id}`), distinct from `appId`. */
  readonly objectId?: string;
  /** keyIds of the client secrets/certificates Lure issued, oldest first: each one is a generation. */
  readonly credentialKeyIds: readonly string[];
}

export interface MailItemDecoy extends DecoyBase {
  readonly kind: 'mailItem';
  /** UPN of the mailbox that holds the decoy message. */
  readonly mailbox: string;
  readonly internetMessageId?: string;
  /** Exchange item id as the audit log writes it. */
  readonly itemId?: string;
  readonly immutableId?: string;
  /** Other forms of the item id (Graph REST id, EWS id) so Graph reads of the item match too. */
  readonly alternateItemIds: readonly string[];
  readonly folderId?: string;
  /** Other forms of the folder id (Graph REST id, EWS id, entry id), as audit records may write any. */
  readonly alternateFolderIds: readonly string[];
  /** True when the folder holds nothing but decoys, so a Sync of it is a hit. */
  readonly dedicatedFolder: boolean;
}

export interface TokenDecoy extends DecoyBase {
  readonly kind: 'token';
  readonly kid?: string;
  readonly jti?: string;
}

/**
 * A decoy file in a SharePoint site or a OneDrive: any read of it is a hit. At least one id form is needed:
 * the list item's unique id (audit records), its server-relative URL (audit records), or drive and item id
 * (Graph requests); Lure records all three for the files it creates.
 */
export interface FileDecoy extends DecoyBase {
  readonly kind: 'file';
  /** The site (or OneDrive) that holds the file: `https://contoso.sharepoint.com/sites/finance`. */
  readonly siteUrl: string;
  readonly driveId?: string;
  readonly itemId?: string;
  /** The list item's `UniqueId` (a GUID), as SharePoint audit records write `ListItemUniqueId`. */
  readonly listItemUniqueId?: string;
  readonly fileName?: string;
  /** The file's path on its host: `/sites/finance/Shared Documents/Q3 payroll export.xlsx`. */
  readonly serverRelativeUrl?: string;
}

export type Decoy = UserDecoy | ApplicationDecoy | MailItemDecoy | TokenDecoy | FileDecoy;
export type DecoyOfKind<K extends DecoyKind> = Extract<Decoy, { kind: K }>;

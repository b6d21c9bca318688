/**
 * The identifier spaces decoys are looked up in, and how each compares (DESIGN "Decoy file"): UPNs and
 * GUIDs case-insensitively; token ids, `kid`, `jti`, Exchange item and folder ids exactly; an
 * InternetMessageId exactly after stripping its angle brackets; a file URL case-insensitively after
 * percent-decoding, without its scheme, query or trailing slash.
 */
export const IDENTIFIER_SPACES = {
  userPrincipalName: 'caseInsensitive',
  userObjectId: 'caseInsensitive',
  appId: 'caseInsensitive',
  servicePrincipalId: 'caseInsensitive',
  applicationObjectId: 'caseInsensitive',
  internetMessageId: 'messageId',
  mailItemId: 'exact',
  dedicatedFolderId: 'exact',
  tokenKid: 'exact',
  tokenJti: 'exact',
  fileUniqueId: 'caseInsensitive',
  fileUrl: 'url',
  driveItemId: 'exact',
} as const;

export type IdentifierSpace = keyof typeof IDENTIFIER_SPACES;

/** The form an identifier is stored and looked up in. */
export function canonicalIdentifier(space: IdentifierSpace, value: string): string {
  const trimmed = value.trim();
  switch (IDENTIFIER_SPACES[space]) {
    case 'caseInsensitive':
      return trimmed.toLowerCase();
    case 'messageId':
      return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
    case 'exact':
      return trimmed;
    case 'url':
      return canonicalFileUrl(trimmed);
  }
}

/**
 * A SharePoint URL as it is compared: host and path, percent-decoded, lower-cased, no trailing slash.
 * Audit records write `ObjectId` both encoded (`Shared%20Documents`) and not, and `SiteUrl` with a slash.
 */
export function canonicalFileUrl(value: string): string {
  const withoutScheme = value.trim().replace(/^https?:\/\//i, '');
  // `?` cannot be in a SharePoint name, so it starts a query; `#` can, so it is kept.
  const withoutQuery = withoutScheme.split('?', 1)[0] ?? '';
  let decoded = withoutQuery;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    // A literal `%` in a file name is not an escape: the URL is compared as written.
  }
  return decoded.replace(/\/+$/, '').toLowerCase();
}

/** A file's URL from its site and its path on the host (`/sites/finance/Shared Documents/a.xlsx`). */
export function fileUrlOf(siteUrl: string, serverRelativeUrl: string): string {
  const origin = /^(https?:\/\/[^/]+)/i.exec(siteUrl.trim())?.[1] ?? '';
  return `${origin}${serverRelativeUrl.startsWith('/') ? '' : '/'}${serverRelativeUrl}`;
}

/** Mailbox addresses compare case-insensitively, like UPNs. */
export function canonicalMailbox(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The identifier spaces decoys are looked up in, and how each compares (DESIGN "Decoy file"): UPNs and
 * GUIDs case-insensitively; token ids, `kid`, `jti`, Exchange item and folder ids exactly; an
 * InternetMessageId exactly after stripping its angle brackets.
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
  }
}

/** Mailbox addresses compare case-insensitively, like UPNs. */
export function canonicalMailbox(value: string): string {
  return value.trim().toLowerCase();
}

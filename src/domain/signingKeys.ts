/** Which published key set a signing key belongs to. */
export type KeySetName = 'organization' | 'consumer' | `app:${string}`;

/** What Lure keeps of one published signing key: its public identifiers, certificate validity and history. */
export interface SigningKey {
  /** The key id tokens name in their header (`kid`); for Entra keys equal to `x5t`. */
  readonly kid: string;
  readonly x5t?: string;
  readonly set: KeySetName;
  /** The issuer the key signs for, as the key set writes it (`…/{tenantid}/v2.0` or the consumer tenant). */
  readonly issuer?: string;
  /** SHA-1 thumbprint of the certificate (lower-case hex), the form IOCs are published in. */
  readonly thumbprint?: string;
  readonly certificateNotBefore?: string;
  readonly certificateNotAfter?: string;
  /** First and last time a fetch of its set listed it (wall clock); undefined for keys loaded from files. */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}

/** When each key set was last fetched: a key missing from a recent fetch of its own set may be retired. */
export interface KeySetFetch {
  readonly set: KeySetName;
  readonly fetchedAt: string;
}

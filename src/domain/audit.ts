/** Who called the admin API, as its verified token says. */
export interface Caller {
  /** The caller's object id (`oid`): a user, or the service principal of an app calling as itself. */
  readonly objectId: string;
  /** The user's sign-in name (`preferred_username` or `upn`); absent for an app calling as itself. */
  readonly userPrincipalName?: string;
  /** The client app the token was issued to (`azp`/`appid`). */
  readonly appId?: string;
  readonly roles: readonly string[];
}

/** One change made through the admin API (the audit trail): who, what, to which object, and how it ended. */
export interface AuditEntry {
  /** Unique per entry. */
  readonly id: string;
  /** Wall-clock time the change ended. */
  readonly at: string;
  readonly caller: Pick<Caller, 'objectId' | 'userPrincipalName' | 'appId'>;
  /** What was done: `decoy.create`, `decoy.update`, `decoy.rotate`, `decoy.retire`, `alert.acknowledge`, … */
  readonly action: string;
  /** What it was done to: `decoy:d-user-1`, `alert:…`. */
  readonly target: string;
  /** `failed` when the change started but could not be completed (a Graph or store failure). */
  readonly outcome: 'succeeded' | 'failed';
  /** The HTTP status the caller got. */
  readonly status: number;
  /** What changed, in words, never a secret: `enabled: true → false`, a triage note. */
  readonly detail?: string;
}

/** The decoy named does not exist. */
export class DecoyNotFoundError extends RangeError {
  override name = 'DecoyNotFoundError';
  constructor(readonly decoyId: string) {
    super(`decoy ${decoyId} does not exist`);
  }
}

/** The operation conflicts with the decoys' state: an id taken, an operation unfinished, a lure carried. */
export class LifecycleConflictError extends RangeError {
  override name = 'LifecycleConflictError';
}

/** A create lost its id or an identifier to a decoy registered meanwhile; it is settled already (undone, save what that decoy names). */
export class CreateOvertakenError extends LifecycleConflictError {
  override name = 'CreateOvertakenError';
}

/** Lure lacks what the operation needs (Graph access for any kind but honeytokens). */
export class NotConfiguredError extends RangeError {
  override name = 'NotConfiguredError';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

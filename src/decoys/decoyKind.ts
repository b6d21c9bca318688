import type { z } from 'zod';
import type { DecoyKind, DecoyOfKind } from '../domain/decoys.js';
import type { IdentifierSpace } from './identifierSpaces.js';

/** One identifier a decoy owns: an event carrying it touches the decoy. */
export interface DecoyIdentifier {
  readonly space: IdentifierSpace;
  readonly value: string;
}

/**
 * What every decoy kind provides. Kinds are listed in `decoyKinds.ts`; the lifecycle (create, rotate,
 * retire) joins this interface when Lure manages decoys through Graph.
 */
export interface DecoyKindModule<K extends DecoyKind> {
  readonly kind: K;
  /** Validates one entry of a decoy file (or an admin API body) of this kind; unknown fields are rejected. */
  readonly schema: z.ZodType<DecoyOfKind<K>>;
  /** The identifiers this decoy owns, for the lookup index. */
  identifiers(decoy: DecoyOfKind<K>): DecoyIdentifier[];
  /** The mailbox this decoy lives in, if any: changes to that mailbox's audit settings blind the decoy. */
  mailboxOf(decoy: DecoyOfKind<K>): string | undefined;
}

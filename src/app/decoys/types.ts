import type { Decoy } from '../../domain/decoys.js';
import type { LifecycleSettings, LureMaterial, RegisteredDecoy } from '../../domain/lifecycle.js';
import type { Clock } from '../../ports/clock.js';
import type { Directory } from '../../ports/directory.js';
import type { Logger } from '../../ports/logger.js';
import type { DecoyStore } from '../../ports/store/decoyStore.js';
import type { LifecycleStore } from '../../ports/store/lifecycleStore.js';

export interface DecoyLifecyclesDeps {
  readonly store: DecoyStore & LifecycleStore;
  /** The tenant's directory; undefined when Lure has no Graph access (then only honeytokens can be managed). */
  readonly directory: Directory | undefined;
  readonly clock: Clock;
  readonly settings: LifecycleSettings;
  readonly tenantId?: string;
  /** Lure's own object and app ids (lower-cased): what Lure itself made in the tenant is told apart by them. */
  readonly selfPrincipalIds?: readonly string[];
  readonly logger: Logger;
  /** Tells the decoy registry its cache is stale. */
  readonly decoysChanged: () => void;
}

/** What a create or a rotation hands its caller: the decoy as registered, and the lure to plant (once). */
export interface LifecycleResult {
  readonly decoy: Decoy;
  readonly material?: LureMaterial;
  /** Decoy messages rewritten with the new lure material. */
  readonly placementsRewritten: readonly string[];
}

export interface ReconcileReport {
  /** Interrupted operations carried to their end. */
  readonly finished: number;
  /** Interrupted operations undone (the decoy keeps its previous generation). */
  readonly rolledBack: number;
  /** Leftovers removed from the tenant (credentials or messages no kept generation owns). */
  readonly swept: number;
  readonly failures: readonly string[];
}

export interface RotationReport extends ReconcileReport {
  readonly rotated: number;
  /** Decoys planted by hand whose rotation is due: the admins must rotate and re-plant them. */
  readonly markedDue: readonly RegisteredDecoy[];
}

/** What an admin may change on a registered decoy. `null` clears a field. */
export interface DecoyChanges {
  readonly enabled?: boolean;
  readonly memo?: string | null;
  readonly rotationIntervalInHours?: number | null;
}

export interface SettleOptions {
  /**
   * Finish or undo the operation at once if it fails (default). Off, a failure leaves it to the timer, as a
   * crash would (the crash tests use this: a dying process runs no catch block).
   */
  readonly settleOnFailure?: boolean;
}

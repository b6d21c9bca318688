import type { z } from 'zod';
import type { DecoyKind, DecoyOfKind } from '../domain/decoys.js';
import type { CreateTarget, DecoyGeneration, DecoyLifecycle, JournalEntry, LifecycleSettings, LureMaterial, Placement } from '../domain/lifecycle.js';
import type { Directory } from '../ports/directory.js';
import type { IdentifierSpace } from './identifierSpaces.js';

/** One identifier a decoy owns: an event carrying it touches the decoy. */
export interface DecoyIdentifier {
  readonly space: IdentifierSpace;
  readonly value: string;
}

/** The decoy's state does not allow the operation (a honeytoken registered by jti alone cannot be minted again). */
export class DecoyStateError extends RangeError {
  override name = 'DecoyStateError';
}

/** What a lifecycle step may use: the tenant's directory, the time, the settings. */
export interface LifecycleContext {
  readonly directory: Directory;
  readonly now: Date;
  readonly settings: LifecycleSettings;
  /** The tenant Lure protects, for lure material that names it. */
  readonly tenantId?: string;
  /** Lure's own object and app ids, lower-cased (`LURE_SELF_PRINCIPAL_IDS`); empty when not configured. */
  readonly selfPrincipalIds?: ReadonlySet<string>;
}

/** A new generation made in the cloud, and the secret that came with it (returned once, never kept). */
export interface MadeGeneration {
  readonly generation: DecoyGeneration;
  readonly secret?: string;
  /** Token decoys: the honeytoken, which Lure keeps. */
  readonly honeytoken?: string;
}

export interface CreatedDecoy<K extends DecoyKind> extends MadeGeneration {
  readonly decoy: DecoyOfKind<K>;
  /** Kind-specific lifecycle fields (a mail decoy's message template). */
  readonly lifecycleExtras?: Partial<DecoyLifecycle>;
}

/** A request to create a decoy of kind K (validated by `createSchema`). */
export interface CreateRequestBase {
  readonly id: string;
  readonly enabled: boolean;
  readonly memo?: string;
  readonly rotationIntervalInHours?: number;
  readonly placements: readonly Placement[];
}

/** A request to create a decoy of any kind: a union by kind, so `withKind` can hand it to its kind's module. */
export type AnyCreateRequest = { readonly [K in DecoyKind]: CreateRequestBase & { readonly kind: K } }[DecoyKind];
export type CreateRequestOfKind<K extends DecoyKind> = Extract<AnyCreateRequest, { kind: K }>;

/**
 * What every decoy kind provides: how its decoys are described and matched, and how Lure creates, rotates
 * and retires them in the tenant. Kinds are listed in `decoyKinds.ts`.
 */
export interface DecoyKindModule<K extends DecoyKind, R extends CreateRequestBase & { readonly kind: K } = CreateRequestBase & { readonly kind: K }> {
  readonly kind: K;
  /** Validates one entry of a decoy file (or an admin API body) of this kind; unknown fields are rejected. */
  readonly schema: z.ZodType<DecoyOfKind<K>>;
  /** The identifiers this decoy owns, for the lookup index. */
  identifiers(decoy: DecoyOfKind<K>): DecoyIdentifier[];
  /** The mailbox this decoy lives in, if any: changes to that mailbox's audit settings blind the decoy. */
  mailboxOf(decoy: DecoyOfKind<K>): string | undefined;
  readonly lifecycle: KindLifecycle<K, R>;
}

/**
 * A kind's steps in the tenant. Each cloud object or credential it makes carries the journal entry's id
 * (its marker), so what a crash left behind can be found and removed.
 */
export interface KindLifecycle<K extends DecoyKind, R extends { readonly kind: K }> {
  /** Validates a create request of this kind. */
  readonly createSchema: z.ZodType<R>;
  /** Whether a new generation carries a secret someone must plant (a password, a client secret). */
  readonly makesSecret: boolean;
  /** How many generations stay live in the tenant, the current included. */
  keptGenerations(settings: LifecycleSettings): number;
  /** The names a create will use, chosen before any cloud call and journaled, so an undo can find them. */
  targetOf(request: R, journalId: string, context: LifecycleContext): Promise<CreateTarget>;
  create(request: R, target: CreateTarget, entry: JournalEntry, context: LifecycleContext): Promise<CreatedDecoy<K>>;
  /** Makes a new generation. `content` is a managed placement's lure material, for a decoy message's body or a decoy file. */
  rotate(decoy: DecoyOfKind<K>, lifecycle: DecoyLifecycle, entry: JournalEntry, context: LifecycleContext, content?: string): Promise<MadeGeneration>;
  /** The decoy as registered with these kept generations (pure). */
  registered(decoy: DecoyOfKind<K>, generations: readonly DecoyGeneration[]): DecoyOfKind<K>;
  /** Removes a generation that fell out of the kept ones. Succeeds if it is already gone. */
  removeGeneration(decoy: DecoyOfKind<K>, generation: DecoyGeneration, context: LifecycleContext): Promise<void>;
  /** Removes what a create that never finished made, found by its target and marker. Succeeds if nothing was made. */
  undoCreate(target: CreateTarget, entry: JournalEntry, context: LifecycleContext): Promise<void>;
  /**
   * Removes from the tenant what carries the marker of a journal entry that worked on this decoy
   * (`ownMarker`) but is no kept generation: leftovers of crashes and of retried calls. `beforeRemoving` is
   * awaited once before the first removal (the caller journals it). Returns how many.
   */
  sweep(
    decoy: DecoyOfKind<K>,
    lifecycle: DecoyLifecycle,
    ownMarker: (journalId: string) => boolean,
    context: LifecycleContext,
    beforeRemoving: () => Promise<void>,
  ): Promise<number>;
  /** Removes the decoy from the tenant: deletes what Lure created, or only the secrets Lure added. */
  retire(decoy: DecoyOfKind<K>, lifecycle: DecoyLifecycle, context: LifecycleContext): Promise<void>;
  /** What an admin plants, given the new secret (or the honeytoken); undefined when there is nothing to plant. */
  material(decoy: DecoyOfKind<K>, secret: string | undefined, context: Pick<LifecycleContext, 'tenantId'>): LureMaterial | undefined;
}

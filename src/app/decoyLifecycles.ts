import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/loadConfig.js';
import type { Decoy, DecoyKind } from '../domain/decoys.js';
import type { DecoyGeneration, DecoyLifecycle, JournalEntry, JournalStep, LureMaterial, MadeChange, Placement, RegisteredDecoy } from '../domain/lifecycle.js';
import type { CreateRequestBase, DecoyKindModule, KindLifecycle, LifecycleContext } from '../decoys/decoyKind.js';
import { DECOY_KIND_MODULES, identifiersOf } from '../decoys/decoyKinds.js';
import { canonicalIdentifier } from '../decoys/identifierSpaces.js';
import { assertDistinct, DecoyValidationError, parseDecoy } from '../decoys/parseDecoys.js';
import { keepNewest, nextRotationAt, rotationPlanOf } from '../decoys/rotationPolicy.js';
import { newJournalId } from '../decoys/secrets.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../ports/directory.js';
import type { Logger } from '../ports/logger.js';
import { ConcurrencyError, type StateStore } from '../ports/stateStore.js';
import { changeRegistry } from './decoys/decoyRegistration.js';

export interface DecoyLifecyclesDeps {
  readonly store: StateStore;
  /** The tenant's directory; undefined when Lure has no Graph access (then only honeytokens can be managed). */
  readonly directory: Directory | undefined;
  readonly clock: Clock;
  readonly settings: Config['lifecycle'];
  readonly tenantId?: string;
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

/** Any create request; each kind validates its own. */
type AnyCreateRequest = CreateRequestBase & { readonly kind: DecoyKind };

/** A journal entry as this run last wrote it: the ETag proves the operation is still this run's. */
interface Operation {
  readonly entry: JournalEntry;
  readonly etag: string;
}

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
class CreateOvertakenError extends LifecycleConflictError {
  override name = 'CreateOvertakenError';
}

/** Lure lacks what the operation needs (Graph access for any kind but honeytokens). */
export class NotConfiguredError extends RangeError {
  override name = 'NotConfiguredError';
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

/** A failed rotation is tried again by the timer after this long, not at every tick. */
const RETRY_AFTER_FAILURE_IN_HOURS = 1;
/**
 * An unfinished entry not written for this long belongs to a run that died. A Graph call gives up within
 * about five minutes (four attempts, waits included) and a step makes at most seven, so no live run is this
 * slow; the Functions host ends a timer run well before. Younger entries are left to their run.
 */
export const ABANDONED_AFTER_IN_MINUTES = 60;

/**
 * Decoy lifecycles in the tenant: create, rotate, retire, and the timer's reconciliation. Every operation
 * writes a journal entry before each step (intent → cloudDone → registryUpdated → finished), each write
 * conditional on the last, so a run that was given up for dead cannot write over its successor. Whatever a
 * crash interrupts, `reconcile` finishes (when nothing is lost by it) or undoes (when the new secret died
 * with the process), and a journaled sweep removes what carries Lure's marker but belongs to no kept
 * generation. Secrets live only in memory, from Graph's answer to the caller or to the message that carries them.
 */
export class DecoyLifecycles {
  constructor(private readonly deps: DecoyLifecyclesDeps) {}

  /** Creates a decoy in the tenant and registers it. The secret comes back once, in the lure material. */
  async create(input: unknown, options: SettleOptions = {}): Promise<LifecycleResult> {
    const request = parseCreateRequest(input);
    if ((await this.deps.store.getDecoy(request.id)) !== undefined) throw new LifecycleConflictError(`id: a decoy with id ${request.id} already exists`);
    const carriers = await this.carriersOf(request.placements, request.id);
    const module = moduleOf(request.kind);
    const context = this.context(module.kind);
    const id = newJournalId();
    const target = await module.lifecycle.targetOf(request, id, context);
    await this.assertNothingUnfinished([request.id, ...carriers.map((carrier) => carrier.decoy.id)], target);
    let operation = await this.begin({ id, decoyId: request.id, kind: request.kind, operation: 'create', secretTo: 'caller', placementDecoyIds: carriers.map((carrier) => carrier.decoy.id), target, before: carriers });
    return this.settled(operation.entry.id, options, async () => {

      const created = await module.lifecycle.create(request, target, operation.entry, context);
      const lifecycle: DecoyLifecycle = {
        decoyId: request.id,
        kind: request.kind,
        createdByLure: true,
        generations: [created.generation],
        placements: request.placements,
        lastRotatedAt: context.now.toISOString(),
        ...this.nextRotationOf(created.decoy, context.now),
        ...created.lifecycleExtras,
        ...(created.honeytoken === undefined ? {} : { honeytoken: created.honeytoken }),
      };
      const material = module.lifecycle.material(created.decoy as never, created.secret ?? created.honeytoken, context);
      const placements = await this.rewritePlacements(carriers, material, operation.entry);
      operation = await this.step(operation, 'cloudDone', {
        made: {
          decoy: created.decoy,
          lifecycle,
          placements: placements.rewritten,
          generations: [{ decoyId: request.id, generation: created.generation }, ...placements.generations],
          dropped: placements.dropped,
        },
      });
      await this.register(operation);
      return { decoy: created.decoy, ...(material === undefined ? {} : { material }), placementsRewritten: placements.rewritten.map((placement) => placement.decoy.id) };
    });
  }

  /**
   * Rotates a decoy now: a new generation in the tenant, its managed placements rewritten, generations beyond
   * the kept ones removed. `secretTo: 'caller'` returns the lure material (an admin rotating by hand).
   */
  async rotate(decoyId: string, secretTo: JournalEntry['secretTo'] = 'caller', options: SettleOptions = {}): Promise<LifecycleResult> {
    const current = await this.registered(decoyId);
    const { decoy, lifecycle } = current;
    const carriers = await this.carriersOf(lifecycle.placements, decoyId);
    await this.assertNothingUnfinished([decoyId, ...carriers.map((carrier) => carrier.decoy.id)]);
    const module = moduleOf(decoy.kind);
    const context = this.context(decoy.kind);
    let operation = await this.begin({
      id: newJournalId(),
      decoyId,
      kind: decoy.kind,
      operation: 'rotate',
      secretTo,
      placementDecoyIds: carriers.map((carrier) => carrier.decoy.id),
      before: [current, ...carriers],
    });
    return this.settled(operation.entry.id, options, async () => {

      const made = await module.lifecycle.rotate(decoy as never, lifecycle, operation.entry, context);
      const { kept, dropped } = keepNewest(lifecycle.generations, made.generation, module.lifecycle.keptGenerations(this.deps.settings));
      const rotated = module.lifecycle.registered(decoy as never, kept) as Decoy;
      // A new schedule from now (none without an interval), no notice pending, no failure standing.
      const { rotationDueSince: _due, lastFailure: _failure, nextRotationAt: _next, ...rest } = lifecycle;
      const nextLifecycle: DecoyLifecycle = {
        ...rest,
        generations: kept,
        lastRotatedAt: context.now.toISOString(),
        ...this.nextRotationOf(decoy, context.now),
        ...(made.honeytoken === undefined ? {} : { honeytoken: made.honeytoken }),
      };
      const material = module.lifecycle.material(rotated as never, made.secret ?? made.honeytoken, context);
      const placements = await this.rewritePlacements(carriers, material, operation.entry);
      operation = await this.step(operation, 'cloudDone', {
        made: {
          decoy: rotated,
          lifecycle: nextLifecycle,
          placements: placements.rewritten,
          generations: [{ decoyId, generation: made.generation }, ...placements.generations],
          dropped: [...dropped.map((generation) => ({ decoyId, generation })), ...placements.dropped],
        },
      });
      await this.register(operation);
      return {
        decoy: rotated,
        ...(material === undefined || secretTo !== 'caller' ? {} : { material }),
        placementsRewritten: placements.rewritten.map((placement) => placement.decoy.id),
      };
    });
  }

  /**
   * Changes what admins control on a decoy (enabled, memo, rotation interval) at the ETag it was read at;
   * returns the decoy and its new ETag. A new interval reschedules the next rotation from the last one.
   * Throws `ConcurrencyError` when the decoy changed since `etag`.
   */
  async configure(decoyId: string, changes: DecoyChanges, etag: string): Promise<{ readonly decoy: Decoy; readonly etag: string }> {
    const current = await this.deps.store.getDecoy(decoyId);
    if (current === undefined) throw new DecoyNotFoundError(decoyId);
    // Checked here too, not only by the store's conditional write: an ETag of another form must fail the same way.
    if (current.etag !== etag) throw new ConcurrencyError(`decoy ${decoyId} changed since it was read`);
    const { memo: _memo, rotationIntervalInHours: _interval, ...rest } = current.value;
    const memo = changes.memo === undefined ? current.value.memo : (changes.memo ?? undefined);
    const interval = changes.rotationIntervalInHours === undefined ? current.value.rotationIntervalInHours : (changes.rotationIntervalInHours ?? undefined);
    const decoy = {
      ...rest,
      enabled: changes.enabled ?? current.value.enabled,
      ...(memo === undefined ? {} : { memo }),
      ...(interval === undefined ? {} : { rotationIntervalInHours: interval }),
    } as Decoy;
    const rescheduled = changes.rotationIntervalInHours !== undefined && interval !== current.value.rotationIntervalInHours;
    // A new schedule must not land under a rotation in flight, which writes the schedule it computed.
    if (rescheduled) await this.assertNothingUnfinished([decoyId]);
    const nextEtag = await this.deps.store.updateDecoy(decoy, etag);
    if (rescheduled) {
      const lifecycle = await this.deps.store.getDecoyLifecycle(decoyId);
      if (lifecycle !== undefined) {
        const { nextRotationAt: _next, ...unscheduled } = lifecycle;
        const from = lifecycle.lastRotatedAt === undefined ? this.deps.clock.now() : new Date(lifecycle.lastRotatedAt);
        await this.deps.store.upsertDecoyLifecycle({ ...unscheduled, ...this.nextRotationOf(decoy, from) });
      }
    }
    this.deps.decoysChanged();
    return { decoy, etag: nextEtag };
  }

  /**
   * The lure material a decoy has now, without any secret: only a honeytoken (which grants nothing) is kept
   * and can be shown again; a password or client secret went to whoever created or rotated it.
   */
  async currentMaterial(decoyId: string): Promise<{ readonly decoy: Decoy; readonly material?: LureMaterial }> {
    const { decoy, lifecycle } = await this.registered(decoyId);
    const material = decoy.kind === 'token' && lifecycle.honeytoken !== undefined ? moduleOf('token').lifecycle.material(decoy as never, lifecycle.honeytoken, this.context('token')) : undefined;
    return { decoy, ...(material === undefined ? {} : { material }) };
  }

  /** Removes a decoy from the tenant (what Lure created is deleted; a registered object keeps all but Lure's secrets) and from the registry. */
  async retire(decoyId: string, options: SettleOptions = {}): Promise<void> {
    const decoy = (await this.deps.store.getDecoy(decoyId))?.value;
    if (decoy === undefined) throw new DecoyNotFoundError(decoyId);
    const carried = (await this.deps.store.listDecoyLifecycles()).filter((lifecycle) => placementDecoyIdsOf(lifecycle.placements).includes(decoyId));
    if (carried.length > 0) throw new LifecycleConflictError(`decoy ${decoyId} carries the lure of ${carried.map((lifecycle) => lifecycle.decoyId).join(', ')}: retire those first`);
    await this.assertNothingUnfinished([decoyId]);
    const lifecycle = await this.deps.store.getDecoyLifecycle(decoyId);
    let operation = await this.begin({ id: newJournalId(), decoyId, kind: decoy.kind, operation: 'retire', secretTo: 'caller', placementDecoyIds: [] });
    return this.settled(operation.entry.id, options, async () => {
      if (lifecycle !== undefined) await moduleOf(decoy.kind).lifecycle.retire(decoy as never, lifecycle, this.context(decoy.kind));
      operation = await this.step(operation, 'cloudDone');
      await this.register(operation);
    });
  }

  /**
   * Carries every abandoned operation to its end or undoes it, then sweeps the managed decoys for Lure's
   * leftovers. Operations written to within the last minutes are left to the run that is doing them.
   */
  async reconcile(): Promise<ReconcileReport & { readonly busy: ReadonlySet<string> }> {
    const failures: string[] = [];
    let finished = 0;
    let rolledBack = 0;
    const abandonedBefore = new Date(this.deps.clock.now().getTime() - ABANDONED_AFTER_IN_MINUTES * 60_000).toISOString();
    const unfinished = (await this.deps.store.listJournalEntries(this.journalHorizon()))
      .filter((entry) => entry.step !== 'finished')
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const busy = new Set<string>();
    for (const entry of unfinished) {
      const decoyIds = [entry.decoyId, ...entry.placementDecoyIds];
      if (entry.updatedAt >= abandonedBefore) {
        for (const decoyId of decoyIds) busy.add(decoyId);
        continue;
      }
      try {
        if ((await this.recover(entry.id)) === 'completed') finished += 1;
        else rolledBack += 1;
      } catch (error) {
        for (const decoyId of decoyIds) busy.add(decoyId);
        failures.push(`${entry.operation} ${entry.decoyId} (journal ${entry.id}): ${messageOf(error)}`);
      }
    }
    const swept = await this.sweep(busy, failures);
    return { finished, rolledBack, swept, failures, busy };
  }

  /**
   * The timer's run: reconcile, then rotate what is due (one decoy's failure stops no other). A decoy planted
   * by hand is only marked due, after `onDue` (which raises the notice) succeeded, so a crash loses no notice.
   */
  async rotateDue(onDue: (decoy: Decoy, lifecycle: DecoyLifecycle) => Promise<void> = async () => {}): Promise<RotationReport> {
    const { busy, ...reconciled } = await this.reconcile();
    const failures = [...reconciled.failures];
    const now = this.deps.clock.now();
    const decoys = new Map((await this.deps.store.listDecoys()).map((decoy) => [decoy.id, decoy]));
    const lifecycles = await this.adoptRegisteredDecoys(decoys, await this.deps.store.listDecoyLifecycles());
    const carried = new Set(lifecycles.flatMap((lifecycle) => placementDecoyIdsOf(lifecycle.placements)));
    let rotated = 0;
    const markedDue: RegisteredDecoy[] = [];
    for (const lifecycle of lifecycles) {
      const decoy = decoys.get(lifecycle.decoyId);
      if (decoy === undefined || busy.has(decoy.id) || placementDecoyIdsOf(lifecycle.placements).some((id) => busy.has(id))) continue;
      const plan = rotationPlanOf(decoy, lifecycle, moduleOf(decoy.kind).lifecycle.makesSecret, now, carried.has(decoy.id));
      try {
        if (plan === 'markDue') {
          const due = { ...lifecycle, rotationDueSince: now.toISOString() };
          await onDue(decoy, due);
          await this.deps.store.upsertDecoyLifecycle(due);
          markedDue.push({ decoy, lifecycle: due });
        } else if (plan === 'rotate') {
          await this.rotate(decoy.id, 'placements');
          rotated += 1;
        }
      } catch (error) {
        failures.push(`${plan} ${decoy.id}: ${messageOf(error)}`);
        if (plan === 'rotate') await this.recordFailure(decoy.id, error);
      }
    }
    return { ...reconciled, failures, rotated, markedDue };
  }

  /**
   * Registered decoys with a rotation interval get a lifecycle when the timer first sees them: their clock
   * starts then (Lure cannot know when they were last rotated).
   */
  private async adoptRegisteredDecoys(decoys: ReadonlyMap<string, Decoy>, lifecycles: readonly DecoyLifecycle[]): Promise<DecoyLifecycle[]> {
    const known = new Set(lifecycles.map((lifecycle) => lifecycle.decoyId));
    const adopted: DecoyLifecycle[] = [];
    for (const decoy of decoys.values()) {
      if (known.has(decoy.id) || decoy.rotationIntervalInHours === undefined) continue;
      const lifecycle = { ...adoptedLifecycleOf(decoy, this.deps.clock.now()), ...this.nextRotationOf(decoy, this.deps.clock.now()) };
      await this.deps.store.upsertDecoyLifecycle(lifecycle);
      adopted.push(lifecycle);
    }
    return [...lifecycles, ...adopted];
  }

  /** Finishes or undoes one abandoned (or failed) operation, first claiming it (and widening its window for the audit log). */
  private async recover(journalId: string): Promise<'completed' | 'rolledBack'> {
    const stored = await this.deps.store.getJournalEntry(journalId);
    if (stored === undefined) return 'completed';
    let operation = await this.step({ entry: stored.value, etag: stored.etag }, stored.value.step);
    const { entry: claimed } = operation;
    if (claimed.operation === 'sweep') {
      await this.step(operation, 'finished', { outcome: 'completed' });
      return 'completed';
    }
    if (claimed.operation === 'retire') {
      if (claimed.step === 'intent') {
        const current = await this.registeredOrUndefined(claimed.decoyId);
        if (current !== undefined) await moduleOf(current.decoy.kind).lifecycle.retire(current.decoy as never, current.lifecycle, this.context(current.decoy.kind));
        operation = await this.step(operation, 'cloudDone');
      }
      await this.register(operation);
      return 'completed';
    }
    if (claimed.step === 'registryUpdated') {
      await this.removeDropped(operation);
      return 'completed';
    }
    if (claimed.step === 'cloudDone' && this.finishable(claimed)) {
      try {
        await this.register(operation);
      } catch (error) {
        if (error instanceof CreateOvertakenError) return 'rolledBack';
        throw error;
      }
      if (claimed.kind === 'user' && claimed.secretTo === 'caller' && claimed.made !== undefined) {
        // The admin never got the new password: the decoy is due again, so the timer asks for a rotation.
        await this.deps.store.upsertDecoyLifecycle({ ...claimed.made.lifecycle, nextRotationAt: this.deps.clock.now().toISOString() });
      }
      return 'completed';
    }
    await this.rollBack(operation);
    return 'rolledBack';
  }

  /**
   * Whether an operation whose cloud step is done may still be registered: yes when its secret needed no
   * caller (it is in the managed placements already, or there is none), and for a user's password, which
   * cannot be put back: registering the new one at least tells the truth, and the decoy falls due again.
   */
  private finishable(entry: JournalEntry): boolean {
    return entry.secretTo === 'placements' || !moduleOf(entry.kind).lifecycle.makesSecret || (entry.operation === 'rotate' && entry.kind === 'user');
  }

  /**
   * Undoes an operation interrupted before its result could be registered: removes what it made (found by
   * the journal and by its marker) and puts the registry back as it was.
   */
  private async rollBack(operation: Operation, options: { readonly keepCreated?: boolean } = {}): Promise<void> {
    const { entry } = operation;
    const ownMarker = (journalId: string) => journalId === entry.id;
    if (entry.operation === 'create' && entry.target !== undefined && options.keepCreated !== true) {
      await moduleOf(entry.kind).lifecycle.undoCreate(entry.target, entry, this.context(entry.kind));
      // Only what this create registered: a decoy registered under its id meanwhile is someone else's.
      const stored = await this.deps.store.getDecoy(entry.decoyId);
      if (stored !== undefined && entry.made !== undefined && isMadeBy(entry.made.decoy, stored.value)) {
        await this.deps.store.deleteDecoyLifecycle(entry.decoyId);
        await this.deps.store.deleteDecoy(entry.decoyId);
      }
    }
    for (const before of entry.before ?? []) {
      const module = moduleOf(before.decoy.kind);
      const context = this.context(before.decoy.kind);
      for (const made of entry.made?.generations ?? []) {
        if (made.decoyId === before.decoy.id) await module.lifecycle.removeGeneration(before.decoy as never, made.generation, context);
      }
      await module.lifecycle.sweep(before.decoy as never, before.lifecycle, ownMarker, context, async () => {});
      // The decoy itself falls due again (its rotation did not happen); a carrier keeps its schedule.
      const lifecycle = before.decoy.id === entry.decoyId && entry.operation === 'rotate' ? { ...before.lifecycle, nextRotationAt: context.now.toISOString() } : before.lifecycle;
      await this.upsertKeepingAdminFields(before.decoy);
      await this.deps.store.upsertDecoyLifecycle(lifecycle);
    }
    this.deps.decoysChanged();
    await this.step(operation, 'finished', { outcome: 'rolledBack' });
  }

  /**
   * Registers what the cloud step made (or deletes a retired decoy), then removes the generations that fell
   * out. Once registered, the operation is done for its caller: a failure to remove an old generation is
   * logged and left to the timer, which finishes it.
   */
  private async register(operation: Operation): Promise<void> {
    const { entry } = operation;
    // Still this run's? A run given up for dead must not overwrite what its successor registered.
    operation = await this.step(operation, entry.step);
    if (entry.operation === 'retire') {
      await this.deps.store.deleteDecoyLifecycle(entry.decoyId);
      await this.deps.store.deleteDecoy(entry.decoyId);
    } else if (entry.made !== undefined) {
      const { made } = entry;
      if (entry.operation === 'create') {
        // The id was checked when the create began, but a register may have taken it, or an identifier, since.
        const overtaken = await this.registerCreated(made.decoy);
        if (overtaken !== undefined) {
          // A decoy registered meanwhile that names what this create made (its UPN, say) keeps it in the tenant.
          await this.rollBack(operation, { keepCreated: overtaken.namesWhatWasMade });
          throw new CreateOvertakenError(overtaken.namesWhatWasMade ? `${overtaken.reason}; what the create made stays in the tenant, as that decoy names it` : overtaken.reason);
        }
      } else {
        await this.upsertKeepingAdminFields(made.decoy);
      }
      await this.deps.store.upsertDecoyLifecycle(made.lifecycle);
      for (const { decoy, lifecycle } of made.placements) {
        await this.upsertKeepingAdminFields(decoy);
        await this.deps.store.upsertDecoyLifecycle(lifecycle);
      }
    }
    this.deps.decoysChanged();
    operation = await this.step(operation, 'registryUpdated');
    try {
      await this.removeDropped(operation);
    } catch (error) {
      this.deps.logger.warn('old decoy generations not removed yet; the rotateDecoys timer finishes it', { decoyId: entry.decoyId, journalId: entry.id, error: messageOf(error) });
    }
  }

  /**
   * Registers the decoy a create made, at the registry's version, as `registerDecoy` does: refused (the
   * answer says why) when another decoy holds its id or one of its identifiers. Its own earlier write (a
   * run cut off after registering) is no obstacle.
   */
  private async registerCreated(decoy: Decoy): Promise<{ readonly reason: string; readonly namesWhatWasMade: boolean } | undefined> {
    let rivals: readonly Decoy[] = [];
    try {
      await changeRegistry(this.deps.store, (current) => {
        rivals = current.filter((other) => !(other.id === decoy.id && isMadeBy(decoy, other)));
        const stored = current.find((other) => other.id === decoy.id);
        if (stored !== undefined && !isMadeBy(decoy, stored)) throw new DecoyValidationError(`id: a decoy with id ${decoy.id} was registered meanwhile`, 'id');
        const written = stored === undefined ? decoy : withAdminFields(decoy, stored);
        assertDistinct([...current.filter((other) => other.id !== decoy.id), written]);
        return [written];
      });
      return undefined;
    } catch (error) {
      if (error instanceof DecoyValidationError) {
        return { reason: error.message.replace(/^decoys\[\d+\][^:]*: /, ''), namesWhatWasMade: rivals.some((rival) => sharesIdentifier(rival, decoy)) };
      }
      // Lost every round to other writers: not a lost claim on the journal entry, so the create is settled.
      if (error instanceof ConcurrencyError) throw new Error('the decoy registry kept changing while the create registered its decoy; try again');
      throw error;
    }
  }

  /**
   * Writes a decoy as an operation made or restored it, keeping what an admin set meanwhile (enabled, memo,
   * rotation interval): a rotation or its undo must never switch back on a decoy an admin switched off.
   */
  private async upsertKeepingAdminFields(decoy: Decoy): Promise<void> {
    const meanwhile = (await this.deps.store.getDecoy(decoy.id))?.value;
    await this.deps.store.upsertDecoy(meanwhile === undefined ? decoy : withAdminFields(decoy, meanwhile));
  }

  /**
   * Runs the rest of a begun operation. When it fails, the operation is finished or undone at once (its
   * journal entry is still this run's), so the decoy is not held for an hour until the timer sees it
   * abandoned; if that fails too, the timer does it. A lost claim (`ConcurrencyError`) means another run
   * took the operation over: it is theirs.
   */
  private async settled<T>(journalId: string, options: SettleOptions, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (options.settleOnFailure !== false && !(error instanceof ConcurrencyError) && !(error instanceof CreateOvertakenError)) {
        await this.recover(journalId).catch((recoveryError: unknown) =>
          this.deps.logger.warn('a failed decoy operation is left to the rotateDecoys timer', { journalId, error: messageOf(recoveryError) }),
        );
      }
      throw error;
    }
  }

  /** Removes the generations that fell out of the kept ones from the tenant, then closes the entry. */
  private async removeDropped(operation: Operation): Promise<void> {
    const made = operation.entry.made;
    for (const { decoyId, generation } of made?.dropped ?? []) {
      const decoy = [{ decoy: made!.decoy }, ...made!.placements].find((registered) => registered.decoy.id === decoyId)?.decoy;
      if (decoy !== undefined) await moduleOf(decoy.kind).lifecycle.removeGeneration(decoy as never, generation, this.context(decoy.kind));
    }
    await this.step(operation, 'finished', { outcome: 'completed' });
  }

  /** Writes a new generation of each managed placement (a decoy message) carrying the new lure material. */
  private async rewritePlacements(
    carriers: readonly RegisteredDecoy[],
    material: LureMaterial | undefined,
    entry: JournalEntry,
  ): Promise<Pick<MadeChange, 'generations' | 'dropped'> & { rewritten: RegisteredDecoy[] }> {
    const rewritten: RegisteredDecoy[] = [];
    const generations: MadeChange['generations'][number][] = [];
    const dropped: MadeChange['dropped'][number][] = [];
    if (material === undefined) return { rewritten, generations, dropped };
    const mail = DECOY_KIND_MODULES.mailItem.lifecycle;
    for (const { decoy, lifecycle } of carriers) {
      if (decoy.kind !== 'mailItem') throw new DecoyValidationError(`${decoy.id} is not a mail decoy`, 'placements');
      const made = await mail.rotate(decoy, lifecycle, entry, this.context('mailItem'), material.text);
      const { kept, dropped: fell } = keepNewest(lifecycle.generations, made.generation, mail.keptGenerations(this.deps.settings));
      rewritten.push({ decoy: mail.registered(decoy, kept), lifecycle: { ...lifecycle, generations: kept, lastRotatedAt: this.deps.clock.now().toISOString() } });
      generations.push({ decoyId: decoy.id, generation: made.generation });
      dropped.push(...fell.map((generation) => ({ decoyId: decoy.id, generation })));
    }
    return { rewritten, generations, dropped };
  }

  /**
   * Removes Lure's leftovers from every managed decoy no live operation holds. A sweep that removes
   * something is journaled first, so the audit records of its removals are recognised as Lure's own.
   */
  private async sweep(busy: ReadonlySet<string>, failures: string[]): Promise<number> {
    const entries = await this.deps.store.listJournalEntries(this.journalHorizon());
    const ownersByDecoy = new Map<string, Set<string>>();
    for (const entry of entries) {
      if (entry.operation === 'sweep') continue;
      for (const decoyId of [entry.decoyId, ...entry.placementDecoyIds]) {
        let owned = ownersByDecoy.get(decoyId);
        if (owned === undefined) ownersByDecoy.set(decoyId, (owned = new Set()));
        owned.add(entry.id);
      }
    }
    let swept = 0;
    for (const lifecycle of await this.deps.store.listDecoyLifecycles()) {
      const owned = ownersByDecoy.get(lifecycle.decoyId);
      if (busy.has(lifecycle.decoyId) || owned === undefined) continue;
      const decoy = (await this.deps.store.getDecoy(lifecycle.decoyId))?.value;
      if (decoy === undefined || (this.deps.directory === undefined && decoy.kind !== 'token')) continue;
      let journal: Operation | undefined;
      try {
        swept += await moduleOf(decoy.kind).lifecycle.sweep(decoy as never, lifecycle, (journalId) => owned.has(journalId), this.context(decoy.kind), async () => {
          journal = await this.begin({ id: newJournalId(), decoyId: decoy.id, kind: decoy.kind, operation: 'sweep', secretTo: 'placements', placementDecoyIds: [] });
        });
        if (journal !== undefined) await this.step(journal, 'finished', { outcome: 'completed' });
      } catch (error) {
        failures.push(`sweep ${decoy.id}: ${messageOf(error)}`);
      }
    }
    return swept;
  }

  /**
   * Writes the operation's intent, then looks for another unfinished operation on the same decoys or target.
   * Two callers racing (an admin and a retried request) both write before they look, so each sees the
   * other: the later one (by start, then id) withdraws and the earlier goes on. The check before writing
   * only spares the common case a journal entry.
   */
  private async begin(fields: Omit<JournalEntry, 'step' | 'startedAt' | 'updatedAt'>): Promise<Operation> {
    const now = this.deps.clock.now().toISOString();
    const entry: JournalEntry = { ...fields, step: 'intent', startedAt: now, updatedAt: now };
    const operation = { entry, etag: await this.deps.store.createJournalEntry(entry) };
    const earlier = (await this.deps.store.listJournalEntries(now)).filter(
      (other) => other.step !== 'finished' && other.id !== entry.id && (other.startedAt < entry.startedAt || (other.startedAt === entry.startedAt && other.id < entry.id)),
    );
    const rival = conflictingEntry(earlier, [entry.decoyId, ...entry.placementDecoyIds], entry.target);
    if (rival !== undefined) {
      await this.step(operation, 'finished', { outcome: 'rolledBack' });
      throw new LifecycleConflictError(`decoy ${rival.decoyId}: operation ${rival.id} on it started first; try again when it is done`);
    }
    return operation;
  }

  /** Writes the operation's next step (or the same one again: a heartbeat). Fails if another run took it over. */
  private async step(operation: Operation, step: JournalStep, fields: Pick<Partial<JournalEntry>, 'made' | 'outcome'> = {}): Promise<Operation> {
    const entry: JournalEntry = { ...operation.entry, ...fields, step, updatedAt: this.deps.clock.now().toISOString() };
    return { entry, etag: await this.deps.store.updateJournalEntry(entry, operation.etag) };
  }

  private context(kind: DecoyKind): LifecycleContext {
    const directory = this.deps.directory;
    return {
      // Honeytokens live nowhere in the tenant; every other kind needs Graph.
      directory: directory ?? (kind === 'token' ? NO_DIRECTORY : refuseWithoutDirectory()),
      now: this.deps.clock.now(),
      settings: this.deps.settings,
      ...(this.deps.tenantId === undefined ? {} : { tenantId: this.deps.tenantId }),
    };
  }

  private nextRotationOf(decoy: Decoy, now: Date): { nextRotationAt?: string } {
    const next = nextRotationAt(now, decoy.rotationIntervalInHours, this.deps.settings.rotationJitterPercent, randomInt(1_000_000) / 1_000_000);
    return next === undefined ? {} : { nextRotationAt: next };
  }

  private journalHorizon(): string {
    return new Date(this.deps.clock.now().getTime() - this.deps.settings.journalRetentionInDays * 86_400_000).toISOString();
  }

  private async registered(decoyId: string): Promise<RegisteredDecoy> {
    const registered = await this.registeredOrUndefined(decoyId);
    if (registered === undefined) throw new DecoyNotFoundError(decoyId);
    return registered;
  }

  /** A decoy and its lifecycle; a registered decoy Lure has not managed yet gets one from what it registered. */
  private async registeredOrUndefined(decoyId: string): Promise<RegisteredDecoy | undefined> {
    const decoy = (await this.deps.store.getDecoy(decoyId))?.value;
    if (decoy === undefined) return undefined;
    const lifecycle = (await this.deps.store.getDecoyLifecycle(decoyId)) ?? adoptedLifecycleOf(decoy, this.deps.clock.now());
    return { decoy, lifecycle };
  }

  /**
   * Refuses to start while an unfinished operation holds one of these decoys, or (for a create) names the same
   * target: its undo would remove what this one makes.
   */
  private async assertNothingUnfinished(decoyIds: readonly string[], target?: JournalEntry['target']): Promise<void> {
    const unfinished = (await this.deps.store.listJournalEntries(this.deps.clock.now().toISOString())).filter((entry) => entry.step !== 'finished');
    const open = conflictingEntry(unfinished, decoyIds, target);
    if (open !== undefined) throw new LifecycleConflictError(`decoy ${open.decoyId}: operation ${open.id} on it is unfinished; the rotateDecoys timer finishes or undoes it first`);
  }

  /** The mail decoys a decoy's managed placements name, each a mail decoy Lure created that carries no other lure. */
  private async carriersOf(placements: readonly Placement[], decoyId: string): Promise<RegisteredDecoy[]> {
    const carrierIds = placementDecoyIdsOf(placements);
    if (carrierIds.length === 0) return [];
    const lifecycles = await this.deps.store.listDecoyLifecycles();
    const carriers: RegisteredDecoy[] = [];
    for (const carrierId of carrierIds) {
      const lifecycle = lifecycles.find((candidate) => candidate.decoyId === carrierId);
      const decoy = (await this.deps.store.getDecoy(carrierId))?.value;
      if (carrierId === decoyId || decoy === undefined || lifecycle?.kind !== 'mailItem' || lifecycle.messageTemplate === undefined) {
        throw new DecoyValidationError(`${carrierId} must be a mail decoy Lure created`, 'placements');
      }
      // A carrier keeps one lure: a second decoy's rotation would replace the first one's message.
      const taken = lifecycles.find((other) => other.decoyId !== decoyId && placementDecoyIdsOf(other.placements).includes(carrierId));
      if (taken !== undefined) throw new LifecycleConflictError(`placements: ${carrierId} already carries the lure of ${taken.decoyId}`);
      carriers.push({ decoy, lifecycle });
    }
    return carriers;
  }

  private async recordFailure(decoyId: string, error: unknown): Promise<void> {
    const lifecycle = await this.deps.store.getDecoyLifecycle(decoyId);
    if (lifecycle === undefined) return;
    const now = this.deps.clock.now();
    await this.deps.store.upsertDecoyLifecycle({
      ...lifecycle,
      lastFailure: { at: now.toISOString(), message: messageOf(error).slice(0, 500) },
      nextRotationAt: new Date(now.getTime() + RETRY_AFTER_FAILURE_IN_HOURS * 3_600_000).toISOString(),
    });
    this.deps.logger.error('decoy rotation failed', { decoyId, error: messageOf(error) });
  }
}

/** Validates a create request against its kind's schema; a `DecoyValidationError` names the field. */
export function parseCreateRequest(input: unknown): AnyCreateRequest {
  const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !(kind in DECOY_KIND_MODULES)) throw new DecoyValidationError(`must be one of ${Object.keys(DECOY_KIND_MODULES).join(', ')}`, 'kind');
  const parsed = moduleOf(kind as DecoyKind).lifecycle.createSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    throw new DecoyValidationError(message, issue.path.join('.') || 'request');
  }
  return parsed.data as AnyCreateRequest;
}

function moduleOf(kind: DecoyKind): DecoyKindModule<DecoyKind> & { lifecycle: KindLifecycle<DecoyKind, AnyCreateRequest> } {
  return DECOY_KIND_MODULES[kind] as unknown as DecoyKindModule<DecoyKind> & { lifecycle: KindLifecycle<DecoyKind, AnyCreateRequest> };
}

function placementDecoyIdsOf(placements: readonly Placement[]): string[] {
  return placements.flatMap((placement) => (placement.kind === 'mailItem' ? [placement.decoyId] : []));
}

/** A registered decoy's generations, as far as its registration tells (an app's secrets by keyId, none Lure's). */
function adoptedLifecycleOf(decoy: Decoy, now: Date): DecoyLifecycle {
  const createdAt = now.toISOString();
  const generations: DecoyGeneration[] = decoy.kind === 'application' ? decoy.credentialKeyIds.map((keyId) => ({ kind: 'clientSecret', keyId, createdAt })) : [];
  return { decoyId: decoy.id, kind: decoy.kind, createdByLure: false, generations, placements: [] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first of `entries` holding one of `decoyIds`, or (for a create) naming the same target in the tenant. */
function conflictingEntry(entries: readonly JournalEntry[], decoyIds: readonly string[], target: JournalEntry['target'] | undefined): JournalEntry | undefined {
  return entries.find(
    (entry) =>
      [entry.decoyId, ...entry.placementDecoyIds].some((id) => decoyIds.includes(id)) ||
      (target !== undefined && target.kind !== 'token' && JSON.stringify(entry.target) === JSON.stringify(target)),
  );
}

/** Whether `stored` is `made` as registered (an admin may have changed its enabled, memo or interval since). */
function isMadeBy(made: Decoy, stored: Decoy): boolean {
  const asStored = (decoy: Decoy) => parseDecoy(JSON.parse(JSON.stringify(decoy)));
  return isDeepStrictEqual(asStored(withAdminFields(made, stored)), asStored(stored));
}

/** Whether two decoys name one thing in the tenant (a UPN, an object id, a message), whatever their ids. */
function sharesIdentifier(a: Decoy, b: Decoy): boolean {
  const keys = (decoy: Decoy) => identifiersOf(decoy).map((identifier) => `${identifier.space}\u0000${canonicalIdentifier(identifier.space, identifier.value)}`);
  const ofA = new Set(keys(a));
  return keys(b).some((key) => ofA.has(key));
}

/** `decoy` with the fields admins control (enabled, memo, rotation interval) as `admin`'s version has them. */

function withAdminFields(decoy: Decoy, admin: Decoy): Decoy {
  const { memo: _memo, rotationIntervalInHours: _interval, ...rest } = decoy;
  return {
    ...rest,
    enabled: admin.enabled,
    ...(admin.memo === undefined ? {} : { memo: admin.memo }),
    ...(admin.rotationIntervalInHours === undefined ? {} : { rotationIntervalInHours: admin.rotationIntervalInHours }),
  } as Decoy;
}

/** Honeytokens never call Graph. */
const NO_DIRECTORY = new Proxy({} as Directory, {
  get: () => () => Promise.reject(new Error('honeytoken decoys do not use the directory')),
});

function refuseWithoutDirectory(): never {
  throw new NotConfiguredError('Lure has no Graph access: set LURE_TENANT_ID (and grant the permissions in the README) to manage decoys in the tenant');
}

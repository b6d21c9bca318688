import { isDeepStrictEqual } from 'node:util';
import type { Decoy } from '../../domain/decoys.js';
import type { JournalEntry } from '../../domain/lifecycle.js';
import { DECOY_KIND_MODULES, identifiersOf, withKind } from '../../decoys/decoyKinds.js';
import { canonicalIdentifier } from '../../decoys/identifierSpaces.js';
import { assertDistinct, DecoyValidationError, parseDecoy } from '../../decoys/parseDecoys.js';
import { ConcurrencyError } from '../../ports/store/versioned.js';
import { lifecycleContext } from './context.js';
import { changeRegistry } from './decoyRegistration.js';
import { CreateOvertakenError, messageOf } from './errors.js';
import type { Operation, OperationJournal } from './journal.js';
import { registeredDecoyOrUndefined } from './registeredDecoys.js';
import type { DecoyLifecyclesDeps, SettleOptions } from './types.js';

/**
 * Carries a journaled operation to its end, registering what its cloud step made, or undoes it: for the
 * run doing the operation, and for the timer, which recovers an abandoned one.
 */
export class OperationRecovery {
  constructor(
    private readonly deps: DecoyLifecyclesDeps,
    private readonly journal: OperationJournal,
  ) {}

  /**
   * Runs the rest of a begun operation. When it fails, the operation is finished or undone at once (its
   * journal entry is still this run's), so the decoy is not held for an hour until the timer sees it
   * abandoned; if that fails too, the timer does it. A lost claim (`ConcurrencyError`) means another run
   * took the operation over: it is theirs.
   */
  async settled<T>(journalId: string, options: SettleOptions, work: () => Promise<T>): Promise<T> {
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

  /** Finishes or undoes one abandoned (or failed) operation, first claiming it (and widening its window for the audit log). */
  async recover(journalId: string): Promise<'completed' | 'rolledBack'> {
    const stored = await this.deps.store.getJournalEntry(journalId);
    if (stored === undefined) return 'completed';
    let operation = await this.journal.step({ entry: stored.value, etag: stored.etag }, stored.value.step);
    const { entry: claimed } = operation;
    if (claimed.operation === 'sweep') {
      await this.journal.step(operation, 'finished', { outcome: 'completed' });
      return 'completed';
    }
    if (claimed.operation === 'retire') {
      if (claimed.step === 'intent') {
        const current = await registeredDecoyOrUndefined(this.deps, claimed.decoyId);
        if (current !== undefined) {
          const context = lifecycleContext(this.deps, current.decoy.kind);
          await withKind(current.decoy, (module, decoy) => module.lifecycle.retire(decoy, current.lifecycle, context));
        }
        operation = await this.journal.step(operation, 'cloudDone');
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
   * Registers what the cloud step made (or deletes a retired decoy), then removes the generations that fell
   * out. Once registered, the operation is done for its caller: a failure to remove an old generation is
   * logged and left to the timer, which finishes it.
   */
  async register(operation: Operation): Promise<void> {
    const { entry } = operation;
    // Still this run's? A run given up for dead must not overwrite what its successor registered.
    operation = await this.journal.step(operation, entry.step);
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
          throw new CreateOvertakenError(
            overtaken.namesWhatWasMade ? `${overtaken.reason}; what the create made stays in the tenant, as that decoy names it` : overtaken.reason,
          );
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
    operation = await this.journal.step(operation, 'registryUpdated');
    try {
      await this.removeDropped(operation);
    } catch (error) {
      this.deps.logger.warn('old decoy generations not removed yet; the rotateDecoys timer finishes it', {
        decoyId: entry.decoyId,
        journalId: entry.id,
        error: messageOf(error),
      });
    }
  }

  /**
   * Whether an operation whose cloud step is done may still be registered: yes when its secret needed no
   * caller (it is in the managed placements already, or there is none), and for a user's password, which
   * cannot be put back: registering the new one at least tells the truth, and the decoy falls due again.
   */
  private finishable(entry: JournalEntry): boolean {
    return entry.secretTo === 'placements' || !DECOY_KIND_MODULES[entry.kind].lifecycle.makesSecret || (entry.operation === 'rotate' && entry.kind === 'user');
  }

  /**
   * Undoes an operation interrupted before its result could be registered: removes what it made (found by
   * the journal and by its marker) and puts the registry back as it was.
   */
  private async rollBack(operation: Operation, options: { readonly keepCreated?: boolean } = {}): Promise<void> {
    const { entry } = operation;
    const ownMarker = (journalId: string) => journalId === entry.id;
    if (entry.operation === 'create' && entry.target !== undefined && options.keepCreated !== true) {
      await DECOY_KIND_MODULES[entry.kind].lifecycle.undoCreate(entry.target, entry, lifecycleContext(this.deps, entry.kind));
      // Only what this create registered: a decoy registered under its id meanwhile is someone else's.
      const stored = await this.deps.store.getDecoy(entry.decoyId);
      if (stored !== undefined && entry.made !== undefined && isMadeBy(entry.made.decoy, stored.value)) {
        await this.deps.store.deleteDecoyLifecycle(entry.decoyId);
        await this.deps.store.deleteDecoy(entry.decoyId);
      }
    }
    for (const before of entry.before ?? []) {
      const context = lifecycleContext(this.deps, before.decoy.kind);
      await withKind(before.decoy, async (module, decoy) => {
        for (const made of entry.made?.generations ?? []) {
          if (made.decoyId === decoy.id) await module.lifecycle.removeGeneration(decoy, made.generation, context);
        }
        await module.lifecycle.sweep(decoy, before.lifecycle, ownMarker, context, async () => {});
      });
      // The decoy itself falls due again (its rotation did not happen); a carrier keeps its schedule.
      const lifecycle =
        before.decoy.id === entry.decoyId && entry.operation === 'rotate'
          ? { ...before.lifecycle, nextRotationAt: context.now.toISOString() }
          : before.lifecycle;
      await this.upsertKeepingAdminFields(before.decoy);
      await this.deps.store.upsertDecoyLifecycle(lifecycle);
    }
    this.deps.decoysChanged();
    await this.journal.step(operation, 'finished', { outcome: 'rolledBack' });
  }

  /** Removes the generations that fell out of the kept ones from the tenant, then closes the entry. */
  private async removeDropped(operation: Operation): Promise<void> {
    const made = operation.entry.made;
    const registered = made === undefined ? [] : [{ decoy: made.decoy }, ...made.placements];
    for (const { decoyId, generation } of made?.dropped ?? []) {
      const decoy = registered.find((candidate) => candidate.decoy.id === decoyId)?.decoy;
      if (decoy === undefined) continue;
      const context = lifecycleContext(this.deps, decoy.kind);
      await withKind(decoy, (module, decoy) => module.lifecycle.removeGeneration(decoy, generation, context));
    }
    await this.journal.step(operation, 'finished', { outcome: 'completed' });
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
      if (error instanceof ConcurrencyError)
        throw new Error('the decoy registry kept changing while the create registered its decoy; try again', { cause: error });
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
}

/** Whether `stored` is `made` as registered (an admin may have changed its enabled, memo or interval since). */
function isMadeBy(made: Decoy, stored: Decoy): boolean {
  const asStored = (decoy: Decoy) => parseDecoy(JSON.parse(JSON.stringify(decoy)));
  return isDeepStrictEqual(asStored(withAdminFields(made, stored)), asStored(stored));
}

/** Whether two decoys name one thing in the tenant (a UPN, an object id, a message), whatever their ids. */
function sharesIdentifier(a: Decoy, b: Decoy): boolean {
  const keys = (decoy: Decoy) =>
    identifiersOf(decoy).map((identifier) => `${identifier.space}\u0000${canonicalIdentifier(identifier.space, identifier.value)}`);
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
  };
}

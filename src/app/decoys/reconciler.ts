import type { Decoy } from '../../domain/decoys.js';
import type { DecoyLifecycle, RegisteredDecoy } from '../../domain/lifecycle.js';
import { DECOY_KIND_MODULES, withKind } from '../../decoys/decoyKinds.js';
import { rotationPlanOf } from '../../decoys/rotationPolicy.js';
import { newJournalId } from '../../decoys/secrets.js';
import type { DecoyCommands } from './commands.js';
import { lifecycleContext, nextRotationOf } from './context.js';
import { messageOf } from './errors.js';
import type { Operation, OperationJournal } from './journal.js';
import type { OperationRecovery } from './recovery.js';
import { adoptedLifecycleOf, placementDecoyIdsOf } from './registeredDecoys.js';
import type { DecoyLifecyclesDeps, ReconcileReport, RotationReport } from './types.js';

/** A failed rotation is tried again by the timer after this long, not at every tick. */
const RETRY_AFTER_FAILURE_IN_HOURS = 1;
/**
 * An unfinished entry not written for this long belongs to a run that died. A Graph call gives up within
 * about five minutes (four attempts, waits included) and a step makes at most seven, so no live run is this
 * slow; the Functions host ends a timer run well before. Younger entries are left to their run.
 */
export const ABANDONED_AFTER_IN_MINUTES = 60;

/**
 * The rotateDecoys timer's work: finish or undo what crashed runs left, sweep Lure's leftovers from the
 * tenant, then rotate the decoys that are due.
 */
export class Reconciler {
  constructor(
    private readonly deps: DecoyLifecyclesDeps,
    private readonly journal: OperationJournal,
    private readonly recovery: OperationRecovery,
    private readonly commands: Pick<DecoyCommands, 'rotate'>,
  ) {}

  /**
   * Carries every abandoned operation to its end or undoes it, then sweeps the managed decoys for Lure's
   * leftovers. Operations written to within the last minutes are left to the run that is doing them.
   */
  async reconcile(): Promise<ReconcileReport & { readonly busy: ReadonlySet<string> }> {
    const failures: string[] = [];
    let finished = 0;
    let rolledBack = 0;
    const abandonedBefore = new Date(this.deps.clock.now().getTime() - ABANDONED_AFTER_IN_MINUTES * 60_000).toISOString();
    const unfinished = (await this.deps.store.listJournalEntries(this.journal.horizon()))
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
        if ((await this.recovery.recover(entry.id)) === 'completed') finished += 1;
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
      const plan = rotationPlanOf(decoy, lifecycle, DECOY_KIND_MODULES[decoy.kind].lifecycle.makesSecret, now, carried.has(decoy.id));
      try {
        if (plan === 'markDue') {
          const due = { ...lifecycle, rotationDueSince: now.toISOString() };
          await onDue(decoy, due);
          await this.deps.store.upsertDecoyLifecycle(due);
          markedDue.push({ decoy, lifecycle: due });
        } else if (plan === 'rotate') {
          await this.commands.rotate(decoy.id, 'placements');
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
      const lifecycle = { ...adoptedLifecycleOf(decoy, this.deps.clock.now()), ...nextRotationOf(this.deps, decoy, this.deps.clock.now()) };
      await this.deps.store.upsertDecoyLifecycle(lifecycle);
      adopted.push(lifecycle);
    }
    return [...lifecycles, ...adopted];
  }

  /**
   * Removes Lure's leftovers from every managed decoy no live operation holds. A sweep that removes
   * something is journaled first, so the audit records of its removals are recognised as Lure's own.
   */
  private async sweep(busy: ReadonlySet<string>, failures: string[]): Promise<number> {
    const entries = await this.deps.store.listJournalEntries(this.journal.horizon());
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
      let sweepOperation: Operation | undefined;
      const journalSweep = async () => {
        sweepOperation = await this.journal.begin({
          id: newJournalId(),
          decoyId: decoy.id,
          kind: decoy.kind,
          operation: 'sweep',
          secretTo: 'placements',
          placementDecoyIds: [],
        });
      };
      try {
        const context = lifecycleContext(this.deps, decoy.kind);
        swept += await withKind(decoy, (module, decoy) => module.lifecycle.sweep(decoy, lifecycle, (journalId) => owned.has(journalId), context, journalSweep));
        if (sweepOperation !== undefined) await this.journal.step(sweepOperation, 'finished', { outcome: 'completed' });
      } catch (error) {
        failures.push(`sweep ${decoy.id}: ${messageOf(error)}`);
      }
    }
    return swept;
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

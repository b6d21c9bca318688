import type { Decoy } from '../../domain/decoys.js';
import type { DecoyLifecycle, JournalEntry, LureMaterial } from '../../domain/lifecycle.js';
import { DecoyCommands } from './commands.js';
import { OperationJournal } from './journal.js';
import { Reconciler } from './reconciler.js';
import { OperationRecovery } from './recovery.js';
import type { DecoyChanges, DecoyLifecyclesDeps, LifecycleResult, RotationReport, SettleOptions } from './types.js';

/**
 * Decoy lifecycles in the tenant: create, rotate, retire, and the timer's reconciliation. Every operation
 * is journaled step by step (`OperationJournal`), so a run that was given up for dead cannot write over its
 * successor. Whatever a crash interrupts, the timer finishes (when nothing is lost by it) or undoes (when
 * the new secret died with the process) (`OperationRecovery`), and a journaled sweep removes what carries
 * Lure's marker but belongs to no kept generation (`Reconciler`). Secrets live only in memory, from Graph's
 * answer to the caller or to the message that carries them.
 */
export class DecoyLifecycles {
  private readonly commands: DecoyCommands;
  private readonly reconciler: Reconciler;

  constructor(deps: DecoyLifecyclesDeps) {
    const journal = new OperationJournal(deps);
    const recovery = new OperationRecovery(deps, journal);
    this.commands = new DecoyCommands(deps, journal, recovery);
    this.reconciler = new Reconciler(deps, journal, recovery, this.commands);
  }

  create(input: unknown, options?: SettleOptions): Promise<LifecycleResult> {
    return this.commands.create(input, options);
  }

  rotate(decoyId: string, secretTo?: JournalEntry['secretTo'], options?: SettleOptions): Promise<LifecycleResult> {
    return this.commands.rotate(decoyId, secretTo, options);
  }

  configure(decoyId: string, changes: DecoyChanges, etag: string): Promise<{ readonly decoy: Decoy; readonly etag: string }> {
    return this.commands.configure(decoyId, changes, etag);
  }

  currentMaterial(decoyId: string): Promise<{ readonly decoy: Decoy; readonly material?: LureMaterial }> {
    return this.commands.currentMaterial(decoyId);
  }

  retire(decoyId: string, options?: SettleOptions): Promise<void> {
    return this.commands.retire(decoyId, options);
  }

  rotateDue(onDue?: (decoy: Decoy, lifecycle: DecoyLifecycle) => Promise<void>): Promise<RotationReport> {
    return this.reconciler.rotateDue(onDue);
  }
}

import type { JournalEntry, JournalStep } from '../../domain/lifecycle.js';
import { LifecycleConflictError } from './errors.js';
import type { DecoyLifecyclesDeps } from './types.js';

/** A journal entry as this run last wrote it: the ETag proves the operation is still this run's. */
export interface Operation {
  readonly entry: JournalEntry;
  readonly etag: string;
}

/**
 * The operations' journal. Every operation writes an entry before each step (intent → cloudDone →
 * registryUpdated → finished), each write conditional on the last, so a run that was given up for dead
 * cannot write over its successor.
 */
export class OperationJournal {
  constructor(private readonly deps: Pick<DecoyLifecyclesDeps, 'store' | 'clock' | 'settings'>) {}

  /**
   * Writes the operation's intent, then looks for another unfinished operation on the same decoys or target.
   * Two callers racing (an admin and a retried request) both write before they look, so each sees the
   * other: the later one (by start, then id) withdraws and the earlier goes on. The check before writing
   * only spares the common case a journal entry.
   */
  async begin(fields: Omit<JournalEntry, 'step' | 'startedAt' | 'updatedAt'>): Promise<Operation> {
    const now = this.deps.clock.now().toISOString();
    const entry: JournalEntry = { ...fields, step: 'intent', startedAt: now, updatedAt: now };
    const operation = { entry, etag: await this.deps.store.createJournalEntry(entry) };
    const earlier = (await this.deps.store.listJournalEntries(now)).filter(
      (other) =>
        other.step !== 'finished' &&
        other.id !== entry.id &&
        (other.startedAt < entry.startedAt || (other.startedAt === entry.startedAt && other.id < entry.id)),
    );
    const rival = conflictingEntry(earlier, [entry.decoyId, ...entry.placementDecoyIds], entry.target);
    if (rival !== undefined) {
      await this.step(operation, 'finished', { outcome: 'rolledBack' });
      throw new LifecycleConflictError(`decoy ${rival.decoyId}: operation ${rival.id} on it started first; try again when it is done`);
    }
    return operation;
  }

  /** Writes the operation's next step (or the same one again: a heartbeat). Fails if another run took it over. */
  async step(operation: Operation, step: JournalStep, fields: Pick<Partial<JournalEntry>, 'made' | 'outcome'> = {}): Promise<Operation> {
    const entry: JournalEntry = { ...operation.entry, ...fields, step, updatedAt: this.deps.clock.now().toISOString() };
    return { entry, etag: await this.deps.store.updateJournalEntry(entry, operation.etag) };
  }

  /**
   * Refuses to start while an unfinished operation holds one of these decoys, or (for a create) names the same
   * target: its undo would remove what this one makes.
   */
  async assertNothingUnfinished(decoyIds: readonly string[], target?: JournalEntry['target']): Promise<void> {
    const unfinished = (await this.deps.store.listJournalEntries(this.deps.clock.now().toISOString())).filter((entry) => entry.step !== 'finished');
    const open = conflictingEntry(unfinished, decoyIds, target);
    if (open !== undefined)
      throw new LifecycleConflictError(`decoy ${open.decoyId}: operation ${open.id} on it is unfinished; the rotateDecoys timer finishes or undoes it first`);
  }

  /** How far back finished entries are listed: the journal's retention. */
  horizon(): string {
    return new Date(this.deps.clock.now().getTime() - this.deps.settings.journalRetentionInDays * 86_400_000).toISOString();
  }
}

/** The first of `entries` holding one of `decoyIds`, or (for a create) naming the same target in the tenant. */
function conflictingEntry(entries: readonly JournalEntry[], decoyIds: readonly string[], target: JournalEntry['target'] | undefined): JournalEntry | undefined {
  return entries.find(
    (entry) =>
      [entry.decoyId, ...entry.placementDecoyIds].some((id) => decoyIds.includes(id)) ||
      (target !== undefined && target.kind !== 'token' && JSON.stringify(entry.target) === JSON.stringify(target)),
  );
}

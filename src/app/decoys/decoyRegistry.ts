import { DecoyIndex } from '../../decoys/decoyIndex.js';
import { selfChangeWindowsOf } from '../../decoys/rotationPolicy.js';
import type { Clock } from '../../ports/clock.js';
import type { DecoyStore } from '../../ports/store/decoyStore.js';
import type { LifecycleStore } from '../../ports/store/lifecycleStore.js';

/** Audit records of Lure's own changes may arrive this late (Exchange audit can lag a day) and still be recognised. */
const SELF_CHANGE_LOOKBACK_IN_DAYS = 7;

/**
 * The decoys in force, read from the store and cached for a short while: every batch needs them, and
 * reading the table per batch would double the store round trips of the benign path. With them come the
 * windows of Lure's own recent changes, from its journal. A change made
 * through Lure calls `invalidate()`; a change made elsewhere shows within `refreshInMs`.
 */
export class DecoyRegistry {
  private cached: { index: DecoyIndex; loadedAtMs: number } | undefined;
  private loading: Promise<DecoyIndex> | undefined;

  constructor(
    private readonly store: Pick<DecoyStore, 'listDecoys'> & Pick<LifecycleStore, 'listJournalEntries'>,
    private readonly clock: Clock,
    private readonly refreshInMs: number,
  ) {}

  async current(): Promise<DecoyIndex> {
    const nowMs = this.clock.now().getTime();
    if (this.cached !== undefined && nowMs - this.cached.loadedAtMs < this.refreshInMs) return this.cached.index;
    // Concurrent batches share one load.
    const since = new Date(nowMs - SELF_CHANGE_LOOKBACK_IN_DAYS * 86_400_000).toISOString();
    this.loading ??= Promise.all([this.store.listDecoys(), this.store.listJournalEntries(since)])
      .then(([decoys, journal]) => {
        const index = new DecoyIndex(decoys, selfChangeWindowsOf(journal));
        this.cached = { index, loadedAtMs: nowMs };
        return index;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

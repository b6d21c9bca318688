import { DecoyIndex } from '../decoys/decoyIndex.js';
import type { Clock } from '../ports/clock.js';
import type { StateStore } from '../ports/stateStore.js';

/**
 * The decoys in force, read from the store and cached for a short while: every batch needs them, and
 * reading the table per batch would double the store round trips of the benign path. A change made
 * through Lure calls `invalidate()`; a change made elsewhere shows within `refreshInMs`.
 */
export class DecoyRegistry {
  private cached: { index: DecoyIndex; loadedAtMs: number } | undefined;
  private loading: Promise<DecoyIndex> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly refreshInMs: number,
  ) {}

  async current(): Promise<DecoyIndex> {
    const nowMs = this.clock.now().getTime();
    if (this.cached !== undefined && nowMs - this.cached.loadedAtMs < this.refreshInMs) return this.cached.index;
    // Concurrent batches share one load.
    this.loading ??= this.store
      .listDecoys()
      .then((decoys) => {
        const index = new DecoyIndex(decoys);
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

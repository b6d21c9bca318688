import type { SigningKey } from '../domain/signingKeys.js';
import { recordFetch, SigningKeyIndex } from '../keys/keyHistory.js';
import type { Clock } from '../ports/clock.js';
import type { KeySource } from '../ports/keySource.js';
import type { SigningKeyStore } from '../ports/store/signingKeyStore.js';

export interface KeyRefreshReport {
  readonly setsFetched: number;
  readonly keysListed: number;
  /** Keys listed for the first time. */
  readonly newKeys: number;
  readonly failures: readonly string[];
}

/**
 * The signing keys in force, from the store's key history, cached for a short while. `refresh()` fetches
 * the published sets (timer, and at most once per interval when a token names a key nobody knows);
 * `load()` takes keys from files (`lure replay --jwks`), which have no history and are never retired.
 */
export class KeyRegistry {
  private cached: { index: SigningKeyIndex; loadedAtMs: number } | undefined;
  private lastRefreshMs: number | undefined;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly source: KeySource | undefined,
    private readonly clock: Clock,
    private readonly settings: { readonly retirementGraceInHours: number; readonly refreshMinIntervalInMinutes: number; readonly cacheRefreshInMs: number },
  ) {}

  async current(): Promise<SigningKeyIndex> {
    const nowMs = this.clock.now().getTime();
    if (this.cached !== undefined && nowMs - this.cached.loadedAtMs < this.settings.cacheRefreshInMs) return this.cached.index;
    const [keys, fetches] = await Promise.all([this.store.listSigningKeys(), this.store.listKeySetFetches()]);
    const index = new SigningKeyIndex(keys, fetches, this.settings.retirementGraceInHours);
    this.cached = { index, loadedAtMs: nowMs };
    return index;
  }

  /** Fetches every configured key set and records what it lists. A set that fails keeps its history. */
  async refresh(): Promise<KeyRefreshReport> {
    if (this.source === undefined) return { setsFetched: 0, keysListed: 0, newKeys: 0, failures: ['no key source (keys come from files)'] };
    this.lastRefreshMs = this.clock.now().getTime();
    const { fetched, failures } = await this.source.fetchKeySets();
    let history = await this.store.listSigningKeys();
    const known = new Set(history.map((key) => key.kid));
    for (const set of fetched) history = recordFetch(history, set.keys, set.fetchedAt);
    const listed = fetched.flatMap((set) => set.keys);
    await this.store.upsertSigningKeys(history.filter((key) => listed.some((seen) => seen.kid === key.kid)));
    await this.store.upsertKeySetFetches(fetched.map((set) => ({ set: set.set, fetchedAt: set.fetchedAt })));
    this.cached = undefined;
    return {
      setsFetched: fetched.length,
      keysListed: listed.length,
      newKeys: listed.filter((key) => !known.has(key.kid)).length,
      failures: failures.map((failure) => `${failure.set}: ${failure.error}`),
    };
  }

  /**
   * Refreshes once when a token names a key id nobody knows, at most once per interval, so a flood of
   * unknown ids cannot hammer Entra. Returns the index to judge with.
   */
  async currentKnowing(ids: readonly string[]): Promise<SigningKeyIndex> {
    const index = await this.current();
    if (this.source === undefined || ids.every((id) => index.find(id) !== undefined)) return index;
    const nowMs = this.clock.now().getTime();
    if (this.lastRefreshMs !== undefined && nowMs - this.lastRefreshMs < this.settings.refreshMinIntervalInMinutes * 60_000) return index;
    await this.refresh();
    return this.current();
  }

  /** Keys from files (`lure replay --jwks`). */
  async load(keys: readonly SigningKey[]): Promise<void> {
    await this.store.upsertSigningKeys(keys);
    this.cached = undefined;
  }
}

import type { Config } from '../config/config.js';
import { adaptiveGrace, type LatenessTally, mergeLateness, newLatenessTally } from '../correlation/lateness.js';
import { ISSUING_CATEGORIES } from '../correlation/tokenIssuance.js';
import type { LatenessHistogram, SignInLateness, SignInProgress, TokenUse } from '../domain/tokens.js';
import type { Clock } from '../ports/clock.js';
import type { TokenIndexStore } from '../ports/store/tokenIndexStore.js';

/** Lateness and stored progress are read back from the store (every instance's) this often. */
const REFRESH_INTERVAL_IN_MS = 5 * 60_000;
/** The lateness history the adaptive grace is built on. */
const LATENESS_HISTORY_IN_MS = 7 * 86_400_000;

/**
 * How late one process sees sign-ins arrive, and the grace token checks get from it (every instance's
 * history): the token tracker tallies each record through `tallyOf`, measured against `knownWatermark`,
 * and flushes with its match counts.
 */
export class SignInLatenessTracker {
  /** The furthest event time known per (tenant, stream): what a record's lateness is measured against. */
  private readonly knownWatermarks = new Map<string, string>();
  private watermarksSeededAtMs = Number.NEGATIVE_INFINITY;
  /** This process's lateness per (hour of arrival, tenant, stream). */
  private readonly tallies = new Map<string, { readonly row: Omit<SignInLateness, 'histogram'>; readonly tally: LatenessTally; dirty: boolean }>();
  /** Every instance's merged lateness per tenant and stream, as last read, and the grace it gave each kind of use. */
  private graces:
    | { readonly loadedAtMs: number; readonly byTenant: ReadonlyMap<string, ReadonlyMap<string, LatenessHistogram>>; readonly memo: Map<string, number> }
    | undefined;
  private anyDirty = false;

  constructor(
    private readonly store: Pick<TokenIndexStore, 'listSignInProgress' | 'listSignInLateness' | 'upsertSignInLateness'>,
    private readonly settings: Pick<Config['issuance'], 'graceInMinutes' | 'adaptive'>,
    private readonly clock: Clock,
    private readonly writerId: string,
  ) {}

  /** Whether tallies changed since the last flush. */
  get dirty(): boolean {
    return this.anyDirty;
  }

  knownWatermark(tenantId: string, category: SignInProgress['category']): string | undefined {
    return this.knownWatermarks.get(`${tenantId}\u0000${category}`);
  }

  remember(tenantId: string, category: SignInProgress['category'], watermark: string): void {
    this.knownWatermarks.set(`${tenantId}\u0000${category}`, watermark);
  }

  /**
   * The furthest event time each stream has reached as stored (every instance's), taken in when this process
   * first measures and every few minutes after: a record later than another instance's progress is late too.
   */
  async seedKnownWatermarks(): Promise<void> {
    const nowMs = this.clock.now().getTime();
    if (nowMs - this.watermarksSeededAtMs < REFRESH_INTERVAL_IN_MS) return;
    this.watermarksSeededAtMs = nowMs;
    for (const entry of await this.store.listSignInProgress()) {
      const known = this.knownWatermark(entry.tenantId, entry.category);
      if (known === undefined || entry.watermark > known) this.remember(entry.tenantId, entry.category, entry.watermark);
    }
  }

  /** This hour's tally of a stream, marked to be flushed. */
  tallyOf(tenantId: string, category: SignInProgress['category']): LatenessTally {
    const hour = `${this.clock.now().toISOString().slice(0, 13)}:00:00.000Z`;
    const key = `${hour}\u0000${tenantId}\u0000${category}`;
    let entry = this.tallies.get(key);
    if (entry === undefined) this.tallies.set(key, (entry = { row: { tenantId, category, hour }, tally: newLatenessTally(), dirty: true }));
    entry.dirty = true;
    this.anyDirty = true;
    return entry.tally;
  }

  /**
   * A record of this stream came so late that it retracted an alert: the grace grows to cover it, here at
   * once (the next refresh reads the history again) and on every instance once flushed.
   */
  noteRetraction(tenantId: string, category: SignInProgress['category'], latenessInSeconds: number): void {
    const tally = this.tallyOf(tenantId, category);
    tally.retractedMaxInSeconds = Math.max(tally.retractedMaxInSeconds ?? 0, latenessInSeconds);
    this.graces = undefined;
  }

  /** Writes the tallies that changed (each replaces this writer's row), and forgets hours long written. */
  async flush(nowMs: number): Promise<void> {
    this.anyDirty = false;
    const dirty = [...this.tallies.values()].filter((entry) => entry.dirty);
    if (dirty.length > 0) {
      const rows = dirty.map((entry) => ({
        ...entry.row,
        histogram: {
          counts: [...entry.tally.counts],
          total: entry.tally.total,
          maxInSeconds: entry.tally.maxInSeconds,
          ...(entry.tally.retractedMaxInSeconds === undefined ? {} : { retractedMaxInSeconds: entry.tally.retractedMaxInSeconds }),
        },
      }));
      // Cleared before the write: what a batch tallies meanwhile marks its entry again, and is never lost.
      for (const entry of dirty) entry.dirty = false;
      try {
        await this.store.upsertSignInLateness(this.writerId, rows);
      } catch (error) {
        for (const entry of dirty) entry.dirty = true;
        this.anyDirty = true;
        throw error;
      }
    }
    const lastHour = new Date(nowMs - 3_600_000).toISOString().slice(0, 13);
    for (const [key, entry] of [...this.tallies]) if (!entry.dirty && entry.row.hour.slice(0, 13) < lastHour) this.tallies.delete(key);
  }

  /**
   * The grace a use is judged with: the largest adaptive grace of the categories that may issue it. Their
   * lateness is each sign-in's least behind its category and its hub partition (the tracker's measure), so
   * the partitions need no grace of their own: a partition's backlog waits on the partition's watermark. A
   * category without enough history gives the configured grace. Lateness is read from the store at most
   * every few minutes.
   */
  async graceInMinutesFor(use: Pick<TokenUse, 'tenantId' | 'principalType'>): Promise<number> {
    const nowMs = this.clock.now().getTime();
    if (this.graces === undefined || nowMs - this.graces.loadedAtMs >= REFRESH_INTERVAL_IN_MS) {
      let rows: SignInLateness[];
      try {
        // This instance's own latest lateness goes in first, so the grace reflects what it has just seen.
        if (this.anyDirty) await this.flush(nowMs);
        rows = await this.store.listSignInLateness(new Date(nowMs - LATENESS_HISTORY_IN_MS).toISOString());
      } catch {
        // The lateness table failing must not fail ingest: no history means the configured grace, the safe
        // one, until the next refresh tries again (not every use of the batch).
        this.graces = { loadedAtMs: nowMs, byTenant: new Map(), memo: new Map() };
        return this.settings.graceInMinutes;
      }
      this.graces = { loadedAtMs: nowMs, byTenant: mergedByTenant(rows), memo: new Map() };
    }
    const key = `${use.tenantId ?? ''}\u0000${use.principalType ?? 'unknown'}`;
    const known = this.graces.memo.get(key);
    if (known !== undefined) return known;
    const streams = this.graces.byTenant.get(use.tenantId ?? '') ?? new Map<string, LatenessHistogram>();
    // Every category that may issue the token, gating or not (a managed identity's sign-ins arrive late and sparse).
    const issuing: readonly string[] = ISSUING_CATEGORIES[use.principalType ?? 'unknown'];
    const adaptive = { configuredGraceInMinutes: this.settings.graceInMinutes, ...this.settings.adaptive, minRecords: this.settings.adaptive.historyRecords };
    const grace = Math.max(...issuing.map((stream) => adaptiveGrace(streams.get(stream), adaptive).graceInMinutes));
    this.graces.memo.set(key, grace);
    return grace;
  }
}

/** Every writer's rows as one histogram per tenant and stream. */
function mergedByTenant(rows: readonly SignInLateness[]): ReadonlyMap<string, ReadonlyMap<string, LatenessHistogram>> {
  const byTenant = new Map<string, Map<string, SignInLateness[]>>();
  for (const row of rows) {
    let streams = byTenant.get(row.tenantId);
    if (streams === undefined) byTenant.set(row.tenantId, (streams = new Map<string, SignInLateness[]>()));
    const of = streams.get(row.category);
    if (of === undefined) streams.set(row.category, [row]);
    else of.push(row);
  }
  return new Map(
    [...byTenant].map(([tenantId, streams]) => [
      tenantId,
      new Map([...streams].map(([stream, of]) => [stream, mergeLateness(of.map((row) => row.histogram))])),
    ]),
  );
}

import { LRUCache } from 'lru-cache';
import { appPairOf, observeMailAccess } from '../correlation/mailAppBaseline.js';
import { firstSeenAppFinding } from '../detections/mailAppIdFirstSeen.js';
import type { MailItemsAccessedEvent, NormalizedEvent } from '../domain/events.js';
import type { Finding } from '../domain/findings.js';
import type { MailAppBaseline } from '../domain/mailBaselines.js';
import { ConcurrencyError, type Versioned } from '../ports/store/versioned.js';
import type { MailBaselineStore } from '../ports/store/mailBaselineStore.js';

/** Attempts at one mailbox's baseline before giving up on a write race. */
const MAX_ATTEMPTS = 8;

/**
 * Keeps each mailbox's baseline of reading apps and raises `mail.appId.firstSeen` for a pair never seen
 * after the learning period. Baselines are cached per process; before a first sighting is reported the
 * baseline is read afresh, so another instance's learning is never mistaken for a new app.
 */
export class MailBaselineTracker {
  /**
   * The most recently used baselines. A Map evicting its oldest key (`keys().next()`) walks past every slot
   * its deletions left until it compacts: 12–21 µs per mailbox once full, against ~2 for this cache.
   */
  private readonly cache: LRUCache<string, Versioned<MailAppBaseline>>;

  constructor(
    private readonly store: MailBaselineStore,
    private readonly settings: { readonly learningInDays: number; readonly maxPairs: number; readonly cachedMailboxes: number },
    private readonly isSelf: (event: NormalizedEvent) => boolean,
  ) {
    this.cache = new LRUCache({ max: settings.cachedMailboxes });
  }

  /**
   * Judges the batch's mail reads against each mailbox's baseline, without writing anything yet: the
   * caller persists the findings first and then calls `commit`, so a failure between the two only repeats
   * a first sighting (whose alert folds idempotently), never loses it.
   */
  async judge(events: readonly NormalizedEvent[]): Promise<{ readonly findings: Finding[]; commit(): Promise<void> }> {
    const byMailbox = new Map<string, MailItemsAccessedEvent[]>();
    for (const event of events) {
      if (event.kind !== 'mailItemsAccessed' || this.isSelf(event)) continue;
      const mailbox = (event.mailbox.ownerUpn ?? event.mailbox.guid)?.toLowerCase();
      if (mailbox === undefined) continue;
      const accesses = byMailbox.get(mailbox);
      if (accesses === undefined) byMailbox.set(mailbox, [event]);
      else accesses.push(event);
    }
    const findings: Finding[] = [];
    const pending: { mailbox: string; accesses: MailItemsAccessedEvent[]; read: Versioned<MailAppBaseline> | undefined }[] = [];
    for (const [mailbox, accesses] of byMailbox) {
      // In event-time order, so the earliest access of a new app is the one reported.
      if (!inEventOrder(accesses)) accesses.sort(byEventOrder);
      const cached = this.cache.get(mailbox);
      let read = cached ?? (await this.load(mailbox));
      let judged = this.observeAll(mailbox, read?.value, accesses);
      // A first sighting judged on a cached baseline may only be another instance's learning: look again.
      if (judged.findings.length > 0 && cached !== undefined) judged = this.observeAll(mailbox, (read = await this.load(mailbox))?.value, accesses);
      findings.push(...judged.findings);
      // What was read goes along, so committing a mailbox seen for the first time costs no second read.
      if (judged.changed) pending.push({ mailbox, accesses, read });
    }
    return { findings, commit: () => this.commit(pending) };
  }

  /** Writes the baselines the judged reads changed. Learning is a union, so a lost race just merges again. */
  private async commit(
    pending: readonly { mailbox: string; accesses: readonly MailItemsAccessedEvent[]; read: Versioned<MailAppBaseline> | undefined }[],
  ): Promise<void> {
    for (const { mailbox, accesses, read } of pending) {
      for (let attempt = 1; ; attempt += 1) {
        // A stale read only costs a lost race: the conditional write fails and the next attempt reads again.
        const current = attempt === 1 ? (this.cache.get(mailbox) ?? read) : await this.load(mailbox);
        const { baseline, changed } = this.observeAll(mailbox, current?.value, accesses);
        if (!changed || baseline === undefined) break;
        try {
          const etag = current === undefined ? await this.store.createMailBaseline(baseline) : await this.store.updateMailBaseline(baseline, current.etag);
          this.remember(mailbox, { value: baseline, etag });
          break;
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    }
  }

  private observeAll(mailbox: string, start: MailAppBaseline | undefined, accesses: readonly MailItemsAccessedEvent[]) {
    let baseline = start;
    let changed = false;
    const findings: Finding[] = [];
    for (const access of accesses) {
      const result = observeMailAccess(baseline, { mailbox, pair: appPairOf(access.actor.appId, access.clientAppId), time: access.time }, this.settings);
      baseline = result.baseline;
      changed ||= result.changed;
      if (result.verdict === 'firstSeen') findings.push(firstSeenAppFinding(access, mailbox));
    }
    return { baseline, changed, findings };
  }

  private async load(mailbox: string): Promise<Versioned<MailAppBaseline> | undefined> {
    const loaded = await this.store.getMailBaseline(mailbox);
    if (loaded !== undefined) this.remember(mailbox, loaded);
    return loaded;
  }

  private remember(mailbox: string, baseline: Versioned<MailAppBaseline>): void {
    this.cache.set(mailbox, baseline);
  }
}

function byEventOrder(a: MailItemsAccessedEvent, b: MailItemsAccessedEvent): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0;
}

/** Audit content mostly comes in time order: checking is one pass, sorting what is sorted costs more. */
function inEventOrder(accesses: readonly MailItemsAccessedEvent[]): boolean {
  let previous: MailItemsAccessedEvent | undefined;
  for (const access of accesses) {
    if (previous !== undefined && byEventOrder(previous, access) > 0) return false;
    previous = access;
  }
  return true;
}

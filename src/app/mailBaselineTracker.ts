import { appPairOf, type MailAppBaseline, observeMailAccess } from '../correlation/mailAppBaseline.js';
import type { Finding } from '../detections/detection.js';
import { firstSeenAppFinding } from '../detections/mailAppIdFirstSeen.js';
import type { MailItemsAccessedEvent, NormalizedEvent } from '../domain/events.js';
import { ConcurrencyError, type StateStore, type Versioned } from '../ports/stateStore.js';

/** Attempts at one mailbox's baseline before giving up on a write race. */
const MAX_ATTEMPTS = 8;

/**
 * Keeps each mailbox's baseline of reading apps and raises `mail.appId.firstSeen` for a pair never seen
 * after the learning period. Baselines are cached per process; before a first sighting is reported the
 * baseline is read afresh, so another instance's learning is never mistaken for a new app.
 */
export class MailBaselineTracker {
  private readonly cache = new Map<string, Versioned<MailAppBaseline>>();

  constructor(
    private readonly store: StateStore,
    private readonly settings: { readonly learningInDays: number; readonly maxPairs: number; readonly cachedMailboxes: number },
    private readonly isSelf: (event: NormalizedEvent) => boolean,
  ) {}

  async track(events: readonly NormalizedEvent[]): Promise<Finding[]> {
    const byMailbox = new Map<string, MailItemsAccessedEvent[]>();
    for (const event of events) {
      if (event.kind !== 'mailItemsAccessed' || this.isSelf(event)) continue;
      const mailbox = (event.mailbox.ownerUpn ?? event.mailbox.guid)?.toLowerCase();
      if (mailbox === undefined) continue;
      byMailbox.set(mailbox, [...(byMailbox.get(mailbox) ?? []), event]);
    }
    const findings: Finding[] = [];
    for (const [mailbox, accesses] of byMailbox) {
      // In event-time order, so the earliest access of a new app is the one reported.
      accesses.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.recordId < b.recordId ? -1 : 1));
      findings.push(...(await this.trackMailbox(mailbox, accesses)));
    }
    return findings;
  }

  private async trackMailbox(mailbox: string, accesses: readonly MailItemsAccessedEvent[]): Promise<Finding[]> {
    let fresh = false;
    for (let attempt = 1; ; attempt += 1) {
      const current = (fresh ? undefined : this.cache.get(mailbox)) ?? (await this.store.getMailBaseline(mailbox));
      let baseline = current?.value;
      let changed = false;
      const findings: Finding[] = [];
      for (const access of accesses) {
        const result = observeMailAccess(baseline, { mailbox, pair: appPairOf(access.actor.appId, access.clientAppId), time: access.time }, this.settings);
        baseline = result.baseline;
        changed ||= result.changed;
        if (result.verdict === 'firstSeen') findings.push(firstSeenAppFinding(access, mailbox));
      }
      if (findings.length > 0 && !fresh) {
        // A first sighting judged on a cached baseline may only be another instance's learning: look again.
        fresh = true;
        continue;
      }
      if (!changed || baseline === undefined) return findings;
      try {
        const etag = current === undefined ? await this.store.createMailBaseline(baseline) : await this.store.updateMailBaseline(baseline, current.etag);
        this.remember(mailbox, { value: baseline, etag });
        return findings;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
        fresh = true;
      }
    }
  }

  private remember(mailbox: string, baseline: Versioned<MailAppBaseline>): void {
    this.cache.delete(mailbox);
    this.cache.set(mailbox, baseline);
    if (this.cache.size > this.settings.cachedMailboxes) this.cache.delete(this.cache.keys().next().value!);
  }
}

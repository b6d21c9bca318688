import type { OutboxEntry } from '../../domain/delivery.js';
import { DeliveryError } from '../../ports/alertChannel.js';
import { ConcurrencyError, type Versioned } from '../../ports/store/versioned.js';
import { deliveryOf } from './deliveries.js';
import type { ChannelPacer } from './pacer.js';
import type { AlertDeliveryDeps, Outcome } from './types.js';

/**
 * A run's claim on an entry it is sending. Longer than any send (an HTTP channel gives up after its timeout,
 * e-mail after one Graph attempt): past it, another run may send again, the first having died.
 */
const CLAIM_IN_MS = 10 * 60_000;
const FIRST_RETRY_IN_MS = 30_000;
const LONGEST_RETRY_IN_MS = 3_600_000;
/** A follow-up whose incident's post is still on its way looks again after this long. */
const FOLLOW_UP_WAIT_IN_MS = 60_000;

/**
 * Sends one outbox entry and records how it went: delivered or accepted, superseded, put off, to be retried
 * with backoff (or after the channel's `Retry-After`), or dead. A send is claimed first under an ETag and
 * only when no live claim holds the entry, so two runs never send one entry at once.
 */
export class EntrySender {
  constructor(
    private readonly deps: AlertDeliveryDeps,
    private readonly pacer: ChannelPacer,
  ) {}

  /** Paces, claims, builds and sends one entry, and records how it went. */
  async send(versioned: Versioned<OutboxEntry>, deadline: number): Promise<Outcome> {
    if (!(await this.pacer.pace(versioned.value.channel, deadline))) return 'deferred';
    const claimed = await this.claim(versioned);
    if (claimed === undefined) return 'deferred';
    const entry = claimed.value;
    let outcome: OutboxEntry;
    let result: Outcome;
    try {
      const channel = this.deps.channels[entry.channel];
      if (channel === undefined) throw new DeliveryError(`channel ${entry.channel} is no longer configured`, false);
      const delivery = await deliveryOf(this.deps.store, this.deps.cloud, entry);
      if (delivery === 'wait') {
        // The attempt did not happen: give it back, to look again once the incident's post is out.
        outcome = { ...entry, attempts: entry.attempts - 1, nextAttemptAt: new Date(this.deps.clock.now().getTime() + FOLLOW_UP_WAIT_IN_MS).toISOString() };
        result = 'deferred';
      } else if ('by' in delivery) {
        outcome = { ...entry, status: 'digested', digestId: delivery.by, completedAt: this.now() };
        result = 'superseded';
      } else {
        const sent = await channel.send(delivery);
        const { lastError: _overcome, ...rest } = entry;
        outcome = { ...rest, status: sent, completedAt: this.now() };
        result = sent;
      }
    } catch (error) {
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(
              `${error instanceof Error ? error.name : 'Error'}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300),
              true,
            );
      const last = !failure.retryable || entry.attempts >= this.deps.settings.maxAttempts;
      const waitInMs = Math.min(failure.retryAfterInMs ?? backoffInMs(entry.attempts), LONGEST_RETRY_IN_MS);
      outcome = last
        ? { ...entry, status: 'dead', lastError: failure.message, completedAt: this.now() }
        : { ...entry, lastError: failure.message, nextAttemptAt: new Date(this.deps.clock.now().getTime() + waitInMs).toISOString() };
      result = last ? 'dead' : 'retrying';
      this.deps.logger.warn(last ? 'notification dead' : 'notification will be retried', { entry: entry.id, attempts: entry.attempts, error: failure.message });
    }
    try {
      await this.deps.store.updateOutboxEntry(outcome, claimed.etag);
    } catch (error) {
      // Our claim ran out and another run took the entry: it records the outcome now.
      if (!(error instanceof ConcurrencyError)) throw error;
      this.deps.logger.warn('notification outcome not recorded: another run took the entry over', { entry: entry.id });
    }
    return result;
  }

  /**
   * Takes the entry for this run (counts the attempt, holds off others for the claim's length); undefined if
   * another run holds a live claim on it or changed it since it was read.
   */
  private async claim(versioned: Versioned<OutboxEntry>): Promise<Versioned<OutboxEntry> | undefined> {
    const now = this.deps.clock.now();
    if (versioned.value.status !== 'pending' || versioned.value.nextAttemptAt > now.toISOString()) return undefined;
    const entry: OutboxEntry = {
      ...versioned.value,
      attempts: versioned.value.attempts + 1,
      lastAttemptAt: now.toISOString(),
      nextAttemptAt: new Date(now.getTime() + CLAIM_IN_MS).toISOString(),
    };
    try {
      return { value: entry, etag: await this.deps.store.updateOutboxEntry(entry, versioned.etag) };
    } catch (error) {
      if (error instanceof ConcurrencyError) return undefined;
      throw error;
    }
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

/** 30 s, 1, 2, 4 … minutes, at most an hour, each shortened by up to half at random so retries spread out. */
function backoffInMs(attempts: number): number {
  return Math.min(FIRST_RETRY_IN_MS * 2 ** (attempts - 1), LONGEST_RETRY_IN_MS) * (0.5 + Math.random() / 2);
}

import type { Alert } from '../domain/alerts.js';
import type { ChannelName, NotificationContent } from '../domain/delivery.js';

/** One notification for one channel: the words for people, and the alert itself for machines. */
export interface Delivery {
  /** The outbox entry's id: the same for every retry of this notification. */
  readonly id: string;
  readonly content: NotificationContent;
  /** The webhook's body: the alert (DESIGN's alert JSON), or absent for a test. */
  readonly alert?: Alert;
}

/**
 * Where notifications go: Teams, e-mail, a webhook. `send` resolves with `delivered` (the receiver took it)
 * or `accepted` (a Workflows URL triggered its flow; whether the card was posted is not known), and throws
 * `DeliveryError` otherwise.
 */
export interface AlertChannel {
  readonly name: ChannelName;
  send(delivery: Delivery): Promise<'delivered' | 'accepted'>;
}

/** A failed delivery. `retryable`: worth another attempt (network, timeout, 429, 5xx); else the entry is dead. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterInMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

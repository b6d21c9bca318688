import { EventHubProducerClient } from '@azure/event-hubs';
import type { TokenCredential } from '@azure/identity';
import type { EventPublisher, PublishOutcome } from '../ports/eventPublisher.js';

/** What the publisher uses of a producer client (the SDK's, or a test's). */
export interface ProducerLike {
  createBatch(): Promise<BatchLike>;
  sendBatch(batch: BatchLike): Promise<void>;
  close(): Promise<void>;
}

export interface BatchLike {
  readonly count: number;
  tryAdd(event: { body: unknown }): boolean;
}

export type EventHubConnection = { readonly namespace: string; readonly credential: TokenCredential } | { readonly connectionString: string };

/**
 * Publishes to Event Hubs with `EventHubProducerClient`, one client per hub: events go into batches as large
 * as the hub takes (`createBatch`/`tryAdd`), each batch sent when full. The SDK retries transient failures.
 */
export class EventHubPublisher implements EventPublisher {
  private readonly producers = new Map<string, ProducerLike>();
  private readonly create: (hub: string) => ProducerLike;

  constructor(connection: EventHubConnection | { readonly producerOf: (hub: string) => ProducerLike }) {
    this.create =
      'producerOf' in connection
        ? connection.producerOf
        : (hub) =>
            'connectionString' in connection
              ? new EventHubProducerClient(connection.connectionString, hub)
              : new EventHubProducerClient(connection.namespace, hub, connection.credential);
  }

  async publish(hub: string, events: readonly unknown[]): Promise<PublishOutcome> {
    let producer = this.producers.get(hub);
    if (producer === undefined) {
      producer = this.create(hub);
      this.producers.set(hub, producer);
    }
    const tooLarge: number[] = [];
    let batch = await producer.createBatch();
    for (const [index, event] of events.entries()) {
      if (batch.tryAdd({ body: event })) continue;
      // Full, or this one alone is too large: an empty batch tells the two apart.
      if (batch.count > 0) {
        await producer.sendBatch(batch);
        batch = await producer.createBatch();
        if (batch.tryAdd({ body: event })) continue;
      }
      tooLarge.push(index);
    }
    if (batch.count > 0) await producer.sendBatch(batch);
    return { tooLarge };
  }

  async close(): Promise<void> {
    await Promise.all([...this.producers.values()].map((producer) => producer.close()));
    this.producers.clear();
  }
}

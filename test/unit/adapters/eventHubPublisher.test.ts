import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BatchLike, EventHubPublisher, type ProducerLike } from '../../../src/adapters/eventHubPublisher.js';

/** A producer whose batches hold at most `limit` bytes of JSON, as Event Hubs batches hold at most a size. */
function fakeProducer(limit: number, sent: unknown[][]): ProducerLike & { closed: boolean } {
  return {
    closed: false,
    async createBatch() {
      const events: unknown[] = [];
      let size = 0;
      return {
        get count() {
          return events.length;
        },
        tryAdd(event: { body: unknown }) {
          const bytes = Buffer.byteLength(JSON.stringify(event.body));
          if (size + bytes > limit) return false;
          size += bytes;
          events.push(event.body);
          return true;
        },
        events,
      } as BatchLike & { events: unknown[] };
    },
    async sendBatch(batch: BatchLike) {
      sent.push([...(batch as BatchLike & { events: unknown[] }).events]);
    },
    async close() {
      this.closed = true;
    },
  };
}

describe('EventHubPublisher', () => {
  it('fills batches as far as the hub takes and sends each once, in order, one producer per hub', async () => {
    const sent = new Map<string, unknown[][]>();
    const producers: ReturnType<typeof fakeProducer>[] = [];
    const publisher = new EventHubPublisher({
      producerOf: (hub) => {
        const batches: unknown[][] = [];
        sent.set(hub, batches);
        const producer = fakeProducer(100, batches);
        producers.push(producer);
        return producer;
      },
    });
    const events = Array.from({ length: 10 }, (_, index) => ({ Id: `r${index}`, pad: 'x'.repeat(20) }));
    await publisher.publish('exchange', events);
    await publisher.publish('exchange', [{ Id: 'r10' }]);
    await publisher.publish('token', [{ Id: 't0' }]);
    const batches = sent.get('exchange')!;
    assert.deepEqual(batches.flat(), [...events, { Id: 'r10' }]);
    assert.ok(batches.length >= 4 && batches.every((batch) => Buffer.byteLength(JSON.stringify(batch)) <= 100 + batch.length * 2));
    assert.equal(producers.length, 2);
    await publisher.close();
    assert.ok(producers.every((producer) => producer.closed));
  });

  it('sends every event but those larger than a batch, and names those: sending them again cannot help', async () => {
    const sent: unknown[][] = [];
    const publisher = new EventHubPublisher({ producerOf: () => fakeProducer(50, sent) });
    const huge = { Id: 'huge', body: 'x'.repeat(200) };
    const outcome = await publisher.publish('exchange', [{ Id: 'ok' }, huge, { Id: 'after' }, { Id: 'wide', body: 'é'.repeat(30) }, huge]);
    assert.deepEqual(outcome, { tooLarge: [1, 3, 4] });
    assert.deepEqual(sent.flat(), [{ Id: 'ok' }, { Id: 'after' }]);
  });
});

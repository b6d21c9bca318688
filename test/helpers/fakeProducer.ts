import type { BatchLike, ProducerLike } from '../../src/adapters/eventHubPublisher.js';

/** A producer whose batches hold at most `limit` bytes of JSON, as Event Hubs batches hold at most a size. */
export function fakeProducer(limit: number, sent: unknown[][]): ProducerLike & { closed: boolean } {
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

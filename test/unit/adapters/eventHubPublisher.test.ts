import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventHubPublisher } from '../../../src/adapters/eventHubPublisher.js';
import { fakeProducer } from '../../helpers/fakeProducer.js';

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

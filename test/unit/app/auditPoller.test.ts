import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventHubPublisher } from '../../../src/adapters/eventHubPublisher.js';
import { AuditPoller } from '../../../src/app/auditPoller.js';
import type { AuditContent } from '../../../src/domain/auditFeed.js';
import type { AuditFeed } from '../../../src/ports/auditFeed.js';
import { MAX_EXCERPT_LENGTH } from '../../../src/normalize/redactedExcerpt.js';
import { RECORD_BOUNDS } from '../../../src/normalize/recordBounds.js';
import type { Clock } from '../../../src/ports/clock.js';
import { fakeProducer } from '../../helpers/fakeProducer.js';
import { recordingLogger } from '../../helpers/services.js';
import { memoryStateStore } from '../../../src/adapters/memory/memoryStateStore.js';

/** A feed of `perType` blobs per content type, every one listed in every window. */
function feedOf(perType: number): AuditFeed & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    startSubscription: async () => {},
    listContent(contentType): Promise<AuditContent[]> {
      return Promise.resolve(
        Array.from({ length: perType }, (_, index) => ({
          contentType,
          contentId: `${contentType}-${index}`,
          contentUri: 'https://manage.office.com/x',
          contentCreated: `2026-11-28T11:${String(index).padStart(2, '0')}:00.000Z`,
        })),
      );
    },
    fetchContent(content) {
      fetched.push(content.contentId);
      return Promise.resolve([{ Id: content.contentId }]);
    },
  };
}

/** A clock that moves a minute every time it is read: a slow run, without waiting. */
function slowClock(): Clock {
  let now = Date.parse('2026-11-28T12:00:00.000Z');
  return { now: () => new Date((now += 60_000)) };
}

describe('AuditPoller', () => {
  it('stops starting work when its time is up, keeping what it copied, and starts with the other content type next run', async () => {
    const feed = feedOf(20);
    const poller = new AuditPoller({
      store: memoryStateStore(),
      feed,
      publisher: { publish: () => Promise.resolve({ tooLarge: [] }), close: async () => {} },
      hub: 'exchange',
      clock: slowClock(),
      settings: { contentTypes: ['Audit.Exchange', 'Audit.AzureActiveDirectory'], lookbackInHours: 1 },
      logger: recordingLogger(),
      budgetInMs: 5 * 60_000,
    });
    const first = await poller.poll();
    assert.equal(first.outOfTime, true);
    assert.ok(first.copied > 0 && first.copied < 40, `copied ${first.copied}`);
    assert.ok(
      feed.fetched.every((id) => id.startsWith('Audit.Exchange')),
      'the first run began with Exchange',
    );
    const before = feed.fetched.length;
    await poller.poll();
    assert.ok(feed.fetched.slice(before)[0]!.startsWith('Audit.AzureActiveDirectory'), 'the next run begins with the other type');
    assert.equal(new Set(feed.fetched).size, feed.fetched.length, 'nothing fetched twice');
  });
});

describe('AuditPoller and records past the bounds', () => {
  it("dead-letters a blob's too-deep and too-large records one by one and publishes the rest of the blob", async () => {
    const store = memoryStateStore();
    const good = { Id: 'good-1', Workload: 'Exchange', Operation: 'MailItemsAccessed' };
    const deep = JSON.parse(`{"Id":"deep-1","Nested":${'['.repeat(100_000)}${']'.repeat(100_000)}}`) as unknown;
    const large = { Id: 'large-1', Blob: 'x'.repeat(RECORD_BOUNDS.maxLength) };
    const feed: AuditFeed = {
      startSubscription: async () => {},
      listContent: (contentType) =>
        Promise.resolve([
          { contentType, contentId: `${contentType}-0`, contentUri: 'https://manage.office.com/x', contentCreated: '2026-11-28T11:00:00.000Z' },
        ]),
      fetchContent: () => Promise.resolve([good, deep, large]),
    };
    const sent: string[] = [];
    // A producer that serializes each event as the Event Hubs SDK does: JSON.stringify overflows on a deep record.
    const publisher = new EventHubPublisher({
      producerOf: () => {
        const batch = {
          count: 0,
          bodies: [] as string[],
          tryAdd: (event: { body: unknown }) => (batch.bodies.push(JSON.stringify(event.body)), (batch.count += 1), true),
        };
        return {
          createBatch: () => Promise.resolve(batch),
          sendBatch: () => Promise.resolve(void sent.push(...batch.bodies.splice(0))),
          close: async () => {},
        };
      },
    });
    const poller = new AuditPoller({
      store,
      feed,
      publisher,
      hub: 'exchange',
      clock: { now: () => new Date('2026-11-28T12:00:00.000Z') },
      settings: { contentTypes: ['Audit.Exchange'], lookbackInHours: 1 },
      logger: recordingLogger(),
    });
    const report = await poller.poll();
    assert.deepEqual(report.failures, []);
    assert.equal(report.copied, 1);
    assert.equal(report.recordsDeadLettered, 2);
    assert.deepEqual(
      sent.map((body) => (JSON.parse(body) as { Id: string }).Id),
      ['good-1'],
    );
    const letters = [];
    for await (const letter of store.listDeadLetters()) letters.push(letter);
    assert.deepEqual(letters.map((letter) => [letter.reason, letter.origin]).sort(), [
      ['too-deep', 'audit poller'],
      ['too-large', 'audit poller'],
    ]);
    assert.ok(letters.every((letter) => letter.excerpt.length <= MAX_EXCERPT_LENGTH + 1));
    // Copied, so the next run does not fetch it again.
    assert.equal((await poller.poll()).alreadyCopied, 1);
  });
});

describe('AuditPoller and records too large for one event', () => {
  it('dead-letters a record within the bounds whose UTF-8 bytes do not fit one event, and publishes the rest of its blob', async () => {
    const store = memoryStateStore();
    const good = { Id: 'good-1', Workload: 'Exchange', Operation: 'MailItemsAccessed' };
    // 600 characters, well within the bounds, but 1,200 bytes: more than this hub's 1,000-byte events.
    const wide = { Id: 'wide-1', Subject: 'é'.repeat(600) };
    const after = { Id: 'good-2', Workload: 'Exchange', Operation: 'MailItemsAccessed' };
    const feed: AuditFeed = {
      startSubscription: async () => {},
      listContent: (contentType) =>
        Promise.resolve([
          { contentType, contentId: `${contentType}-0`, contentUri: 'https://manage.office.com/x', contentCreated: '2026-11-28T11:00:00.000Z' },
        ]),
      fetchContent: () => Promise.resolve([good, wide, after]),
    };
    const batches: unknown[][] = [];
    const publisher = new EventHubPublisher({ producerOf: () => fakeProducer(1_000, batches) });
    const poller = new AuditPoller({
      store,
      feed,
      publisher,
      hub: 'exchange',
      clock: { now: () => new Date('2026-11-28T12:00:00.000Z') },
      settings: { contentTypes: ['Audit.Exchange'], lookbackInHours: 1 },
      logger: recordingLogger(),
    });
    const report = await poller.poll();
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      { copied: report.copied, deadLettered: report.deadLettered, records: report.records, recordsDeadLettered: report.recordsDeadLettered },
      { copied: 1, deadLettered: 0, records: 2, recordsDeadLettered: 1 },
    );
    assert.deepEqual(batches.flat(), [good, after]);
    const letters = [];
    for await (const letter of store.listDeadLetters()) letters.push(letter);
    assert.deepEqual(
      letters.map((letter) => [letter.reason, letter.detail]),
      [['too-large', 'larger than one Event Hubs event']],
    );
  });
});

describe('AuditPoller and the silence check writing the same state', () => {
  it("keeps the alert id the check wrote during a run: the poller's writes carry it over from a fresh read", async () => {
    const store = memoryStateStore();
    await store.upsertAuditFeedState({
      contentType: 'Audit.Exchange',
      subscribedAt: '2026-11-20T00:00:00.000Z',
      listedUntil: '2026-11-28T11:00:00.000Z',
      disabled: { since: '2026-11-28T11:00:00.000Z', detail: 'AF20023: The subscription was disabled by a tenant admin.' },
    });
    const feed = feedOf(1);
    // The check raises its alert and records the id after the run read the state, while it lists.
    const listContent = feed.listContent.bind(feed);
    feed.listContent = async (...args) => {
      const current = (await store.getAuditFeedState('Audit.Exchange'))!;
      await store.upsertAuditFeedState({ ...current, silentAlertId: 'alert-1' });
      return listContent(...args);
    };
    const poller = new AuditPoller({
      store,
      feed,
      publisher: { publish: () => Promise.resolve({ tooLarge: [] }), close: async () => {} },
      hub: 'exchange',
      clock: { now: () => new Date('2026-11-28T12:00:00.000Z') },
      settings: { contentTypes: ['Audit.Exchange'], lookbackInHours: 1 },
      logger: recordingLogger(),
    });
    const report = await poller.poll();
    assert.deepEqual([report.copied, report.subscriptionsDisabled, report.failures], [1, 0, []]);
    assert.deepEqual(await store.getAuditFeedState('Audit.Exchange'), {
      contentType: 'Audit.Exchange',
      subscribedAt: '2026-11-20T00:00:00.000Z',
      listedUntil: '2026-11-28T12:00:00.000Z',
      silentAlertId: 'alert-1',
    });
  });
});

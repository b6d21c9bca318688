import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStateStore } from '../../../src/adapters/memoryStateStore.js';
import { AuditPoller } from '../../../src/app/auditPoller.js';
import type { AuditContent } from '../../../src/domain/auditFeed.js';
import type { AuditFeed } from '../../../src/ports/auditFeed.js';
import type { Clock } from '../../../src/ports/clock.js';
import { recordingLogger } from '../../helpers/services.js';

/** A feed of `perType` blobs per content type, every one listed in every window. */
function feedOf(perType: number): AuditFeed & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    startSubscription: async () => {},
    async listContent(contentType): Promise<AuditContent[]> {
      return Array.from({ length: perType }, (_, index) => ({ contentType, contentId: `${contentType}-${index}`, contentUri: 'https://manage.office.com/x', contentCreated: `2026-11-28T11:${String(index).padStart(2, '0')}:00.000Z` }));
    },
    async fetchContent(content) {
      fetched.push(content.contentId);
      return [{ Id: content.contentId }];
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
      store: new MemoryStateStore(),
      feed,
      publisher: { publish: async () => {}, close: async () => {} },
      hub: 'exchange',
      clock: slowClock(),
      settings: { contentTypes: ['Audit.Exchange', 'Audit.AzureActiveDirectory'], lookbackInHours: 1 },
      logger: recordingLogger(),
      budgetInMs: 5 * 60_000,
    });
    const first = await poller.poll();
    assert.equal(first.outOfTime, true);
    assert.ok(first.copied > 0 && first.copied < 40, `copied ${first.copied}`);
    assert.ok(feed.fetched.every((id) => id.startsWith('Audit.Exchange')), 'the first run began with Exchange');
    const before = feed.fetched.length;
    await poller.poll();
    assert.ok(feed.fetched.slice(before)[0]!.startsWith('Audit.AzureActiveDirectory'), 'the next run begins with the other type');
    assert.equal(new Set(feed.fetched).size, feed.fetched.length, 'nothing fetched twice');
  });
});

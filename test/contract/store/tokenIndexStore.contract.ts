import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyLateness, withLateness } from '../../../src/correlation/lateness.js';
import { issuanceLookupOf, type SignInLateness } from '../../../src/domain/tokens.js';
import type { TokenIndexStore } from '../../../src/ports/store/tokenIndexStore.js';
import { issuance, pendingCheck, all } from './fixtures.js';

/** What every `TokenIndexStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function tokenIndexStoreContract(name: string, createStore: () => Promise<TokenIndexStore>): void {
  describe(`TokenIndexStore contract: ${name}`, () => {
    it('indexes token issuances by hour and finds them around their issue time, case-sensitively', async () => {
      const store = await createStore();
      const inOneHour = Array.from({ length: 150 }, (_, index) =>
        issuance(`uti${index}AAAAAAAAAAAAAAAA`, `2026-11-02T08:${String(index % 60).padStart(2, '0')}:00.000Z`),
      );
      await store.upsertTokenIssuances([...inOneHour, issuance('a/b+c==', '2026-11-02T09:05:00.000Z'), issuance('CaseToken', '2026-11-02T10:00:00.000Z')]);
      const around = (uti: string, iat: string) => issuanceLookupOf({ uti, issuedAt: iat, usedAt: iat }, 28);
      const found = await store.findTokenIssuances([
        around('uti7AAAAAAAAAAAAAAAA', '2026-11-02T08:07:00.000Z'),
        around('uti149AAAAAAAAAAAAAAAA', '2026-11-02T08:55:00.000Z'),
        around('a/b+c==', '2026-11-02T09:50:00.000Z'),
        around('a/b+c==', '2026-11-02T08:58:00.000Z'),
        around('casetoken', '2026-11-02T10:00:00.000Z'),
        around('uti3AAAAAAAAAAAAAAAA', '2026-11-03T08:03:00.000Z'),
        around('never-issued', '2026-11-02T08:30:00.000Z'),
        // No issue time: looked for over the longest token lifetime before the use.
        issuanceLookupOf({ uti: 'CaseToken', usedAt: '2026-11-03T12:00:00.000Z' }, 28),
      ]);
      assert.deepEqual([...found].sort(), ['CaseToken', 'a/b+c==', 'uti149AAAAAAAAAAAAAAAA', 'uti7AAAAAAAAAAAAAAAA']);
      assert.equal(await store.deleteTokenIssuancesBefore('2026-11-02T09:30:00.000Z'), 150);
      assert.deepEqual(
        [...(await store.findTokenIssuances([around('uti7AAAAAAAAAAAAAAAA', '2026-11-02T08:07:00.000Z'), around('a/b+c==', '2026-11-02T09:05:00.000Z')]))],
        ['a/b+c=='],
      );
    });

    it('gives back the time, category and record of an issuance, as findTokenIssuances finds it', async () => {
      const store = await createStore();
      await store.upsertTokenIssuances([
        { ...issuance('late/uti+1', '2026-11-02T08:58:00.000Z'), recordId: 'sign-in-record-1' },
        issuance('other', '2026-11-02T08:59:00.000Z'),
      ]);
      const lookups = ['late/uti+1', 'other', 'never'].map((uti) =>
        issuanceLookupOf({ uti, issuedAt: '2026-11-02T08:58:00.000Z', usedAt: '2026-11-02T09:00:00.000Z' }, 28),
      );
      const found = (await store.getTokenIssuances(lookups)).sort((a, b) => a.uti.localeCompare(b.uti));
      assert.deepEqual(found, [
        { uti: 'late/uti+1', issuedAt: '2026-11-02T08:58:00.000Z', category: 'SignInLogs', recordId: 'sign-in-record-1' },
        { uti: 'other', issuedAt: '2026-11-02T08:59:00.000Z', category: 'SignInLogs' },
      ]);
    });

    it('keeps uses judged missing, one per token and alert, until deleted or judged before a time', async () => {
      const store = await createStore();
      const row = (uti: string, alertId: string, judgedAt: string) => ({ uti, alertId, judgedAt, usedAt: '2026-11-02T09:00:00.000Z', tenantId: 't1' });
      await store.recordMissingIssuances([row('a/b', 'alert1', '2026-11-02T09:10:00.000Z'), row('c', 'alert2', '2026-11-03T09:10:00.000Z')]);
      await store.recordMissingIssuances([row('a/b', 'alert1', '2026-11-02T09:10:00.000Z')]);
      const sorted = async () => (await store.listMissingIssuances()).sort((a, b) => a.uti.localeCompare(b.uti));
      assert.deepEqual(await sorted(), [row('a/b', 'alert1', '2026-11-02T09:10:00.000Z'), row('c', 'alert2', '2026-11-03T09:10:00.000Z')]);
      assert.equal(await store.deleteMissingIssuancesBefore('2026-11-03T00:00:00.000Z'), 1);
      assert.deepEqual(await sorted(), [row('c', 'alert2', '2026-11-03T09:10:00.000Z')]);
      await store.deleteMissingIssuances([row('c', 'alert2', '2026-11-03T09:10:00.000Z')]);
      assert.deepEqual(await store.listMissingIssuances(), []);
    });

    it('moves sign-in progress forward only, keeping the first event time', async () => {
      const store = await createStore();
      const tenantId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
      await store.advanceSignInProgress([
        { tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T08:00:00.000Z', watermark: '2026-11-02T08:30:00.000Z' },
      ]);
      await store.advanceSignInProgress([
        { tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T07:00:00.000Z', watermark: '2026-11-02T08:10:00.000Z' },
        { tenantId, category: 'NonInteractiveUserSignInLogs', firstEventTime: '2026-11-02T08:05:00.000Z', watermark: '2026-11-02T08:06:00.000Z' },
      ]);
      await store.advanceSignInProgress([
        { tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T09:00:00.000Z', watermark: '2026-11-02T09:45:00.000Z' },
      ]);
      const progress = (await store.listSignInProgress()).sort((a, b) => a.category.localeCompare(b.category));
      assert.deepEqual(progress, [
        { tenantId, category: 'NonInteractiveUserSignInLogs', firstEventTime: '2026-11-02T08:05:00.000Z', watermark: '2026-11-02T08:06:00.000Z' },
        { tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T08:00:00.000Z', watermark: '2026-11-02T09:45:00.000Z' },
      ]);
    });

    it('keeps pending token checks until deleted, one per token and record, listed by due time', async () => {
      const store = await createStore();
      const early = pendingCheck('tokA/+', '2026-11-02T10:00:00.000Z');
      const sameTokenOtherRecord = pendingCheck('tokA/+', '2026-11-02T10:00:00.000Z', 'r-other');
      const late = pendingCheck('tokB', '2026-11-02T12:00:00.000Z');
      await store.upsertPendingTokenChecks([early, sameTokenOtherRecord, late]);
      await store.upsertPendingTokenChecks([early]);
      const due = await all(store.listPendingTokenChecks('2026-11-02T10:00:00.000Z'));
      assert.deepEqual(due.map((check) => check.evidence.id).sort(), ['r-other', 'r-tokA/+']);
      assert.deepEqual(
        due.find((check) => check.evidence.id === 'r-other'),
        sameTokenOtherRecord,
      );
      assert.equal((await all(store.listPendingTokenChecks('2026-11-02T13:00:00.000Z'))).length, 3);
      await store.deletePendingTokenChecks([early, late, pendingCheck('never-stored', '2026-11-02T11:00:00.000Z')]);
      assert.deepEqual(
        (await all(store.listPendingTokenChecks('2026-11-03T00:00:00.000Z'))).map((check) => check.evidence.id),
        ['r-other'],
      );
    });

    it("sums every writer's match counts per source and app, each writer replacing its own", async () => {
      const store = await createStore();
      const app = 'de8bc8b5-d9f9-48b1-a8ad-b748da725064';
      await store.upsertTokenMatchCounts('writer-1', [{ source: 'exchange', appId: app, matched: 5, unmatched: 1 }], '2026-11-01T00:00:00.000Z');
      await store.upsertTokenMatchCounts('writer-1', [{ source: 'exchange', appId: app, matched: 8, unmatched: 2 }], '2026-11-20T00:00:00.000Z');
      await store.upsertTokenMatchCounts(
        'writer-2',
        [
          { source: 'exchange', appId: app, matched: 1, unmatched: 0 },
          { source: 'graph', appId: app, matched: 3, unmatched: 0 },
        ],
        '2026-10-01T00:00:00.000Z',
      );
      assert.deepEqual(await store.listTokenMatchCounts(), [
        { source: 'exchange', appId: app, matched: 9, unmatched: 2 },
        { source: 'graph', appId: app, matched: 3, unmatched: 0 },
      ]);
      assert.equal(await store.deleteTokenMatchCountsBefore('2026-11-01T00:00:00.000Z'), 2, "writer-2's rows are stale");
      assert.deepEqual(await store.listTokenMatchCounts(), [{ source: 'exchange', appId: app, matched: 8, unmatched: 2 }]);
    });

    it("keeps each writer's lateness rows per tenant, stream and hour, replacing its own, listing from an hour on", async () => {
      const store = await createStore();
      const tenantId = '5b2d7c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e';
      const late = (seconds: readonly number[]) => withLateness(emptyLateness(), seconds);
      const row = (hour: string, category: SignInLateness['category'], seconds: readonly number[]): SignInLateness => ({
        tenantId,
        category,
        hour,
        histogram: late(seconds),
      });
      await store.upsertSignInLateness('writer-1', [row('2026-11-02T08:00:00.000Z', 'SignInLogs', [1, 2]), row('2026-11-02T09:00:00.000Z', 'SignInLogs', [3])]);
      // Its own row again: replaced, not added to.
      await store.upsertSignInLateness('writer-1', [row('2026-11-02T09:00:00.000Z', 'SignInLogs', [3, 400])]);
      await store.upsertSignInLateness('writer-2', [
        row('2026-11-02T09:00:00.000Z', 'SignInLogs', [7]),
        row('2026-11-02T09:00:00.000Z', 'partition:3/a b', [0]),
      ]);
      const byKey = (rows: readonly SignInLateness[]) =>
        rows.map((entry) => `${entry.hour} ${entry.category} ${entry.histogram.total} ${entry.histogram.maxInSeconds}`).sort();
      assert.deepEqual(byKey(await store.listSignInLateness('2026-11-02T09:30:00.000Z')), [
        '2026-11-02T09:00:00.000Z SignInLogs 1 7',
        '2026-11-02T09:00:00.000Z SignInLogs 2 400',
        '2026-11-02T09:00:00.000Z partition:3/a b 1 0',
      ]);
      const [merged] = (await store.listSignInLateness('2026-11-02T09:00:00.000Z')).filter((entry) => entry.histogram.maxInSeconds === 400);
      assert.deepEqual(merged?.histogram, late([3, 400]), 'the histogram comes back whole');
      assert.equal((await store.listSignInLateness('2026-11-02T00:00:00.000Z')).length, 4);
      assert.equal(await store.deleteSignInLatenessBefore('2026-11-02T09:00:00.000Z'), 1);
      assert.equal((await store.listSignInLateness('2026-11-01T00:00:00.000Z')).length, 3);
    });
  });
}

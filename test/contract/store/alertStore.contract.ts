import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredAlert } from '../../../src/domain/alerts.js';
import type { AlertFilter, AlertStore } from '../../../src/ports/store/alertStore.js';
import { ConcurrencyError } from '../../../src/ports/store/versioned.js';
import { all, AWKWARD_IDS, storedAlert } from './fixtures.js';

/** What every `AlertStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function alertStoreContract(name: string, createStore: () => Promise<AlertStore>): void {
  describe(`AlertStore contract: ${name}`, () => {
    it('lists alerts narrowed by status, severity, detection and event-time range', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('a1', { status: 'open', severity: 'critical', occurredAt: '2026-11-01T00:00:00.000Z' }));
      await store.createAlert(storedAlert('a2', { status: 'acknowledged', severity: 'critical', occurredAt: '2026-11-02T00:00:00.000Z' }));
      await store.createAlert(
        storedAlert('a3', { status: 'open', severity: 'high', detection: 'token.issuance.missing', occurredAt: '2026-11-03T00:00:00.000Z' }),
      );
      await store.createAlert(storedAlert("a4'quote", { status: 'open', severity: 'high', detection: "it's", occurredAt: '2026-11-04T00:00:00.000Z' }));
      const ids = async (filter: AlertFilter | undefined) => (await all(store.listAlerts(filter))).map((stored) => stored.alert.id).sort();
      assert.deepEqual(await ids(undefined), ['a1', 'a2', 'a3', "a4'quote"]);
      assert.deepEqual(await ids({ status: 'open' }), ['a1', 'a3', "a4'quote"]);
      assert.deepEqual(await ids({ status: 'open', severity: 'critical' }), ['a1']);
      assert.deepEqual(await ids({ detection: 'token.issuance.missing' }), ['a3']);
      assert.deepEqual(await ids({ detection: "it's" }), ["a4'quote"]);
      assert.deepEqual(await ids({ occurredFrom: '2026-11-02T00:00:00.000Z', occurredTo: '2026-11-04T00:00:00.000Z' }), ['a2', 'a3']);
      assert.deepEqual(await ids({ status: 'resolved' }), []);
    });

    it('stores and finds alerts whose ids hold characters Table keys forbid', async () => {
      const store = await createStore();
      for (const id of AWKWARD_IDS) await store.createAlert(storedAlert(id));
      for (const id of AWKWARD_IDS) {
        const read = await store.getAlert(id);
        assert.deepEqual(read?.value, storedAlert(id), `alert ${JSON.stringify(id.slice(0, 20))}`);
      }
      assert.deepEqual((await all(store.listAlerts())).map((stored) => stored.alert.id).sort(), [...AWKWARD_IDS].sort());
      assert.equal(await store.getAlert('missing'), undefined);
    });

    it('refuses to create an alert twice', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('dup'));
      await assert.rejects(store.createAlert(storedAlert('dup', { count: 2 })), ConcurrencyError);
      assert.equal((await store.getAlert('dup'))?.value.alert.count, 1);
    });

    it('updates an alert only at the ETag it was read at', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('race'));
      const first = await store.getAlert('race');
      const second = await store.getAlert('race');
      assert.ok(first !== undefined && second !== undefined);
      await store.updateAlert(storedAlert('race', { count: 2 }), first.etag);
      await assert.rejects(store.updateAlert(storedAlert('race', { count: 3 }), second.etag), ConcurrencyError);
      const latest = await store.getAlert('race');
      assert.equal(latest?.value.alert.count, 2);
      assert.notEqual(latest.etag, first.etag);
      await assert.rejects(store.updateAlert(storedAlert('absent'), first.etag), ConcurrencyError);
    });

    it('keeps large alerts whole (documents beyond one Table property)', async () => {
      const store = await createStore();
      const evidence = Array.from({ length: 20 }, (_, index) => ({
        source: 'exchange' as const,
        type: 'MailItemsAccessed',
        id: `${index}-${'z'.repeat(500)}`,
        time: '2026-11-02T09:40:12.000Z',
      }));
      const big: StoredAlert = {
        ...storedAlert('big', { evidence, count: 5000, summary: 's'.repeat(40_000) }),
        evidenceKeys: Array.from({ length: 5000 }, (_, index) => `k${String(index).padStart(11, '0')}`),
      };
      await store.createAlert(big);
      assert.deepEqual((await store.getAlert('big'))?.value, big);
    });

    it('prunes alerts by when their evidence began', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('old', { occurredAt: '2025-01-01T00:00:00.000Z' }));
      await store.createAlert(storedAlert('new', { occurredAt: '2026-11-01T00:00:00.000Z' }));
      assert.equal(await store.deleteAlertsBefore('2026-01-01T00:00:00.000Z'), 1);
      assert.deepEqual(
        (await all(store.listAlerts())).map((stored) => stored.alert.id),
        ['new'],
      );
    });
  });
}

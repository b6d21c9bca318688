import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentStore } from '../../../src/ports/store/incidentStore.js';
import { all } from './fixtures.js';

/** What every `IncidentStore` must do: the in-memory and Table adapters both run it, so the fake cannot drift from the real thing. */
export function incidentStoreContract(name: string, createStore: () => Promise<IncidentStore>): void {
  describe(`IncidentStore contract: ${name}`, () => {
    it('prunes incidents, with their actor keys, by their latest alert', async () => {
      const store = await createStore();
      const incident = (id: string, lastOccurredAt: string) => ({
        id,
        severity: 'high' as const,
        title: 't',
        firstOccurredAt: lastOccurredAt,
        lastOccurredAt,
        createdAt: lastOccurredAt,
        updatedAt: lastOccurredAt,
        alertIds: ['a'],
        detections: ['decoy.user.signIn'],
        actorKeys: [`ip:${id}`],
        highestAlertSeverity: 'high' as const,
        status: 'open' as const,
      });
      for (const item of [incident('inc-old', '2025-01-01T00:00:00.000Z'), incident('inc-new', '2026-11-01T00:00:00.000Z')]) {
        await store.createIncident(item);
        await store.upsertIncidentActorKeys(item);
      }
      assert.equal(await store.deleteIncidentsBefore('2026-01-01T00:00:00.000Z'), 1);
      assert.deepEqual(
        (await all(store.listIncidents())).map((item) => item.id),
        ['inc-new'],
      );
      assert.deepEqual(await store.findIncidentsByActorKeys(['ip:inc-old', 'ip:inc-new'], '2000-01-01T00:00:00.000Z'), ['inc-new']);
    });
  });
}

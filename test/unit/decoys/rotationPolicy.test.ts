import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decoy } from '../../../src/domain/decoys.js';
import type { DecoyGeneration, DecoyLifecycle, JournalEntry } from '../../../src/domain/lifecycle.js';
import { keepNewest, nextRotationAt, rotationPlanOf, selfChangeWindowsOf } from '../../../src/decoys/rotationPolicy.js';
import { DecoyIndex } from '../../../src/decoys/decoyIndex.js';

const secret = (keyId: string): DecoyGeneration => ({
  kind: 'clientSecret',
  keyId,
  journalId: `j${keyId.padEnd(9, '0')}`,
  createdAt: '2026-11-28T12:00:00.000Z',
});
const customers = (keyId: string): DecoyGeneration => ({ kind: 'clientSecret', keyId, createdAt: '2026-11-01T12:00:00.000Z' });
const APP: Decoy = {
  kind: 'application',
  id: 'app',
  enabled: true,
  appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c',
  credentialKeyIds: [],
  rotationIntervalInHours: 24,
};
const NOW = new Date('2026-11-28T12:00:00.000Z');

function lifecycle(overrides: Partial<DecoyLifecycle> = {}): DecoyLifecycle {
  return {
    decoyId: 'app',
    kind: 'application',
    createdByLure: true,
    generations: [],
    placements: [{ kind: 'mailItem', decoyId: 'carrier' }],
    nextRotationAt: '2026-11-28T11:00:00.000Z',
    ...overrides,
  };
}

describe('rotation policy', () => {
  it('keeps the newest generations and names the ones that fell out', () => {
    assert.deepEqual(keepNewest([secret('a'), secret('b')], secret('c'), 2), { kept: [secret('b'), secret('c')], dropped: [secret('a')] });
    assert.deepEqual(keepNewest([], secret('a'), 2), { kept: [secret('a')], dropped: [] });
    assert.deepEqual(keepNewest([secret('a'), secret('b'), secret('c')], secret('d'), 1), {
      kept: [secret('d')],
      dropped: [secret('a'), secret('b'), secret('c')],
    });
  });

  it("never counts or drops generations Lure did not make (a registered app's own secrets)", () => {
    assert.deepEqual(keepNewest([customers('own1'), customers('own2')], secret('a'), 2), {
      kept: [customers('own1'), customers('own2'), secret('a')],
      dropped: [],
    });
    assert.deepEqual(keepNewest([customers('own1'), secret('a'), secret('b')], secret('c'), 2), {
      kept: [customers('own1'), secret('b'), secret('c')],
      dropped: [secret('a')],
    });
  });

  it('schedules the next rotation after the interval plus at most the jitter share of it', () => {
    assert.equal(nextRotationAt(NOW, undefined, 10, 0.5), undefined);
    assert.equal(nextRotationAt(NOW, 24, 10, 0), '2026-11-29T12:00:00.000Z');
    assert.equal(nextRotationAt(NOW, 24, 10, 0.5), '2026-11-29T13:12:00.000Z');
    assert.ok(nextRotationAt(NOW, 24, 10, 0.999999)! < '2026-11-29T14:24:00.000Z');
  });

  it('rotates on its own only what nobody must re-plant; marks hand-planted decoys due once', () => {
    assert.equal(rotationPlanOf(APP, lifecycle(), true, NOW, false), 'rotate');
    assert.equal(rotationPlanOf(APP, lifecycle({ nextRotationAt: '2026-11-28T13:00:00.000Z' }), true, NOW, false), 'wait', 'not due');
    assert.equal(rotationPlanOf(APP, lifecycle({ nextRotationAt: undefined }), true, NOW, false), 'wait', 'no interval');
    assert.equal(rotationPlanOf({ ...APP, enabled: false }, lifecycle(), true, NOW, false), 'wait', 'disabled');
    assert.equal(rotationPlanOf(APP, lifecycle(), true, NOW, true), 'wait', 'a carrier rotates with the decoy it carries');
    const manual = lifecycle({
      placements: [
        { kind: 'mailItem', decoyId: 'carrier' },
        { kind: 'manual', description: 'wiki' },
      ],
    });
    assert.equal(rotationPlanOf(APP, manual, true, NOW, false), 'markDue');
    assert.equal(rotationPlanOf(APP, { ...manual, rotationDueSince: '2026-11-28T11:30:00.000Z' }, true, NOW, false), 'wait', 'already marked');
    assert.equal(rotationPlanOf(APP, lifecycle({ placements: [] }), true, NOW, false), 'markDue', 'a secret handed to an admin with no recorded placement');
    assert.equal(rotationPlanOf(APP, lifecycle({ placements: [] }), false, NOW, false), 'rotate', 'a honeytoken or message needs no re-planting');
  });

  it("builds windows of Lure's own changes from the journal, slack on both sides, for the decoy and its placements", () => {
    const entry: JournalEntry = {
      id: 'abcdefghij',
      decoyId: 'app',
      kind: 'application',
      operation: 'rotate',
      step: 'finished',
      startedAt: '2026-11-28T12:00:00.000Z',
      updatedAt: '2026-11-28T12:00:05.000Z',
      secretTo: 'placements',
      placementDecoyIds: ['carrier'],
    };
    const windows = selfChangeWindowsOf([entry]);
    assert.deepEqual(windows.get('app'), [{ from: '2026-11-28T11:45:00.000Z', to: '2026-11-28T12:15:05.000Z' }]);
    assert.deepEqual(windows.get('carrier'), windows.get('app'));
    const index = new DecoyIndex([APP], windows);
    assert.equal(index.changedByLureAt('app', '2026-11-28T12:15:05.000Z'), true);
    assert.equal(index.changedByLureAt('app', '2026-11-28T12:15:06.000Z'), false);
    assert.equal(index.changedByLureAt('app', '2026-11-28T11:44:59.999Z'), false);
    assert.equal(index.changedByLureAt('other', '2026-11-28T12:00:00.000Z'), false);
  });
});

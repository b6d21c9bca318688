import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { alertIdOf, dedupeKeyOf } from '../../../src/correlation/dedupeKey.js';
import { foldAlert, MAX_EVIDENCE_SHOWN } from '../../../src/correlation/foldAlert.js';
import type { Severity, StoredAlert } from '../../../src/domain/alerts.js';
import { finding } from '../../helpers/alerts.js';
import type { Finding } from '../../../src/domain/findings.js';

const NOW = '2026-11-28T12:00:00.000Z';
const LATER = '2026-11-28T13:00:00.000Z';

/** Folds findings one batch at a time, as successive Event Hub batches would. */
function foldInBatches(batches: readonly (readonly Finding[])[], now = NOW): StoredAlert {
  let stored: StoredAlert | undefined;
  for (const batch of batches) {
    const dedupeKey = dedupeKeyOf(batch[0]!, 60);
    stored = foldAlert(stored, dedupeKey, batch, now).stored;
  }
  return stored!;
}

describe('foldAlert', () => {
  it('creates an alert from its first findings, with the contract fields', () => {
    const first = finding({ id: 'e1', time: '2026-11-02T08:14:03.123Z' });
    const dedupeKey = dedupeKeyOf(first, 60);
    const { stored, changed } = foldAlert(undefined, dedupeKey, [first], NOW);
    assert.equal(changed, true);
    assert.deepEqual(stored.alert, {
      id: alertIdOf(dedupeKey),
      detection: 'decoy.user.signIn',
      severity: 'high',
      title: 'hit e1',
      summary: 'summary of e1',
      occurredAt: '2026-11-02T08:14:03.123Z',
      detectedAt: NOW,
      decoyId: 'd-user-1',
      actor: { userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' },
      target: { objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44' },
      evidence: [{ source: 'entra', type: 'SignInLogs', id: 'e1', time: '2026-11-02T08:14:03.123Z' }],
      count: 1,
      dedupeKey,
      status: 'open',
    });
  });

  it('counts distinct evidence records, not deliveries', () => {
    const a = finding({ id: 'a', time: '2026-11-02T08:10:00.000Z' });
    const b = finding({ id: 'b', time: '2026-11-02T08:20:00.000Z' });
    const stored = foldInBatches([[a, a], [b], [a, b]]);
    assert.equal(stored.alert.count, 2);
    assert.deepEqual(
      stored.alert.evidence.map((evidence) => evidence.id),
      ['a', 'b'],
    );
  });

  it('changes nothing when a batch brings only evidence already counted (a redelivery)', () => {
    const a = finding({ id: 'a', time: '2026-11-02T08:10:00.000Z' });
    const once = foldInBatches([[a]]);
    const again = foldAlert(once, once.alert.dedupeKey, [a], LATER);
    assert.equal(again.changed, false);
    assert.equal(again.stored, once);
  });

  it('raises severity to the highest finding and takes its words, keeping detectedAt and triage status', () => {
    const failure = finding({ id: 'a', time: '2026-11-02T08:10:00.000Z', severity: 'high', title: 'attempt' });
    const success = finding({ id: 'b', time: '2026-11-02T08:12:00.000Z', severity: 'critical', title: 'success' });
    const first = foldInBatches([[failure]]);
    const triage = { status: 'acknowledged' as const, at: LATER, by: { objectId: 'o1', userPrincipalName: 'soc@contoso.example' }, note: 'looking' };
    const acknowledged: StoredAlert = { ...first, alert: { ...first.alert, status: 'acknowledged', triage } };
    const { stored } = foldAlert(acknowledged, first.alert.dedupeKey, [success], LATER);
    assert.deepEqual(stored.alert.triage, triage);
    assert.equal(stored.alert.severity, 'critical');
    assert.equal(stored.alert.title, 'success');
    assert.equal(stored.alert.occurredAt, '2026-11-02T08:10:00.000Z');
    assert.equal(stored.alert.detectedAt, NOW);
    assert.equal(stored.alert.status, 'acknowledged');
    assert.equal(stored.alert.count, 2);
  });

  it('marks hits on a disabled decoy suppressed', () => {
    const stored = foldInBatches([[finding({ id: 'a', time: '2026-11-02T08:10:00.000Z', suppressed: true })]]);
    assert.equal(stored.alert.status, 'suppressed');
  });

  it(`shows the earliest ${MAX_EVIDENCE_SHOWN} evidence records and counts them all`, () => {
    const findings = Array.from({ length: 50 }, (_, index) =>
      finding({ id: `e${index}`, time: new Date(Date.UTC(2026, 10, 2, 8, 0, 59 - index)).toISOString() }),
    );
    const stored = foldInBatches([findings.slice(0, 25), findings.slice(25)]);
    assert.equal(stored.alert.count, 50);
    assert.equal(stored.alert.evidence.length, MAX_EVIDENCE_SHOWN);
    assert.equal(stored.alert.evidence[0]!.id, 'e49');
    assert.equal(stored.alert.occurredAt, findings[49]!.evidence.time);
  });

  it('refuses to create an alert from no findings', () => {
    assert.throws(() => foldAlert(undefined, 'k', [], NOW), RangeError);
  });

  it('gives the same alert whatever order and batching the findings arrive in', () => {
    const severities: Severity[] = ['high', 'critical', 'medium'];
    const arbitraryFindings = fc.uniqueArray(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), minute: fc.integer({ min: 0, max: 59 }), severity: fc.constantFrom(...severities) }),
      { minLength: 1, maxLength: 30, selector: (entry) => entry.id },
    );
    const entriesAndPermutation = arbitraryFindings.chain((entries) =>
      fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })),
    );
    const toFinding = (entry: { id: string; minute: number; severity: Severity }) =>
      finding({ id: entry.id, time: new Date(Date.UTC(2026, 10, 2, 8, entry.minute)).toISOString(), severity: entry.severity, title: `t-${entry.id}` });
    fc.assert(
      fc.property(entriesAndPermutation, fc.integer({ min: 1, max: 5 }), ([entries, permutation], batchSize) => {
        const findings = entries.map(toFinding);
        const shuffled = permutation.map(toFinding);
        const batches: Finding[][] = [];
        for (let index = 0; index < shuffled.length; index += batchSize) batches.push(shuffled.slice(index, index + batchSize));
        const inOrder = foldInBatches([findings]);
        const shuffledFold = foldInBatches(batches);
        assert.deepEqual(shuffledFold.alert, inOrder.alert);
        assert.deepEqual(shuffledFold.evidenceKeys, inOrder.evidenceKeys);
      }),
      { numRuns: 200 },
    );
  });
});

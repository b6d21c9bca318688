import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appPairOf, observeMailAccess } from '../../../src/correlation/mailAppBaseline.js';
import { retainedBytes } from '../../helpers/retainedHeap.js';
import type { MailAppBaseline } from '../../../src/domain/mailBaselines.js';

const SETTINGS = { learningInDays: 14, maxPairs: 3 };
const OUTLOOK = appPairOf('00000002-0000-0FF1-CE00-000000000000', '');
const STRANGER = appPairOf('7f7f7f7f-1111-4222-8333-444444444444', 'd3590ed6-52b3-4102-aeff-aad2292ab01c');

function baselineAt(firstSeen: string, pairs: Record<string, string>): MailAppBaseline {
  return { mailbox: 'alice@contoso.example', firstSeen, pairs };
}

describe('observeMailAccess', () => {
  it('starts a baseline with the first access, learning', () => {
    const result = observeMailAccess(undefined, { mailbox: 'alice@contoso.example', pair: OUTLOOK, time: '2026-11-01T08:00:00.000Z' }, SETTINGS);
    assert.deepEqual(result, {
      baseline: baselineAt('2026-11-01T08:00:00.000Z', { [OUTLOOK]: '2026-11-01T08:00:00.000Z' }),
      verdict: 'learning',
      changed: true,
    });
  });

  it('learns new apps silently during the learning period, and reports one after it', () => {
    const baseline = baselineAt('2026-11-01T08:00:00.000Z', { [OUTLOOK]: '2026-11-01T08:00:00.000Z' });
    assert.equal(observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: STRANGER, time: '2026-11-15T07:59:59.000Z' }, SETTINGS).verdict, 'learning');
    const after = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: STRANGER, time: '2026-11-15T08:00:00.000Z' }, SETTINGS);
    assert.equal(after.verdict, 'firstSeen');
    assert.equal(after.baseline.pairs[STRANGER], '2026-11-15T08:00:00.000Z', 'and learns it, so it fires once');
    assert.equal(observeMailAccess(after.baseline, { mailbox: baseline.mailbox, pair: STRANGER, time: '2026-11-15T09:00:00.000Z' }, SETTINGS).verdict, 'known');
  });

  it('matches app ids in any case', () => {
    assert.equal(appPairOf('ABC', 'Def'), appPairOf('abc', 'dEF'));
  });

  it('rewrites a known pair only when its last sighting moved a day, so busy mailboxes cost few writes', () => {
    const baseline = baselineAt('2026-11-01T08:00:00.000Z', { [OUTLOOK]: '2026-11-20T08:00:00.000Z' });
    const soon = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: OUTLOOK, time: '2026-11-20T20:00:00.000Z' }, SETTINGS);
    assert.deepEqual([soon.verdict, soon.changed, soon.baseline], ['known', false, baseline]);
    const later = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: OUTLOOK, time: '2026-11-21T08:00:00.000Z' }, SETTINGS);
    assert.deepEqual([later.verdict, later.changed, later.baseline.pairs[OUTLOOK]], ['known', true, '2026-11-21T08:00:00.000Z']);
  });

  it('counts a day in time, not in calendar dates: the next day but under 24 hours later is no move', () => {
    const baseline = baselineAt('2026-11-01T08:00:00.000Z', { [OUTLOOK]: '2026-11-20T08:00:00.000Z' });
    const nextMorning = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: OUTLOOK, time: '2026-11-21T07:59:59.999Z' }, SETTINGS);
    assert.equal(nextMorning.changed, false);
    const aDayOn = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: OUTLOOK, time: '2026-11-21T08:00:00.000Z' }, SETTINGS);
    assert.equal(aDayOn.changed, true);
    const monthsOn = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: OUTLOOK, time: '2027-02-20T08:00:00.000Z' }, SETTINGS);
    assert.equal(monthsOn.baseline.pairs[OUTLOOK], '2027-02-20T08:00:00.000Z');
  });

  it('gives the same pair for the same apps however many other pairs came between', () => {
    const before = appPairOf('00000002-0000-0FF1-CE00-000000000000', 'Client');
    for (let index = 0; index < 10_000; index += 1) appPairOf(`app-${index}`, 'CLIENT');
    assert.equal(appPairOf('00000002-0000-0FF1-CE00-000000000000', 'Client'), before);
    assert.equal(before, '00000002-0000-0ff1-ce00-000000000000|client');
    assert.equal(appPairOf(undefined, undefined), '|');
  });

  it('remembers no long pair: what a record names cannot pin memory', () => {
    // 600 pairs of 100 KB: 60 MB if remembered.
    const retained = retainedBytes(() => {
      for (let index = 0; index < 600; index += 1) appPairOf(`app-${index}-${'A'.repeat(100_000)}`, 'client');
    });
    assert.ok(retained < 20_000_000, `${retained} bytes retained`);
    assert.equal(appPairOf(`X${'A'.repeat(300)}`, 'Y'), `x${'a'.repeat(300)}|y`);
  });

  it('keeps at most maxPairs, forgetting the least recently seen', () => {
    const baseline = baselineAt('2026-10-01T00:00:00.000Z', {
      'a|': '2026-11-01T00:00:00.000Z',
      'b|': '2026-11-03T00:00:00.000Z',
      'c|': '2026-11-02T00:00:00.000Z',
    });
    const result = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: 'd|', time: '2026-11-04T00:00:00.000Z' }, SETTINGS);
    assert.deepEqual(Object.keys(result.baseline.pairs).sort(), ['b|', 'c|', 'd|']);
  });

  it('moves the start of learning back for a late record older than the first one seen', () => {
    const baseline = baselineAt('2026-11-10T00:00:00.000Z', { [OUTLOOK]: '2026-11-10T00:00:00.000Z' });
    const result = observeMailAccess(baseline, { mailbox: baseline.mailbox, pair: OUTLOOK, time: '2026-11-05T00:00:00.000Z' }, SETTINGS);
    assert.equal(result.baseline.firstSeen, '2026-11-05T00:00:00.000Z');
    assert.equal(result.changed, true);
  });
});

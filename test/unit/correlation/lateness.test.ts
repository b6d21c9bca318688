import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adaptiveGrace,
  emptyLateness,
  LATENESS_BUCKET_BOUNDS_IN_SECONDS,
  latenessBucketOf,
  latenessQuantile,
  mergeLateness,
  withLateness,
} from '../../../src/correlation/lateness.js';
import { seeded } from '../../helpers/seeded.js';

/** Lognormal latenesses in seconds (median `medianInSeconds`, shape `sigma`), as export delays look. */
function lognormal(count: number, medianInSeconds: number, sigma: number, seed: number): number[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return medianInSeconds * Math.exp(sigma * gaussian);
  });
}

function exactQuantile(values: readonly number[], quantile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)]!;
}

const SETTINGS = { configuredGraceInMinutes: 120, minGraceInMinutes: 10, quantile: 0.999, factor: 2, minRecords: 1000 };

describe('lateness histogram', () => {
  it('puts every lateness in the one bucket whose bounds hold it', () => {
    const values = [0, -3, 1e-6, 0.5, 1, 1.0001, 1.2, 1.21, 59.9, 60, 3600, 86_400, 604_799, 604_800, 10e6, ...lognormal(2000, 30, 2, 7)];
    for (const value of values) {
      const bucket = latenessBucketOf(value);
      if (value <= 0) {
        assert.equal(bucket, 0, String(value));
        continue;
      }
      const upper = LATENESS_BUCKET_BOUNDS_IN_SECONDS[bucket - 1]!;
      const lower = bucket === 1 ? 0 : LATENESS_BUCKET_BOUNDS_IN_SECONDS[bucket - 2]!;
      if (value >= 604_800) assert.equal(bucket, LATENESS_BUCKET_BOUNDS_IN_SECONDS.length, String(value));
      else assert.ok(lower < value && value <= upper, `${value} in (${lower}, ${upper}]`);
    }
  });

  it('reads quantiles never below the exact ones and at most 20 % above', () => {
    for (const [median, sigma, seed] of [
      [20, 1, 1],
      [60, 1.6, 2],
      [300, 0.8, 3],
    ] as const) {
      const values = lognormal(20_000, median, sigma, seed);
      const histogram = withLateness(emptyLateness(), values);
      for (const quantile of [0.5, 0.99, 0.999]) {
        const exact = exactQuantile(values, quantile);
        const estimate = latenessQuantile(histogram, quantile);
        assert.ok(estimate >= exact && estimate <= exact * 1.2 + 1e-9, `p${quantile * 100} of lognormal(${median}, ${sigma}): ${estimate} vs exact ${exact}`);
      }
      assert.equal(latenessQuantile(histogram, 1), Math.max(...values), 'the top quantile is the largest seen');
    }
    assert.equal(latenessQuantile(emptyLateness(), 0.99), 0);
  });

  it('merges writers into exactly the histogram of all their records', () => {
    const values = lognormal(5000, 45, 1.3, 11);
    const parts = [values.slice(0, 1000), values.slice(1000, 1001), values.slice(1001)].map((part) => withLateness(emptyLateness(), part));
    assert.deepEqual(mergeLateness(parts), withLateness(emptyLateness(), values));
    assert.deepEqual(mergeLateness([]), emptyLateness());
  });
});

describe('adaptive grace', () => {
  it('keeps the configured grace for a stream without enough history', () => {
    assert.deepEqual(adaptiveGrace(undefined, SETTINGS), { graceInMinutes: 120, basis: 'configured' });
    const young = withLateness(emptyLateness(), lognormal(999, 30, 1, 5));
    assert.deepEqual(adaptiveGrace(young, SETTINGS), { graceInMinutes: 120, basis: 'configured' });
  });

  it('shrinks with the lateness observed, never below the minimum', () => {
    // Sign-ins a few seconds late at most: twice their p99.9 is under a minute, so the minimum stands.
    const prompt = withLateness(emptyLateness(), lognormal(10_000, 2, 0.5, 9));
    assert.deepEqual(adaptiveGrace(prompt, SETTINGS), { graceInMinutes: 10, basis: 'observed' });
    // A median of a minute with a heavy tail: p99.9 near 17 minutes, the grace twice that.
    const slower = withLateness(emptyLateness(), lognormal(10_000, 60, 1, 9));
    const grace = adaptiveGrace(slower, SETTINGS);
    const expected = Math.ceil((2 * latenessQuantile(slower, 0.999)) / 60);
    assert.deepEqual(grace, { graceInMinutes: expected, basis: 'observed' });
    assert.ok(grace.graceInMinutes > 10 && grace.graceInMinutes < 120, String(grace.graceInMinutes));
  });

  it('grows when stragglers arrive, up to the configured grace and no further', () => {
    const base = withLateness(emptyLateness(), lognormal(2000, 30, 0.6, 4));
    const before = adaptiveGrace(base, SETTINGS).graceInMinutes;
    // Three records 90 minutes late among 2,000: they are the p99.9.
    const stragglers = withLateness(base, [5400, 5400, 5400]);
    const after = adaptiveGrace(stragglers, SETTINGS).graceInMinutes;
    assert.ok(after > before, `${before} → ${after}`);
    assert.equal(after, 120, 'twice 90 minutes is more than the configured grace: capped at it');
  });

  it('covers, from then on, a straggler that retracted an alert, however rare (a minute above it, within the configured grace)', () => {
    const prompt = withLateness(emptyLateness(), lognormal(10_000, 2, 0.5, 9));
    const retracted = mergeLateness([prompt, { ...emptyLateness(), retractedMaxInSeconds: 1900 }]);
    assert.equal(retracted.retractedMaxInSeconds, 1900, 'merged as the largest of any writer');
    assert.deepEqual(adaptiveGrace(retracted, SETTINGS), { graceInMinutes: 33, basis: 'observed' });
    assert.equal(adaptiveGrace(mergeLateness([prompt, { ...emptyLateness(), retractedMaxInSeconds: 9000 }]), SETTINGS).graceInMinutes, 120);
    assert.equal(mergeLateness([prompt]).retractedMaxInSeconds, undefined, 'absent while nothing was retracted');
  });
});

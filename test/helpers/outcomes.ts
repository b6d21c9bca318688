import assert from 'node:assert/strict';
import type { EventKind, EventOfKind } from '../../src/domain/events.js';
import { isSkip, type NormalizeOutcome, type Skip, type SkipReason } from '../../src/normalize/outcome.js';

/** The outcome as an event of `kind`, failing the test (with the skip reason) if it is anything else. */
export function expectEvent<K extends EventKind>(outcome: NormalizeOutcome, kind: K): EventOfKind<K> {
  if (isSkip(outcome)) assert.fail(`expected a ${kind} event, got skip ${outcome.skipped} (${outcome.detail})`);
  assert.equal(outcome.kind, kind);
  return outcome as EventOfKind<K>;
}

/** The outcome as a skip for `reason`, failing the test if it is an event or another skip. */
export function expectSkip(outcome: NormalizeOutcome, reason: SkipReason): Skip {
  if (!isSkip(outcome)) assert.fail(`expected skip ${reason}, got a ${outcome.kind} event`);
  assert.equal(outcome.skipped, reason, outcome.detail);
  return outcome;
}

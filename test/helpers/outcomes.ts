import assert from 'node:assert/strict';
import type { EventKind, EventOfKind } from '../../src/domain/events.js';
import { isSkip, type NormalizeOutcome, type Skip } from '../../src/normalize/outcome.js';
import type { SkipReason } from '../../src/domain/skips.js';

/**
 * The outcome as an event of `kind`, failing the test (with the skip reason) if it is anything else.
 * Returned as its defined fields, to compare a mapper's output: mappers write absent fields as `undefined`
 * (one shape per kind), and expectations name only what a record holds, as its JSON would.
 */
export function expectEvent<K extends EventKind>(outcome: NormalizeOutcome, kind: K): EventOfKind<K> {
  return definedFieldsOf(expectMappedEvent(outcome, kind));
}

/** The same event as the mapper made it, absent fields and all: what code downstream of the mappers gets. */
export function expectMappedEvent<K extends EventKind>(outcome: NormalizeOutcome, kind: K): EventOfKind<K> {
  if (isSkip(outcome)) assert.fail(`expected a ${kind} event, got skip ${outcome.skipped} (${outcome.detail})`);
  assert.equal(outcome.kind, kind);
  return outcome as EventOfKind<K>;
}

/** A deep copy without `undefined`-valued keys (arrays and other values as they are). */
function definedFieldsOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(definedFieldsOf) as T;
  if (typeof value !== 'object' || value === null) return value;
  const defined: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) defined[key] = definedFieldsOf(field);
  return defined as T;
}

/** The outcome as a skip for `reason`, failing the test if it is an event or another skip. */
export function expectSkip(outcome: NormalizeOutcome, reason: SkipReason): Skip {
  if (!isSkip(outcome)) assert.fail(`expected skip ${reason}, got a ${outcome.kind} event`);
  assert.equal(outcome.skipped, reason, outcome.detail);
  return outcome;
}

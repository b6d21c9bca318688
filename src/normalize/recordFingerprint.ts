import { hash } from 'node:crypto';
import type { JsonObject } from './fields.js';
import { type Skip, skip } from './outcome.js';
import { BOUND_DETAILS, boundExceeded } from './recordBounds.js';

/**
 * A stable id for a record that carries none of its own: the same bytes always give the same id, so a
 * redelivered record is recognised as the same evidence. Each part is followed by a NUL, so moving a
 * boundary between parts changes the id.
 */
export function recordFingerprint(...parts: readonly (string | undefined)[]): string {
  let joined = '';
  for (const part of parts) joined += `${part ?? ''}\u0000`;
  // The one-shot hash: a Hash object per record (every token observation has one) cost more than the digest.
  return `sha256:${hash('sha256', joined, 'hex').slice(0, 32)}`;
}

/**
 * The fingerprint of a whole record that carries no id of its own, or why it cannot have one: past the record
 * bounds, writing it out whole would overflow the stack (or cost without bound), so it is dead-lettered.
 */
export function wholeRecordFingerprint(kind: string, record: JsonObject): string | Skip {
  const exceeded = boundExceeded(record);
  return exceeded === undefined ? recordFingerprint(kind, JSON.stringify(record)) : skip(exceeded, BOUND_DETAILS[exceeded]);
}

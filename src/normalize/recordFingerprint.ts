import { hash } from 'node:crypto';
import type { JsonObject } from './fields.js';
import { boundedJsonText } from './recordBounds.js';

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
 * The fingerprint of a whole record that carries no id of its own: its JSON text, bounded, so a record
 * built to overflow `JSON.stringify` is still fingerprinted (and judged) rather than thrown out. Within the
 * bounds the text is exactly `JSON.stringify`'s, so ids stay what they were.
 */
export function wholeRecordFingerprint(kind: string, record: JsonObject): string {
  return recordFingerprint(kind, boundedJsonText(record));
}

import { isObject } from './fields.js';
import { boundedJsonText } from './recordBounds.js';
import type { SkipReason } from '../domain/skips.js';

/** One record out of a message, or the reason a part of the message could not be read as one. */
export type DecodedUnit =
  { readonly record: unknown } | { readonly malformed: Extract<SkipReason, 'malformed-json' | 'malformed-envelope'>; readonly excerpt: string };

/**
 * Splits one delivered message into records, whatever its framing:
 * - an Event Hub message `{"records":[…]}` (diagnostic settings, Defender streaming);
 * - a bare JSON array (a Management Activity API content blob);
 * - NDJSON whose lines are records, envelopes or arrays (storage blobs, replay files);
 * - whatever the Functions host hands over per event: a string, a Buffer or an already-parsed value.
 * A part that cannot be read becomes one malformed unit; the rest of the message is still read.
 */
export function decodeMessage(message: unknown): DecodedUnit[] {
  if (typeof message === 'string') return decodeText(message);
  if (message instanceof Uint8Array) return decodeText(Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('utf8'));
  if (message instanceof ArrayBuffer) return decodeText(Buffer.from(message).toString('utf8'));
  return expand(message);
}

function decodeText(raw: string): DecodedUnit[] {
  const content = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const trimmed = content.trim();
  if (trimmed === '') return [];
  try {
    return expand(JSON.parse(trimmed));
  } catch {
    // Not one JSON document: read it as NDJSON, one record (or envelope) per line.
  }
  const units: DecodedUnit[] = [];
  let anyLineParsed = false;
  for (const line of trimmed.split(/\r?\n/)) {
    const candidate = line.trim();
    if (candidate === '') continue;
    try {
      const parsed: unknown = JSON.parse(candidate);
      // A loop, not push(...): a line may expand to more records than a call takes arguments.
      for (const unit of expand(parsed)) units.push(unit);
      // Only a record, envelope or array makes this NDJSON: a lone `"servicePrincipal"` or `0` line is what
      // a pretty-printed array element looks like, so it proves nothing about the framing.
      if (typeof parsed === 'object' && parsed !== null) anyLineParsed = true;
    } catch {
      units.push({ malformed: 'malformed-json', excerpt: candidate });
    }
  }
  // Not a line of it parses: one broken document (say, truncated pretty-printed JSON), not many broken records.
  return anyLineParsed ? units : [{ malformed: 'malformed-json', excerpt: trimmed }];
}

function expand(value: unknown): DecodedUnit[] {
  if (Array.isArray(value)) return value.flatMap((element) => (isEnvelope(element) ? expandEnvelope(element) : [{ record: element }]));
  if (isEnvelope(value)) return expandEnvelope(value);
  return [{ record: value }];
}

function isEnvelope(value: unknown): value is { records: unknown } {
  // A record never has a top-level `records` key; an envelope has nothing else that matters.
  return isObject(value) && 'records' in value;
}

function expandEnvelope(envelope: { records: unknown }): DecodedUnit[] {
  if (!Array.isArray(envelope.records)) return [{ malformed: 'malformed-envelope', excerpt: boundedJsonText(envelope) }];
  return envelope.records.map((record: unknown) => ({ record }));
}

import type { Skip } from '../normalize/outcome.js';
import { boundedJsonText, RECORD_BOUNDS } from '../normalize/recordBounds.js';
import { recordFingerprint } from '../normalize/recordFingerprint.js';
import { redactedExcerpt } from '../normalize/redactedExcerpt.js';
import type { DeadLetter } from '../domain/deadLetters.js';

/**
 * The dead letter of a parsed record: its id is a fingerprint of the record's text (the same record
 * redelivered is the same letter), its excerpt the start of that text with tokens redacted. The text comes
 * from `boundedJsonText`, which never throws and never walks past the record bounds.
 */
export function deadLetterOfRecord(record: unknown, outcome: Skip, origin: string, receivedAt: string): DeadLetter {
  return deadLetterOfText(boundedJsonText(record), outcome, origin, receivedAt);
}

/** The dead letter of text that is not JSON (or a record's bounded text). */
export function deadLetterOfText(text: string, outcome: Skip, origin: string, receivedAt: string): DeadLetter {
  const id = recordFingerprint(outcome.skipped, outcome.detail, text.slice(0, RECORD_BOUNDS.maxLength));
  return { id, receivedAt, origin, reason: outcome.skipped, detail: outcome.detail, excerpt: redactedExcerpt(text) };
}

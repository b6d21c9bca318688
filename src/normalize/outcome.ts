import type { NormalizedEvent } from '../domain/events.js';

/**
 * Why a record was not accepted. Reasons marked "dead-lettered" point at something wrong (bad JSON, a shape
 * or category Lure has never seen, a field that cannot be read); the others are records Lure knows and
 * deliberately does not use.
 */
export const SKIP_REASONS = {
  'malformed-json': 'not valid JSON (dead-lettered)',
  'not-an-object': 'a JSON value that is not an object (dead-lettered)',
  'malformed-envelope': 'an envelope whose "records" is not an array (dead-lettered)',
  'unrecognized-shape': 'not a record of any supported source (dead-lettered)',
  'unknown-category': 'a diagnostic category Lure does not know (dead-lettered)',
  'invalid-record': 'a supported record missing or garbling a required field (dead-lettered)',
  'too-deep': 'nested deeper than any real record is (dead-lettered)',
  'too-large': 'larger than any event Event Hubs carries (dead-lettered)',
  'category-not-used': 'a known category Lure does not use',
  'operation-not-used': 'a known audit operation Lure does not use',
  'workload-not-used': 'a Management Activity API workload Lure does not use',
  'table-not-used': 'a Defender streaming table Lure does not use',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

const DEAD_LETTERED: ReadonlySet<SkipReason> = new Set([
  'malformed-json',
  'not-an-object',
  'malformed-envelope',
  'unrecognized-shape',
  'unknown-category',
  'invalid-record',
  'too-deep',
  'too-large',
]);

export function isDeadLettered(reason: SkipReason): boolean {
  return DEAD_LETTERED.has(reason);
}

export interface Skip {
  readonly skipped: SkipReason;
  /** What exactly: the category, operation or field. Short, never record content. */
  readonly detail: string;
}

export type NormalizeOutcome = NormalizedEvent | Skip;

/** A detail names a category or operation, which the record wrote: kept short whatever the record holds. */
export const MAX_DETAIL_LENGTH = 120;

export function skip(reason: SkipReason, detail: string): Skip {
  if (detail.length <= MAX_DETAIL_LENGTH) return { skipped: reason, detail };
  // Never half a surrogate pair: the detail is stored and shown.
  const cut = /[\uD800-\uDBFF]/.test(detail[MAX_DETAIL_LENGTH - 1]!) ? MAX_DETAIL_LENGTH - 1 : MAX_DETAIL_LENGTH;
  return { skipped: reason, detail: `${detail.slice(0, cut)}…` };
}

export function isSkip(outcome: NormalizeOutcome): outcome is Skip {
  return 'skipped' in outcome;
}

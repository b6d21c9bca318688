import type { NormalizedEvent } from '../domain/events.js';
import type { SkipReason } from '../domain/skips.js';

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
  const cut = /[\uD800-\uDBFF]/.test(detail.charAt(MAX_DETAIL_LENGTH - 1)) ? MAX_DETAIL_LENGTH - 1 : MAX_DETAIL_LENGTH;
  return { skipped: reason, detail: `${detail.slice(0, cut)}…` };
}

export function isSkip(outcome: NormalizeOutcome): outcome is Skip {
  return 'skipped' in outcome;
}

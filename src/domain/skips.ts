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

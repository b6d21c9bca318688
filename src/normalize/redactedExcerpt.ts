import { boundedJsonText } from './recordBounds.js';

/** Dead-letter excerpts keep at most this many characters of a record. */
export const MAX_EXCERPT_LENGTH = 2048;
/**
 * Characters of a record's text that redaction reads. Far beyond the excerpt, so a token that starts inside
 * the excerpt is seen whole (a real token is a few kilobytes), yet bounded, so a huge record costs no more.
 */
const REDACTION_WINDOW = 64 * 1024;

// A whole run of base64url segments joined by dots, matched only from the run's start: a pattern that could
// start at every `eyJ` rescans the run from each (64 KiB of `eyJ` took a second). A run holding `eyJ` (an
// encoded `{"`, a JWT's header) is a token from there to its end, signature and all.
const DOTTED_RUN_PATTERN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)+/g;
// Token observations put the token in `jwt`; whatever it holds, even a garbled token or one the window cut, goes.
const JWT_PROPERTY_PATTERN = /("jwt"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)/gi;

/**
 * The start of a raw record, safe to store: anything shaped like a token and every `jwt` property value is
 * replaced, then the text is cut to `MAX_EXCERPT_LENGTH`. Redaction runs on the text well past the cut, so a
 * token is never left half-visible at the edge.
 */
export function redactedExcerpt(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.slice(0, REDACTION_WINDOW) : boundedJsonText(raw, REDACTION_WINDOW);
  const redacted = text.replace(JWT_PROPERTY_PATTERN, '$1"[redacted]"').replace(DOTTED_RUN_PATTERN, redactedToken);
  return redacted.length <= MAX_EXCERPT_LENGTH ? redacted : `${redacted.slice(0, MAX_EXCERPT_LENGTH)}…`;
}

function redactedToken(run: string): string {
  const start = run.indexOf('eyJ');
  return start === -1 ? run : `${run.slice(0, start)}[redacted-token]`;
}

/** Dead-letter excerpts keep at most this many characters of a record. */
export const MAX_EXCERPT_LENGTH = 2048;

// Three base64url segments starting with an encoded `{"`: a JWT (or JWS), with or without its signature.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g;
// Token observations put the token in `jwt`; whatever it holds, even a garbled token, goes.
const JWT_PROPERTY_PATTERN = /("jwt"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/**
 * The start of a raw record, safe to store: anything shaped like a token and every `jwt` property value is
 * replaced, then the text is cut to `MAX_EXCERPT_LENGTH`. Redaction runs on the whole text before the cut,
 * so a token is never left half-visible at the edge.
 */
export function redactedExcerpt(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : safeStringify(raw);
  const redacted = text.replace(JWT_PROPERTY_PATTERN, '$1"[redacted]"').replace(JWT_PATTERN, '[redacted-token]');
  return redacted.length <= MAX_EXCERPT_LENGTH ? redacted : `${redacted.slice(0, MAX_EXCERPT_LENGTH)}…`;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * An answer other than success, in the admin API's one error shape: `{ "error": { "code", "message", "field?" } }`.
 * Messages are written for the caller; they never carry a stack trace, a token or a secret.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Extra response headers (`WWW-Authenticate`, `Allow`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The body of an error response. */
export function errorBody(error: ApiError): { error: { code: string; message: string; field?: string } } {
  return { error: { code: error.code, message: error.message, ...(error.field === undefined ? {} : { field: error.field }) } };
}

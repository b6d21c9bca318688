/**
 * Structured logging. Field values are ids, counts and reasons: never a token, secret or raw record
 * (dead-letter excerpts go to the store, redacted, not to logs).
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

import type { SkipReason } from './skips.js';

/** A record Lure could not use, kept so nothing is lost silently. Never holds a full token. */
export interface DeadLetter {
  /** Stable for the same record and reason, so a redelivered batch does not add a second copy. */
  readonly id: string;
  /** Wall-clock time it was first dead-lettered. */
  readonly receivedAt: string;
  /** Where it came from: the Event Hub (`entra`, `exchange`, `token`) or a file name. */
  readonly origin: string;
  readonly reason: SkipReason;
  readonly detail: string;
  /** The start of the record, bounded and with tokens redacted. */
  readonly excerpt: string;
}

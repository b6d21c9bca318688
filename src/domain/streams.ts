import type { EventSource } from './events.js';

/**
 * A stream Lure expects records from: a source (`entra`, `exchange`, `defender`, `token`) or an Entra
 * category (`SignInLogs`, `MicrosoftGraphActivityLogs`, …). It exists once it has delivered.
 */
export interface StreamState {
  /** `source:entra`, `category:SignInLogs`, … */
  readonly stream: string;
  readonly source: EventSource;
  /** Wall-clock time records last arrived (not their event time: a stalled stream has no new event time). */
  readonly lastArrivalAt: string;
  /** The open `source.silent` alert, while the stream is silent. */
  readonly silentAlertId?: string;
}

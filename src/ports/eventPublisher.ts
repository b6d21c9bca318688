/**
 * Writes events to an Event Hub (the audit poller, `lure send`). Each event is a JSON value; the adapter
 * packs them into batches of the hub's size and sends each batch once. A rejection means some events may
 * have been sent and some not: callers send again, and Lure's pipeline folds what arrives twice.
 */
export interface EventPublisher {
  publish(hub: string, events: readonly unknown[]): Promise<PublishOutcome>;
  close(): Promise<void>;
}

export interface PublishOutcome {
  /** Indexes of the events larger than one event may be, in order: not sent, and sending again cannot help. Every other event was sent. */
  readonly tooLarge: readonly number[];
}

import type { StreamArrival, StreamCount, StreamExpectation, StreamState } from '../../domain/streams.js';

/** When each stream last delivered or began to be expected, and its open silence alert. Fields are merged, never clobbered. */
export interface StreamStore {
  listStreams(): Promise<StreamState[]>;
  /** Sets each stream's last arrival (creating it), leaving its silence alert as it is. */
  recordStreamArrivals(arrivals: readonly StreamArrival[]): Promise<void>;
  /** Sets when each stream began to be expected (creating it), leaving its arrival and silence alert as they are. */
  recordStreamExpectations(expectations: readonly StreamExpectation[]): Promise<void>;
  /** Forgets that these streams were expected; one that never delivered is then gone. */
  forgetStreamExpectations(streams: readonly string[]): Promise<void>;
  /** Sets or clears (`undefined`) a stream's open silence alert, leaving its last arrival as it is. */
  setStreamSilence(stream: string, silentAlertId: string | undefined): Promise<void>;
  /**
   * Records this writer's running totals per origin for ten-minute buckets. Each writer (process) owns its
   * rows, so totals are written without a read; `listStreamCounts` returns every writer's rows.
   */
  upsertStreamCounts(writerId: string, counts: readonly StreamCount[]): Promise<void>;
  /** Every writer's rows of buckets starting at or after `since`. */
  listStreamCounts(since: string): Promise<StreamCount[]>;
  /** Deletes rows of buckets starting before `before`. Returns how many. */
  deleteStreamCountsBefore(before: string): Promise<number>;
}

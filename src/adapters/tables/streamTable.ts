import { odata } from '@azure/data-tables';
import type { EventSource } from '../../domain/events.js';
import type { StreamCount, StreamState } from '../../domain/streams.js';
import type { StreamStore } from '../../ports/store/streamStore.js';
import type { DocumentTable } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

const STREAM_PARTITION = 'stream';

/**
 * Streams as plain columns (merged, so the arrival and the silence mark never clobber each other), and each
 * writer's counts per origin in one partition per ten-minute bucket.
 */
export function tableStreamStore(streams: DocumentTable, counts: DocumentTable): StreamStore {
  return {
    async listStreams() {
      const states: StreamState[] = [];
      for await (const entity of streams.list()) {
        const { stream, source, lastArrivalAt, expectedSince, lastEventAt, silentAlertId } = entity;
        const expected = typeof expectedSince === 'string' && expectedSince !== '';
        if (typeof stream !== 'string' || typeof source !== 'string' || (typeof lastArrivalAt !== 'string' && !expected)) continue;
        states.push({
          stream,
          source: source as EventSource,
          ...(typeof lastArrivalAt === 'string' ? { lastArrivalAt } : {}),
          ...(expected ? { expectedSince } : {}),
          ...(typeof lastEventAt === 'string' ? { lastEventAt } : {}),
          ...(typeof silentAlertId === 'string' && silentAlertId !== '' ? { silentAlertId } : {}),
        });
      }
      return states;
    },

    async recordStreamArrivals(arrivals) {
      // One transaction; Merge leaves the silence alert, which the timer sets, alone.
      const unique = new Map(arrivals.map((arrival) => [arrival.stream, arrival]));
      if (unique.size === 0) return;
      await streams.submit(
        [...unique.values()].map((arrival) => ['upsert', { partitionKey: STREAM_PARTITION, rowKey: encodeKey(arrival.stream), ...arrival }, 'Merge']),
      );
    },

    async recordStreamExpectations(expectations) {
      const unique = new Map(expectations.map((expectation) => [expectation.stream, expectation]));
      if (unique.size === 0) return;
      await streams.submit(
        [...unique.values()].map((expectation) => [
          'upsert',
          { partitionKey: STREAM_PARTITION, rowKey: encodeKey(expectation.stream), ...expectation },
          'Merge',
        ]),
      );
    },

    async forgetStreamExpectations(names) {
      // Blanked rather than deleted: a row that never delivered and is no longer expected is then not listed.
      const unique = [...new Set(names)];
      if (unique.length === 0) return;
      await streams.submit(
        unique.map((stream) => ['upsert', { partitionKey: STREAM_PARTITION, rowKey: encodeKey(stream), stream, expectedSince: '' }, 'Merge']),
      );
    },

    async setStreamSilence(stream, silentAlertId) {
      await streams.upsert({ partitionKey: STREAM_PARTITION, rowKey: encodeKey(stream), stream, silentAlertId: silentAlertId ?? '' }, 'Merge');
    },

    async upsertStreamCounts(writerId, rows) {
      await counts.writeInTransactions(
        rows.map((count) => ({ partitionKey: bucketPartitionOf(count.bucket), rowKey: encodeKey(`${count.origin}\u0000${writerId}`), ...count })),
        'upsert',
      );
    },

    async listStreamCounts(since) {
      const rows: StreamCount[] = [];
      for await (const entity of counts.list(odata`PartitionKey ge ${bucketPartitionOf(since)}`)) {
        const { origin, bucket, records, deadLettered, lastEventAt } = entity;
        if (typeof origin !== 'string' || typeof bucket !== 'string' || typeof records !== 'number' || typeof deadLettered !== 'number') continue;
        rows.push({ origin, bucket, records, deadLettered, ...(typeof lastEventAt === 'string' ? { lastEventAt } : {}) });
      }
      return rows;
    },

    async deleteStreamCountsBefore(before) {
      return counts.deletePartitionsBefore(bucketPartitionOf(before));
    },
  };
}

/** A bucket's start time without separators, so partitions sort by time. */
function bucketPartitionOf(time: string): string {
  return time.replace(/[-:.]/g, '');
}

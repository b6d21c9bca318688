import type { StreamCount, StreamState } from '../../domain/streams.js';
import type { StreamStore } from '../../ports/store/streamStore.js';

export function memoryStreamStore(): StreamStore {
  const streams = new Map<string, StreamState>();
  /** writer, origin and bucket → counts */
  const counts = new Map<string, StreamCount>();
  return {
    async listStreams() {
      return [...streams.values()].map((stream) => ({ ...stream }));
    },

    async recordStreamArrivals(arrivals) {
      for (const arrival of arrivals) streams.set(arrival.stream, { ...streams.get(arrival.stream), ...arrival });
    },

    async recordStreamExpectations(expectations) {
      for (const expectation of expectations) streams.set(expectation.stream, { ...streams.get(expectation.stream), ...expectation });
    },

    async forgetStreamExpectations(names) {
      for (const name of names) {
        const current = streams.get(name);
        if (current === undefined) continue;
        const { expectedSince: _forgotten, ...rest } = current;
        if (rest.lastArrivalAt === undefined) streams.delete(name);
        else streams.set(name, rest);
      }
    },

    async setStreamSilence(stream, silentAlertId) {
      const current = streams.get(stream);
      if (current === undefined) return;
      const { silentAlertId: _previous, ...rest } = current;
      streams.set(stream, silentAlertId === undefined ? rest : { ...rest, silentAlertId });
    },

    async upsertStreamCounts(writerId, rows) {
      for (const count of rows) counts.set(`${writerId}\u0000${count.origin}\u0000${count.bucket}`, { ...count });
    },

    async listStreamCounts(since) {
      return [...counts.values()].filter((count) => count.bucket >= since).map((count) => ({ ...count }));
    },

    async deleteStreamCountsBefore(before) {
      let deleted = 0;
      for (const [key, count] of [...counts]) {
        if (count.bucket < before) {
          counts.delete(key);
          deleted += 1;
        }
      }
      return deleted;
    },
  };
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Bytes of heap still held after `work` runs, each side measured after a full collection. For checking that
 * a bounded cache does not keep what it was handed (the test runner does not expose gc; this asks V8 for it).
 */
export function retainedBytes(work: () => void): number {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  collect();
  const before = process.memoryUsage().heapUsed;
  work();
  collect();
  return process.memoryUsage().heapUsed - before;
}

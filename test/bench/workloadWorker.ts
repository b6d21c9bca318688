/**
 * Generates the bench's workload in a worker thread, a batch per request, so that generating it leaves
 * no garbage in the heap whose collection the bench times. The batch reaches the measuring thread as a
 * copy, as a host receives its events.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { workloadBatches, type WorkloadOptions } from './workload.js';

const stream = workloadBatches(workerData as WorkloadOptions);
parentPort!.on('message', () => parentPort!.postMessage(stream.next()));

/**
 * `npm run soak`: 200,000 records — our own fixtures and, when it is there, the real records of
 * ../shared/corpus, most of them mutated (keys dropped, types changed, strings cut, text truncated) — through
 * the ingest path `lure replay` and the functions run. Passes when no exception escapes, every record is accounted for, no error is
 * logged, and the heap stays flat after warm-up. Not part of `npm test`. Prints its figures.
 */
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { totalAccepted, totalSkipped } from '../../src/app/ingestReport.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { LogFields, Logger } from '../../src/ports/logger.js';
import { fixtureDecoys } from '../helpers/mixedFixture.js';
import { corpusSeedRecords, type Json, mutate, seedRecords } from '../helpers/mutations.js';
import { CORPUS } from '../helpers/paths.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import { buildServices } from '../../src/host/services.js';

const TOTAL_RECORDS = Number(process.env['SOAK_RECORDS'] ?? 200_000);
const RECORDS_PER_MESSAGE = 10;
const MESSAGES_PER_BATCH = 100;
const SEED = 20261128;
/** Heap samples over the run: enough after warm-up to fit a slope. */
const HEAP_SAMPLES = 12;
/** Growth per record past this is a leak (one small object kept per record is ~40 bytes). */
const MAX_GROWTH_BYTES_PER_RECORD = 10;

let escaped = 0;
process.on('uncaughtException', () => (escaped += 1));
process.on('unhandledRejection', () => (escaped += 1));

const errors: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (message: string, fields?: LogFields) => errors.push(`${message} ${JSON.stringify(fields ?? {})}`),
};

// Real records of the shared corpus join our own when it is there (beside CI's checkout); the run says which.
const corpusSeeds = existsSync(CORPUS) ? corpusSeedRecords(CORPUS) : [];
const seeds = [...seedRecords(), ...corpusSeeds];
process.stderr.write(
  `seeds: ${seeds.length} records (${corpusSeeds.length > 0 ? `our fixtures and the shared corpus at ${CORPUS}` : `our fixtures only: no shared corpus at ${CORPUS}`})\n`,
);
/** A record: pristine a fifth of the time, else mutated one to four times; now and then raw text cut anywhere. */
const record = fc
  .tuple(fc.constantFrom(...seeds), fc.infiniteStream(fc.nat()), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 19 }))
  .map(([seed, choices, rounds, textRoll]) => {
    let value = seed as Json;
    for (let round = 0; round < rounds; round += 1) value = mutate(value, choices);
    if (textRoll !== 0) return value;
    const text = JSON.stringify(value);
    return text.slice(0, choices.next().value % (text.length + 1));
  });
const envelope = fc.array(record, { minLength: RECORDS_PER_MESSAGE, maxLength: RECORDS_PER_MESSAGE }).map((records) => ({ records }));
/** As the host hands messages over: parsed, as text, as bytes, or as text cut short. */
const message = fc.oneof(
  { weight: 5, arbitrary: envelope },
  { weight: 2, arbitrary: envelope.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: envelope.map((value) => Buffer.from(JSON.stringify(value))) },
  { weight: 1, arbitrary: fc.tuple(envelope, fc.nat()).map(([value, cut]) => JSON.stringify(value).slice(0, cut % 4000)) },
);

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run soak does)');
  const store = memoryStateStore();
  const services = await buildServices(loadConfig({ LURE_STORE: 'memory' }), { store, logger });
  await services.importDecoys(fixtureDecoys());
  const batches = Math.ceil(TOTAL_RECORDS / (RECORDS_PER_MESSAGE * MESSAGES_PER_BATCH));
  const heap: { records: number; mb: number }[] = [];
  const sampleEvery = Math.max(1, Math.floor(batches / HEAP_SAMPLES));
  let read = 0;
  let accounted = 0;
  let deadLettered = 0;
  const alerts = new Set<string>();
  const started = Date.now();
  let batch = 0;
  // Until the records read reach the total: a message cut short is one (malformed) record, not ten.
  for (; read < TOTAL_RECORDS; batch += 1) {
    const messages = fc.sample(message, { seed: SEED + batch, numRuns: MESSAGES_PER_BATCH });
    const report = await services.ingest(messages, `soak ${batch}`);
    read += report.read;
    accounted += totalAccepted(report) + totalSkipped(report);
    deadLettered += report.deadLettered;
    for (const alert of report.alerts) alerts.add(alert.id);
    if ((batch + 1) % sampleEvery === 0) {
      // What the pruneState timer drops in Azure, so the heap shows the pipeline, not the retained state.
      await store.deleteDeadLettersBefore('9999-12-31T00:00:00.000Z');
      await store.deleteTokenIssuancesBefore('9999-12-31T00:00:00.000Z');
      gc();
      heap.push({ records: read, mb: process.memoryUsage().heapUsed / 1024 / 1024 });
    }
  }
  // A least-squares slope over the samples after warm-up: bytes of heap kept per record read.
  const afterWarmUp = heap.slice(2);
  const judged = afterWarmUp.length >= 5;
  const meanX = afterWarmUp.reduce((sum, point) => sum + point.records, 0) / Math.max(1, afterWarmUp.length);
  const meanY = afterWarmUp.reduce((sum, point) => sum + point.mb, 0) / Math.max(1, afterWarmUp.length);
  const covariance = afterWarmUp.reduce((sum, point) => sum + (point.records - meanX) * (point.mb - meanY), 0);
  const variance = afterWarmUp.reduce((sum, point) => sum + (point.records - meanX) ** 2, 0);
  const bytesPerRecord = variance === 0 ? 0 : (covariance / variance) * 1024 * 1024;
  const growth = afterWarmUp.length < 2 ? 0 : afterWarmUp.at(-1)!.mb - afterWarmUp[0]!.mb;
  const flat = !judged || bytesPerRecord <= MAX_GROWTH_BYTES_PER_RECORD;
  process.stdout.write(
    [
      `records read          ${read} in ${batch} batches (${Math.round(read / ((Date.now() - started) / 1000))} records/s)`,
      `accounted for         ${accounted} (accepted + skipped)`,
      `dead-lettered         ${deadLettered}`,
      `alerts                ${alerts.size}`,
      `errors logged         ${errors.length}${errors.length === 0 ? '' : `: ${errors.slice(0, 3).join(' | ')}`}`,
      `exceptions escaped    ${escaped}`,
      `heap after gc (MB)    ${heap.map((point) => point.mb.toFixed(1)).join(' ')}`,
      `growth after warm-up  ${growth.toFixed(1)} MB, slope ${bytesPerRecord.toFixed(1)} bytes/record (${!judged ? 'too few samples to judge: run more records' : flat ? `flat: ≤ ${MAX_GROWTH_BYTES_PER_RECORD}` : 'GROWING'})`,
      `soak_records=${read} soak_escaped=${escaped} soak_errors=${errors.length} soak_unaccounted=${read - accounted} soak_heap_growth_mb=${growth.toFixed(1)} soak_heap_bytes_per_record=${bytesPerRecord.toFixed(1)}`,
    ].join('\n') + '\n',
  );
  if (escaped > 0 || errors.length > 0 || read !== accounted || !flat) process.exitCode = 1;
}

await main();

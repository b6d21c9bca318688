/**
 * `npm run soak`: 200,000 records — the real records of ../shared/corpus and our own fixtures, most of them
 * mutated (keys dropped, types changed, strings cut, text truncated) — through the ingest path `lure replay`
 * and the functions run. Passes when no exception escapes, every record is accounted for, no error is
 * logged, and the heap stays flat after warm-up. Not part of `npm test`. Prints its figures.
 */
import fc from 'fast-check';
import { MemoryStateStore } from '../../src/adapters/memoryStateStore.js';
import { totalAccepted, totalSkipped } from '../../src/app/ingestReport.js';
import { buildServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { LogFields, Logger } from '../../src/ports/logger.js';
import { fixtureDecoys } from '../helpers/mixedFixture.js';
import { type Json, mutate, seedRecords } from '../helpers/mutations.js';

const TOTAL_RECORDS = Number(process.env['SOAK_RECORDS'] ?? 200_000);
const RECORDS_PER_MESSAGE = 10;
const MESSAGES_PER_BATCH = 100;
const SEED = 20261128;
const HEAP_EVERY_BATCHES = 20;

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

const seeds = seedRecords();
/** A record: pristine a fifth of the time, else mutated one to four times; now and then raw text cut anywhere. */
const record = fc.tuple(fc.constantFrom(...seeds), fc.infiniteStream(fc.nat()), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 19 })).map(([seed, choices, rounds, textRoll]) => {
  let value = seed as Json;
  for (let round = 0; round < rounds; round += 1) value = mutate(value, choices);
  if (textRoll !== 0) return value as unknown;
  const text = JSON.stringify(value) ?? 'null';
  return text.slice(0, choices.next().value % (text.length + 1));
});
const message = fc.array(record, { minLength: RECORDS_PER_MESSAGE, maxLength: RECORDS_PER_MESSAGE }).map((records) => ({ records }));

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run soak does)');
  const store = new MemoryStateStore();
  const services = await buildServices(loadConfig({ LURE_STORE: 'memory' }), { store, logger });
  await services.importDecoys(fixtureDecoys());
  const batches = Math.ceil(TOTAL_RECORDS / (RECORDS_PER_MESSAGE * MESSAGES_PER_BATCH));
  const heap: number[] = [];
  let read = 0;
  let accounted = 0;
  let deadLettered = 0;
  const alerts = new Set<string>();
  const started = Date.now();
  for (let batch = 0; batch < batches; batch += 1) {
    const messages = fc.sample(message, { seed: SEED + batch, numRuns: MESSAGES_PER_BATCH });
    const report = await services.ingest(messages, `soak ${batch}`);
    read += report.read;
    accounted += totalAccepted(report) + totalSkipped(report);
    deadLettered += report.deadLettered;
    for (const alert of report.alerts) alerts.add(alert.id);
    if ((batch + 1) % HEAP_EVERY_BATCHES === 0) {
      // What the pruneState timer drops in Azure, so the heap shows the pipeline, not the retained state.
      await store.deleteDeadLettersBefore('9999-12-31T00:00:00.000Z');
      await store.deleteTokenIssuancesBefore('9999-12-31T00:00:00.000Z');
      gc();
      heap.push(process.memoryUsage().heapUsed / 1024 / 1024);
    }
  }
  const afterWarmUp = heap.slice(Math.min(2, heap.length - 1));
  const growth = afterWarmUp.length < 2 ? 0 : afterWarmUp.at(-1)! - afterWarmUp[0]!;
  const flat = growth < Math.max(8, afterWarmUp[0]! * 0.1);
  process.stdout.write(
    [
      `records read          ${read} in ${batches} batches (${Math.round(read / ((Date.now() - started) / 1000))} records/s)`,
      `accounted for         ${accounted} (accepted + skipped)`,
      `dead-lettered         ${deadLettered}`,
      `alerts                ${alerts.size}`,
      `errors logged         ${errors.length}${errors.length === 0 ? '' : `: ${errors.slice(0, 3).join(' | ')}`}`,
      `exceptions escaped    ${escaped}`,
      `heap after gc (MB)    ${heap.map((value) => value.toFixed(1)).join(' ')}`,
      `growth after warm-up  ${growth.toFixed(1)} MB (${flat ? 'flat' : 'GROWING'})`,
      `soak_records=${read} soak_escaped=${escaped} soak_errors=${errors.length} soak_unaccounted=${read - accounted} soak_heap_growth_mb=${growth.toFixed(1)}`,
    ].join('\n') + '\n',
  );
  if (escaped > 0 || errors.length > 0 || read !== accounted || !flat) process.exitCode = 1;
}

await main();

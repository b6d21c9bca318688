import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { totalAccepted, totalSkipped } from '../../src/app/ingestReport.js';
import { fixtureDecoys, mixedRecords } from './mixedFixture.js';
import { recordingLogger, testServices } from './services.js';
import { DETECTION_FIXTURES, loadDetectionFixture } from './detectionFixtures.js';

/** Real-shaped records of our own: every record of the mixed fixture and of every detection fixture's cases. */
export function seedRecords(): unknown[] {
  const detectionCases = readdirSync(DETECTION_FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => loadDetectionFixture(name.replace(/\.json$/, '')).cases.map((fixtureCase) => fixtureCase.record));
  return [...mixedRecords(), ...detectionCases];
}

/** Every record of the shared corpus (real records captured by others) in `folder`. */
export function corpusSeedRecords(folder: string): unknown[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .flatMap((name) =>
      readFileSync(path.join(folder, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    )
    .map((line): unknown => JSON.parse(line));
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Applies one random mutation somewhere in a JSON value: drop a key, change a value's type, truncate a string. */
export function mutate(value: Json, choices: fc.Stream<number>, depth = 0): Json {
  const pick = (n: number) => choices.next().value % n;
  if (Array.isArray(value)) {
    if (value.length === 0 || pick(4) === 0) return pick(2) === 0 ? [] : 'not an array';
    const index = pick(value.length);
    return value.map((item, position) => (position === index ? mutate(item, choices, depth + 1) : item));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return pick(2) === 0 ? null : 'not an object';
    const key = keys[pick(keys.length)]!;
    const copy = { ...value };
    switch (pick(depth < 3 ? 6 : 4)) {
      case 0:
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- dropping a key of a JSON object is the mutation
        delete copy[key];
        return copy;
      case 1:
        copy[key] = [null, '', '<null>', 0, -1, 1e308, 'False', true, '9999-99-99T99:99:99', '{"a":', '[1,2'][pick(11)]!;
        return copy;
      case 2:
        copy[key] = { nested: copy[key] ?? null };
        return copy;
      case 3:
        copy[key.toUpperCase()] = copy[key]!;
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- moving a key of a JSON object is the mutation (an upper-case key is dropped)
        delete copy[key];
        return copy;
      default:
        copy[key] = mutate(copy[key]!, choices, depth + 1);
        return copy;
    }
  }
  if (typeof value === 'string') return pick(2) === 0 ? value.slice(0, pick(value.length + 1)) : `${value}\u0000\ud800`;
  if (typeof value === 'number') return pick(2) === 0 ? String(value) : Number.NaN;
  return pick(2) === 0 ? String(value) : null;
}

/**
 * The pipeline catches a normalizer's or detection's exception as a last resort (one record lost, an error
 * logged); the fuzz holds them to a higher standard: no error is logged at all.
 */
export function assertNoErrorLogged(logger: ReturnType<typeof recordingLogger>): void {
  const errors = logger.lines.filter((line) => line.includes('"level":"error"'));
  assert.deepEqual(errors, []);
}

/** Ingests `seeds` mutated one to four times, parsed or as text cut anywhere: every record accounted for, no error logged. */
export async function assertMutatedRecordsAccounted(seeds: readonly unknown[], numRuns: number): Promise<void> {
  const logger = recordingLogger();
  const services = await testServices({ decoys: fixtureDecoys(), logger });
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...seeds),
      fc.infiniteStream(fc.nat()),
      fc.integer({ min: 1, max: 4 }),
      fc.boolean(),
      async (seed, choices, rounds, asText) => {
        let record = seed as Json;
        for (let round = 0; round < rounds; round += 1) record = mutate(record, choices);
        const text = JSON.stringify(record);
        const message = asText ? text.slice(0, choices.next().value % (text.length + 1)) : { records: [record] };
        const report = await services.ingest([message], 'fuzz');
        assert.equal(totalAccepted(report) + totalSkipped(report), report.read);
        assertNoErrorLogged(logger);
      },
    ),
    { numRuns },
  );
}

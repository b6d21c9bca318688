import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type fc from 'fast-check';
import { mixedRecords } from './mixedFixture.js';
import { CORPUS } from './paths.js';

/** Real-shaped records: every corpus record and every record of our own mixed fixture. */
export function seedRecords(): unknown[] {
  const corpus = readdirSync(CORPUS)
    .filter((name) => name.endsWith('.ndjson'))
    .flatMap((name) => readFileSync(path.join(CORPUS, name), 'utf8').split('\n').filter((line) => line.trim() !== ''))
    .map((line): unknown => JSON.parse(line));
  return [...corpus, ...mixedRecords()];
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


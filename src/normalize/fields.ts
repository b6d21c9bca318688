/**
 * Tolerant readers for raw audit JSON. Real records mix `""`, `null`, `"<null>"` and missing keys for
 * "absent", send numbers as strings and booleans as `"False"`, and vary key casing between producers
 * (`Level`/`level`, `C_Sid`/`c_Sid`). Every reader returns `undefined` for absent, never a placeholder.
 *
 * Mappers name the field where they read it (`text(record['Operation'])`, each spelling in turn): a reader
 * taking the name as a parameter made every read of every record one megamorphic keyed lookup, a fifth
 * of normalizing a sign-in.
 *
 * Mappers write every field of their event, absent ones as `undefined`, rather than dropping them: each
 * kind of event then has one shape, so the detections' reads of its fields stay monomorphic, and no
 * record pays for a copy without the absent keys (together about a tenth of an Entra record's handling).
 * JSON output is the same either way.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NULLISH_STRINGS = new Set(['', '<null>', 'null', 'Not Available']);
const LONGEST_NULLISH = Math.max(...[...NULLISH_STRINGS].map((nullish) => nullish.length));

/** A trimmed non-empty string (numbers are accepted and stringified: ids sometimes arrive as numbers). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    // Longer than any null-ish spelling: most values, spared the set lookup.
    return trimmed.length > LONGEST_NULLISH || !NULLISH_STRINGS.has(trimmed) ? trimmed : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A finite number from a number or a numeric string. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A boolean from `true`/`false` or their string forms in any case. */
export function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true') return true;
    if (lowered === 'false') return false;
  }
  return undefined;
}

export function objectOf(value: unknown): JsonObject | undefined {
  if (isObject(value)) return value;
  // Some producers serialise nested objects as JSON strings.
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return isObject(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function arrayOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  return [];
}

/** Elements of an array that are objects; anything else in the array is ignored. */
export function objectsOf(value: unknown): JsonObject[] {
  return arrayOf(value).filter(isObject);
}

/** `[{Name, Value}]` or `[{key, value}]` lists, read into a Map keyed by lower-cased name. */
export function nameValuePairs(value: unknown): Map<string, string | undefined> {
  const pairs = new Map<string, string | undefined>();
  for (const entry of objectsOf(value)) {
    const name = text(entry['Name']) ?? text(entry['name']) ?? text(entry['key']) ?? text(entry['Key']);
    if (name !== undefined) pairs.set(name.toLowerCase(), text(entry['Value']) ?? text(entry['value']));
  }
  return pairs;
}

// ISO-8601 date-time with optional fraction (any number of digits) and optional zone.
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO-8601 timestamp as a canonical UTC string with millisecond precision. Accepts 7-digit fractions
 * (`…08.5339262Z`), offsets (`+00:00`) and no zone at all, which the Management Activity API means as UTC
 * (`2023-09-15T18:16:53`). Anything else is `undefined`.
 */
export function timestampOf(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const utc = utcTimestampOf(raw);
  if (utc !== NOT_UTC) return utc;
  const match = ISO_DATE_TIME.exec(raw);
  if (match === null) return undefined;
  const [, date, clock, fraction, zone] = match;
  if (date === undefined || clock === undefined || !isRealDateTime(date, clock)) return undefined;
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const seconds = clock.length === 5 ? `${clock}:00` : clock;
  const normalizedZone = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const epochMs = Date.parse(`${date}T${seconds}.${millis}${normalizedZone}`);
  return Number.isNaN(epochMs) ? undefined : new Date(epochMs).toISOString();
}

const NOT_UTC = null;

/**
 * The UTC shapes nearly every record writes (`…Z` with any fraction, or no zone at all), read character by
 * character: every record carries a timestamp or two, and a regular expression plus two Date conversions
 * were a tenth of normalizing a record. Gives the canonical string (the input itself when it already is
 * one), `undefined` when the shape is right but the date is not real, and NOT_UTC for everything else
 * (offsets, garbage), which the general reader above decides.
 */
function utcTimestampOf(raw: string): string | undefined | typeof NOT_UTC {
  const length = raw.length;
  if (length < 16 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45 || raw.charCodeAt(13) !== 58) return NOT_UTC;
  const separator = raw.charCodeAt(10);
  if (separator !== 84 /* T */ && separator !== 116 /* t */ && separator !== 32) return NOT_UTC;
  const year = digits(raw, 0, 4);
  const month = digits(raw, 5, 2);
  const day = digits(raw, 8, 2);
  const hour = digits(raw, 11, 2);
  const minute = digits(raw, 14, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return NOT_UTC;
  let index = 16;
  let second = 0;
  if (index < length && raw.charCodeAt(index) === 58 /* : */) {
    second = digits(raw, 17, 2);
    if (second < 0) return NOT_UTC;
    index = 19;
  }
  let fractionDigits = 0;
  if (index < length && raw.charCodeAt(index) === 46 /* . */) {
    index += 1;
    while (index < length && isDigit(raw.charCodeAt(index))) {
      index += 1;
      fractionDigits += 1;
    }
    if (fractionDigits === 0) return NOT_UTC;
  }
  // No zone, or Z: anything else after the clock (an offset, trailing text) is the general reader's.
  if (index !== length && !(index === length - 1 && (raw.charCodeAt(index) === 90 || raw.charCodeAt(index) === 122))) return NOT_UTC;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  // Already canonical (`YYYY-MM-DDTHH:MM:SS.mmmZ`): the common case allocates nothing.
  if (length === 24 && separator === 84 && index === 23 && fractionDigits === 3 && raw.charCodeAt(23) === 90) return raw;
  const fractionStart = index - fractionDigits;
  const millis = fractionDigits >= 3 ? raw.slice(fractionStart, fractionStart + 3) : raw.slice(fractionStart, fractionStart + fractionDigits).padEnd(3, '0');
  const seconds = second < 10 ? `0${second}` : String(second);
  return `${raw.slice(0, 10)}T${raw.slice(11, 16)}:${seconds}.${millis}Z`;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The number written by `count` decimal digits at `start`, or -1 if any of them is not a digit. */
function digits(raw: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const code = raw.charCodeAt(index);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Rejects what `Date.parse` would roll over: February 30th, hour 25, minute 61. */
function isRealDateTime(date: string, clock: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second = 0] = clock.split(':').map(Number) as [number, number, number?];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

/** Epoch seconds (number or numeric string, as Graph's `C_Iat`) as an ISO timestamp. */
export function epochSecondsOf(value: unknown): string | undefined {
  const seconds = numberOf(value);
  if (seconds === undefined || seconds <= 0 || seconds > 32503680000) return undefined;
  return new Date(seconds * 1000).toISOString();
}

/** An IP address as written, minus the port (`1.2.3.4:63070`) and stray spaces admin cmdlets add. */
export function ipAddressOf(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(raw);
  if (ipv4WithPort) return ipv4WithPort[1];
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(raw);
  if (bracketed) return bracketed[1];
  return raw;
}

/**
 * The group of fields, or `undefined` when none of them holds a value: an optional group (a record's
 * token identifiers) is absent, not empty.
 */
export function absentIfEmpty<T extends object>(group: T): T | undefined {
  for (const key in group) if (group[key] !== undefined) return group;
  return undefined;
}

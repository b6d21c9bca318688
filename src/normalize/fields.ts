/**
 * Tolerant readers for raw audit JSON. Real records mix `""`, `null`, `"<null>"` and missing keys for
 * "absent", send numbers as strings and booleans as `"False"`, and vary key casing between producers
 * (`Level`/`level`, `C_Sid`/`c_Sid`). Every reader returns `undefined` for absent, never a placeholder.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NULLISH_STRINGS = new Set(['', '<null>', 'null', 'Not Available']);

/** A trimmed non-empty string (numbers are accepted and stringified: ids sometimes arrive as numbers). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return NULLISH_STRINGS.has(trimmed) ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The first of `names` that holds text. Pass every spelling a producer is known to use. */
export function textOf(object: JsonObject, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = text(object[name]);
    if (value !== undefined) return value;
  }
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
    const name = textOf(entry, 'Name', 'name', 'key', 'Key');
    if (name !== undefined) pairs.set(name.toLowerCase(), textOf(entry, 'Value', 'value'));
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
  // Most records already write the canonical form: one parse proves it (a rolled-over date would print differently).
  if (raw.length === 24 && raw.charCodeAt(23) === 90 /* Z */) {
    const epochMs = Date.parse(raw);
    if (!Number.isNaN(epochMs) && new Date(epochMs).toISOString() === raw) return raw;
  }
  const match = ISO_DATE_TIME.exec(raw);
  if (match === null) return undefined;
  const [, date, clock, fraction, zone] = match;
  if (!isRealDateTime(date!, clock!)) return undefined;
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const seconds = clock!.length === 5 ? `${clock}:00` : clock;
  const normalizedZone = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const epochMs = Date.parse(`${date}T${seconds}.${millis}${normalizedZone}`);
  return Number.isNaN(epochMs) ? undefined : new Date(epochMs).toISOString();
}

/** Rejects what `Date.parse` would roll over: February 30th, hour 25, minute 61. */
function isRealDateTime(date: string, clock: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second = 0] = clock.split(':').map(Number) as [number, number, number?];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
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

/** Drop keys whose value is undefined, so objects carry only what applies. */
export function compact<T extends object>(value: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined) result[key] = entry;
  }
  return result as T;
}

/** `compact`, or `undefined` when nothing is left: an optional group of fields is absent, not empty. */
export function compactOrAbsent<T extends object>(value: T): T | undefined {
  const compacted = compact(value);
  return Object.keys(compacted).length === 0 ? undefined : compacted;
}

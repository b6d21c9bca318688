/**
 * How deep and how large a record may be. Real records nest at most seven levels (the corpus, the fixtures),
 * and Event Hubs carries at most 1 MB per event, so no record a hub delivers comes near either bound. A
 * record past them was built to break whatever walks it (`JSON.stringify` runs out of stack a few thousand
 * levels down). Code that walks a whole record reads no further than them (`boundedJsonText`: id-less
 * fingerprints, dead-letter excerpts); a record on its way to a dead letter, or to the audit poller's
 * publish, that exceeds them is dead-lettered as `too-deep` / `too-large`. Fields read by name need no bound.
 */
export const RECORD_BOUNDS = {
  /** Levels of nesting, the record itself being the first. */
  maxDepth: 64,
  /** Characters of the record's JSON text, counted from below (no escapes, every number one digit). */
  maxLength: 1024 * 1024,
} as const;

export type BoundExceeded = 'too-deep' | 'too-large';

/** What a dead letter says of a record past a bound. */
export const BOUND_DETAILS: Readonly<Record<BoundExceeded, string>> = {
  'too-deep': `nested deeper than ${RECORD_BOUNDS.maxDepth} levels`,
  'too-large': `more than ${RECORD_BOUNDS.maxLength} characters of JSON`,
};

/**
 * Which bound a parsed record exceeds, if any. Iterative, and it stops at the first bound crossed. The length
 * is a lower bound of the record's JSON text and of its UTF-8 bytes, so a record that fitted in one event is
 * never called too large.
 */
export function boundExceeded(record: unknown): BoundExceeded | undefined {
  if (typeof record === 'string') return record.length + 2 > RECORD_BOUNDS.maxLength ? 'too-large' : undefined;
  if (typeof record !== 'object' || record === null) return undefined;
  const { maxDepth, maxLength } = RECORD_BOUNDS;
  // Containers still to visit and the depth of each, in two arrays rather than an object per container.
  const pending: object[] = [record];
  const depths: number[] = [1];
  let length = 0;
  while (pending.length > 0) {
    // Both arrays are pushed together (ownLength) and popped together, and pending is not empty here.
    /* eslint-disable @typescript-eslint/no-non-null-assertion -- see the line above */
    const container = pending.pop()!;
    const depth = depths.pop()!;
    /* eslint-enable @typescript-eslint/no-non-null-assertion */
    if (depth > maxDepth) return 'too-deep';
    // Brackets, less the separator the first entry does not need (each entry counts one).
    length += 1;
    if (Array.isArray(container)) {
      for (let index = 0; index < container.length; index += 1) {
        length += 1 + ownLength(container[index], pending, depths, depth);
        if (length > maxLength) return 'too-large';
      }
    } else {
      for (const key in container) {
        length += key.length + 4 + ownLength((container as Record<string, unknown>)[key], pending, depths, depth);
        if (length > maxLength) return 'too-large';
      }
    }
  }
  return undefined;
}

/** A value's length without its contents: a container is queued, and counted when its turn comes. */
function ownLength(value: unknown, pending: object[], depths: number[], depth: number): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'object' && value !== null) {
    pending.push(value);
    depths.push(depth + 1);
    return 0;
  }
  return 1;
}

/** Stands in for a container past `maxDepth` in bounded text. */
const TOO_DEEP_MARK = '"[deeper]"';

/**
 * JSON text of any value, at most `maxLength` characters (then `…`), containers past `maxDepth` replaced by
 * a mark: what a dead letter's fingerprint and excerpt are made of. A value within the bounds gives exactly
 * `JSON.stringify`'s text, so ids of dead letters are what they were. Never throws.
 */
export function boundedJsonText(value: unknown, maxLength: number = RECORD_BOUNDS.maxLength): string {
  try {
    if (boundExceeded(value) === undefined) {
      // JSON.stringify gives undefined for undefined, a function or a symbol, whatever its declared type says.
      const text = (JSON.stringify(value) as string | undefined) ?? String(value);
      return text.length <= maxLength ? text : `${text.slice(0, maxLength)}…`;
    }
    const writer = { parts: [] as string[], length: 0, maxLength };
    write(writer, value, 1);
    const text = writer.parts.join('');
    return text.length <= maxLength ? text : `${text.slice(0, maxLength)}…`;
  } catch {
    // Only a value no JSON parser makes (a getter that throws, a BigInt) gets here.
    return '"[unrenderable]"';
  }
}

interface Writer {
  readonly parts: string[];
  length: number;
  readonly maxLength: number;
}

/** Recursion is safe here: it never goes past `maxDepth` levels. Stops adding once the text is long enough. */
function write(writer: Writer, value: unknown, depth: number): void {
  if (writer.length > writer.maxLength) return;
  if (typeof value === 'string') {
    // Only as much of a long string as can still be shown is escaped.
    append(writer, JSON.stringify(value.length > writer.maxLength ? value.slice(0, writer.maxLength) : value));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    const text = (JSON.stringify(value) as string | undefined) ?? 'null';
    append(writer, text);
    return;
  }
  if (depth > RECORD_BOUNDS.maxDepth) {
    append(writer, TOO_DEEP_MARK);
    return;
  }
  const isArray = Array.isArray(value);
  append(writer, isArray ? '[' : '{');
  let first = true;
  if (isArray) {
    for (const item of value) {
      if (writer.length > writer.maxLength) return;
      if (!first) append(writer, ',');
      first = false;
      write(writer, item, depth + 1);
    }
  } else {
    for (const key in value) {
      if (writer.length > writer.maxLength) return;
      append(writer, `${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      write(writer, (value as Record<string, unknown>)[key], depth + 1);
    }
  }
  append(writer, isArray ? ']' : '}');
}

function append(writer: Writer, text: string): void {
  const room = writer.maxLength + 1 - writer.length;
  const kept = text.length <= room ? text : text.slice(0, room);
  writer.parts.push(kept);
  writer.length += kept.length;
}

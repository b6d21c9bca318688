import { readFile } from 'node:fs/promises';

/** Records handed to the pipeline at a time when a file is read: like a host batch, bounded in memory. */
export const FILE_BATCH_SIZE = 500;

/**
 * Splits the content of an event file into message batches for `ingest`, detecting its framing:
 * one JSON document (an Event Hub message `{"records":[…]}`, a bare array, or a single record) is parsed
 * once and its records sliced into batches; anything else is NDJSON, one message per line, so one bad
 * line is one malformed record. A pretty-printed document that does not parse is one malformed record.
 */
export function* messageBatchesOf(content: string, batchSize = FILE_BATCH_SIZE): Generator<unknown[]> {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const trimmed = text.trim();
  if (trimmed === '') return;
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch {
    const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
    const [firstLine] = lines;
    if (lines.length > 1 && firstLine !== undefined && opensDocument(firstLine)) {
      yield [trimmed];
      return;
    }
    for (let offset = 0; offset < lines.length; offset += batchSize) yield lines.slice(offset, offset + batchSize);
    return;
  }
  const records = recordsOf(document);
  if (records === undefined) {
    yield [document];
    return;
  }
  for (let offset = 0; offset < records.length; offset += batchSize) yield [records.slice(offset, offset + batchSize)];
}

/**
 * Whether a file's content stops in the middle of a record. NDJSON is cut short when its last line neither
 * ends in a newline nor parses; a pretty-printed document (a first line of `[` or `{`, framed as one
 * document, see messageBatchesOf) until it parses whole. A writer still at work (or one that crashed)
 * leaves a file like that; ingesting it would dead-letter a good record's first half and lose the rest.
 */
export function isCutShort(content: string): boolean {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const [firstLine = ''] = text.trimStart().split('\n', 1);
  if (opensDocument(firstLine)) return !parses(text);
  if (text.trim() === '' || text.endsWith('\n')) return false;
  const lastLine = text.slice(text.lastIndexOf('\n') + 1).trim();
  return !parses(lastLine) && !parses(text);
}

/** A first line of a lone `[` or `{`: a pretty-printed document, framed (and complete) as one whole. */
function opensDocument(firstLine: string): boolean {
  return /^[[{]$/.test(firstLine.trim());
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `Array.isArray`, but the elements stay `unknown` (parsed JSON), not `any`. */
function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** The records of an array or of a well-formed envelope; `undefined` for anything else (decoded as is). */
function recordsOf(document: unknown): unknown[] | undefined {
  if (isArray(document)) return document;
  if (typeof document === 'object' && document !== null && 'records' in document && isArray(document.records)) return document.records;
  return undefined;
}

/** A file that cannot be read: missing, a directory, unreadable. */
export class EventFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'EventFileError';
  }
}

/** Reads an event file as UTF-8, or throws `EventFileError` naming it. */
export async function readEventFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw new EventFileError(file, reason);
  }
}

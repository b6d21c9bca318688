import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { gen, none } from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';

/** Records handed to the pipeline at a time when a file is read: like a host batch, bounded in memory. */
export const FILE_BATCH_SIZE = 500;
/** A file no longer than this is read whole and framed as one text (`messageBatchesOf`); a longer one is streamed. */
const WHOLE_TEXT_CHARS = 1 << 20;
/** Text handed to the streaming parser at a time: what a parse error can cost (records within one slice). */
const PARSE_SLICE_CHARS = 16_384;
/** A document that cannot be streamed (one huge record, or one that does not parse) is read whole up to this size. */
const LARGEST_WHOLE_DOCUMENT_CHARS = 64 << 20;

/** An event file's text, chunk by chunk: opened again when its framing must be read a second way. */
export type TextSource = () => AsyncIterable<string>;

/**
 * A file as UTF-8 text, read in the stream's own 64 KB chunks (a megabyte chunk is a large object V8 keeps
 * until a full collection: over a 1 GB replay that alone raised the peak by a third); `onBytes` hears how many
 * bytes each chunk was (for progress).
 */
export function fileText(file: string, onBytes?: (bytes: number) => void): TextSource {
  return async function* () {
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
        onBytes?.(chunk.length);
        yield decoder.write(chunk);
      }
    } catch (error) {
      throw eventFileErrorOf(file, error);
    }
    const last = decoder.end();
    if (last !== '') yield last;
  };
}

/**
 * Splits an event file into message batches for `ingest` in bounded memory, whatever its size. A file of up
 * to a megabyte is framed whole (`messageBatchesOf`). A longer one is streamed: NDJSON line by line; a JSON
 * array or an Event Hub envelope (`{"records":[…]}`, pretty-printed or not) element by element through a
 * streaming parser. A document that turns out not to stream (one huge record, or one broken before its first
 * record) is read whole if it can be; broken after records were read, the rest is one malformed record that
 * says where.
 */
export async function* streamMessageBatches(source: TextSource, batchSize = FILE_BATCH_SIZE): AsyncGenerator<unknown[]> {
  const chunks = source()[Symbol.asyncIterator]();
  let head = '';
  let ended = false;
  while (!ended && head.length <= WHOLE_TEXT_CHARS) {
    const next = await chunks.next();
    if (next.done === true) ended = true;
    else head += next.value;
  }
  if (ended) {
    yield* messageBatchesOf(head, batchSize);
    return;
  }
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const rest = async function* () {
    yield head;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
  };
  if (!framedAsDocument(firstLineOf(head))) {
    yield* lineBatches(rest(), batchSize);
    return;
  }
  const streamed = documentBatches(rest(), head.trimStart().startsWith('{'), batchSize);
  let any = false;
  try {
    for await (const batch of streamed) {
      any = true;
      yield batch;
    }
  } catch (error) {
    if (!(error instanceof DocumentParseError)) throw error;
    // The streaming parser gave up (broken JSON, or nesting deeper than it goes): read as a whole text if it
    // can be, past the records already handed out.
    yield* wholeTextBatches(source, batchSize, any ? error : undefined);
    return;
  }
  // Nothing streamed: one record, or a document broken from the start (read as the whole-text framing reads it).
  if (!any) yield* wholeTextBatches(source, batchSize);
}

/**
 * Whether a long file's first line says it is one document: too long to end within the head, a lone
 * opener (pretty-printed), or a `[` or `{` that does not parse alone. Anything else is NDJSON.
 */
function framedAsDocument(firstLine: string | undefined): boolean {
  return firstLine === undefined || opensDocument(firstLine) || (/^[[{]/.test(firstLine) && !parses(firstLine));
}

/** The first non-blank line, if a newline ends it within `text`. */
function firstLineOf(text: string): string | undefined {
  const start = text.search(/\S/);
  if (start < 0) return undefined;
  const end = text.indexOf('\n', start);
  return end < 0 ? undefined : text.slice(start, end).trim();
}

async function* lineBatches(text: AsyncIterable<string>, batchSize: number): AsyncGenerator<string[]> {
  let batch: string[] = [];
  for await (const line of createInterface({ input: Readable.from(text), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    batch.push(line);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The elements of a top-level array, or of an envelope's `records`, a batch (one message) at a time. */
async function* documentBatches(text: AsyncIterable<string>, envelope: boolean, batchSize: number): AsyncGenerator<unknown[][]> {
  // Pulled slice by slice through stream-chain's generator (no Node stream buffers): a parse error loses
  // only the records that ended within the slice it happened in.
  const elements = gen(parser(), ...(envelope ? [pick({ filter: 'records' })] : []), streamArray()) as (chunk: unknown) => AsyncGenerator<{ value: unknown }>;
  let batch: unknown[] = [];
  let read = 0;
  const pass = async function* (slice: unknown) {
    for await (const element of elements(slice)) {
      batch.push(element.value);
      read += 1;
      if (batch.length >= batchSize) {
        yield [batch];
        batch = [];
      }
    }
  };
  try {
    for await (const chunk of text)
      for (let offset = 0; offset < chunk.length; offset += PARSE_SLICE_CHARS) yield* pass(chunk.slice(offset, offset + PARSE_SLICE_CHARS));
    yield* pass(none);
  } catch (error) {
    // The records read before a parse error still go in (yielded here, not in a finally: a reader that stops
    // early must close the file, not wait on a yield).
    if (batch.length > 0) yield [batch];
    throw new DocumentParseError(read, error);
  }
  if (batch.length > 0) yield [batch];
}

/** Where a streamed document stopped parsing: after how many of its records. */
class DocumentParseError extends Error {
  constructor(
    readonly recordsRead: number,
    cause: unknown,
  ) {
    super(`after record ${recordsRead}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DocumentParseError';
  }
}

/**
 * The whole-text framing of a document too odd to stream, up to `LARGEST_WHOLE_DOCUMENT_CHARS`. After a
 * streaming failure (`after`), only the records past those already handed out, if the whole parses as an
 * array or envelope; otherwise one malformed record that says where the stream stopped.
 */
async function* wholeTextBatches(source: TextSource, batchSize: number, after?: DocumentParseError): AsyncGenerator<unknown[]> {
  let content = '';
  for await (const chunk of source()) {
    content += chunk;
    if (content.length > LARGEST_WHOLE_DOCUMENT_CHARS) {
      if (after !== undefined) yield [`(the rest of this document does not parse, ${after.message})`];
      // Too large to be one record, and it did not stream as a document: read it line by line, so a bad
      // first line costs that line, not the file.
      else yield* lineBatches(source(), batchSize);
      return;
    }
  }
  if (after === undefined) {
    yield* messageBatchesOf(content, batchSize);
    return;
  }
  const records = parses(content.trim()) ? recordsOf(JSON.parse(content.trim())) : undefined;
  if (records === undefined) {
    // One malformed record that says where: the records of the slice it broke in are not read.
    yield [`(the rest of this document does not parse, ${after.message})`];
    return;
  }
  for (let offset = after.recordsRead; offset < records.length; offset += batchSize) yield [records.slice(offset, offset + batchSize)];
}

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

/** Reads a (small) file as UTF-8, or throws `EventFileError` naming it. */
export async function readEventFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw eventFileErrorOf(file, error);
  }
}

function eventFileErrorOf(file: string, error: unknown): EventFileError {
  if (error instanceof EventFileError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
  return new EventFileError(file, reason);
}

/**
 * `isCutShort` for a file of any size, from its first line and its last 64 KB: NDJSON is cut short when its
 * last line neither ends in a newline nor parses; a document (a first line that opens one or does not parse
 * alone) when it does not end in `]` or `}`.
 */
export async function isFileCutShort(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw eventFileErrorOf(file, error);
  }
  try {
    const { size } = await handle.stat();
    if (size <= WHOLE_TEXT_CHARS) return isCutShort((await handle.readFile()).toString('utf8'));
    const read = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead).toString('utf8');
    };
    const head = await read(0, WHOLE_TEXT_CHARS);
    const tail = await read(Math.max(0, size - 65_536), 65_536);
    const firstLine = firstLineOf(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
    // A pretty-printed document ends with its top-level closer alone at the start of a line (an element's is
    // indented); a compact one at least with a closer.
    if (firstLine !== undefined && opensDocument(firstLine)) return !/\n[\]}]\s*$/.test(tail);
    if (framedAsDocument(firstLine)) return !/[\]}]\s*$/.test(tail);
    if (tail.endsWith('\n')) return false;
    return !parses(tail.slice(tail.lastIndexOf('\n') + 1).trim());
  } finally {
    await handle.close();
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileText, isCutShort, isFileCutShort, messageBatchesOf, streamMessageBatches, type TextSource } from '../../../src/app/eventFiles.js';

describe('messageBatchesOf', () => {
  it('slices an Event Hub message file into batches of its records', () => {
    const records = Array.from({ length: 7 }, (_, index) => ({ category: 'SignInLogs', index }));
    assert.deepEqual([...messageBatchesOf(JSON.stringify({ records }), 3)], [[records.slice(0, 3)], [records.slice(3, 6)], [records.slice(6)]]);
  });

  it('slices a JSON array (a Management Activity content blob) the same way', () => {
    const records = [{ Workload: 'Exchange' }, { Workload: 'Exchange' }];
    assert.deepEqual([...messageBatchesOf(`\ufeff${JSON.stringify(records)}`, 5)], [[records]]);
  });

  it('hands a single record or a malformed envelope over whole, to be decoded and judged', () => {
    assert.deepEqual([...messageBatchesOf('{"category":"AuditLogs"}')], [[{ category: 'AuditLogs' }]]);
    assert.deepEqual([...messageBatchesOf('{"records":"x"}')], [[{ records: 'x' }]]);
  });

  it('reads NDJSON one line per message, so a bad line is one bad record', () => {
    assert.deepEqual([...messageBatchesOf('{"a":1}\r\n\r\n{"b":\n{"c":3}\n', 2)], [['{"a":1}', '{"b":'], ['{"c":3}']]);
  });

  it('treats a pretty-printed document that does not parse as one malformed record', () => {
    assert.deepEqual([...messageBatchesOf('{\n  "records": [\n    {"a": 1},\n')], [['{\n  "records": [\n    {"a": 1},']]);
  });

  it('yields nothing for an empty file', () => {
    assert.deepEqual([...messageBatchesOf(' \n ')], []);
  });
});

describe('isCutShort', () => {
  it('holds back a file whose last record stops midway, in any framing', () => {
    assert.equal(isCutShort('{"category":"SignInLogs","time":"2026-11'), true);
    assert.equal(isCutShort('{"a":1}\n{"category":"SignIn'), true);
    assert.equal(isCutShort('{\n  "records": [\n    {"a": 1},\n'), true, 'a pretty-printed document is complete only once it parses, newline or not');
    assert.equal(isCutShort('{\n  "records": [\n    {"a": 1}'), true);
    assert.equal(isCutShort('{"a":1}\n{"b":'), true);
    assert.equal(isCutShort('{"a":1}\n{"b":\n'), false, 'NDJSON: a newline ends the line, a bad one is dead-lettered');
  });

  it('lets a complete file through, with or without a final newline', () => {
    assert.equal(isCutShort(''), false);
    assert.equal(isCutShort('{"a":1}'), false);
    assert.equal(isCutShort('{"a":1}\n{"b":2}'), false);
    assert.equal(isCutShort('[\n  {"a": 1}\n]'), false, 'a pretty-printed document ends with a line that alone is not JSON');
    assert.equal(isCutShort('\ufeff{"records":[]}'), false);
    assert.equal(isCutShort('garbage\n'), false, 'bad but finished: ingested, and dead-lettered as bad');
  });
});

describe('streamMessageBatches (files over a megabyte)', () => {
  /** Text handed over in 64 KB chunks, as a file stream does: records and lines straddle chunk boundaries. */
  const chunked = (content: string): TextSource =>
    async function* () {
      for (let offset = 0; offset < content.length; offset += 65_536) yield await Promise.resolve(content.slice(offset, offset + 65_536));
    };
  const collect = async (source: TextSource, batchSize = 500) => {
    const batches: unknown[][] = [];
    for await (const batch of streamMessageBatches(source, batchSize)) batches.push(batch);
    return batches;
  };
  /** Records of about 200 bytes: 6,000 of them are over a megabyte. */
  const records = Array.from({ length: 6_000 }, (_, index) => ({ category: 'SignInLogs', index, padding: 'x'.repeat(160) }));

  it('reads NDJSON line by line, a bad line one bad record, blank lines and CRLF skipped', async () => {
    const lines = records.map((record) => JSON.stringify(record));
    const content = `\ufeff${lines.slice(0, 3000).join('\r\n')}\n\n{"broken":\n${lines.slice(3000).join('\n')}`;
    const batches = await collect(chunked(content), 1000);
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [1000, 1000, 1000, 1000, 1000, 1000, 1],
    );
    const flat = batches.flat();
    assert.equal(flat[3000], '{"broken":');
    assert.deepEqual(JSON.parse(flat[0] as string), records[0]);
    assert.deepEqual(JSON.parse(flat.at(-1) as string), records.at(-1));
  });

  it('streams a JSON array and an Event Hub envelope, compact or pretty-printed, element by element', async () => {
    const expected = [records.slice(0, 2500), records.slice(2500, 5000), records.slice(5000)].map((batch) => [batch]);
    for (const content of [
      JSON.stringify(records),
      JSON.stringify({ records }),
      JSON.stringify({ records }, null, 2),
      `\ufeff${JSON.stringify({ before: { records: [1] }, records, after: 1 })}`,
    ]) {
      assert.deepEqual(await collect(chunked(content), 2500), expected, content.slice(0, 40));
    }
  });

  it('reads one huge record whole, and says where a document stops parsing after records were read', async () => {
    const huge = { category: 'AuditLogs', properties: { blob: 'y'.repeat(1_500_000) } };
    assert.deepEqual(await collect(chunked(JSON.stringify(huge))), [[huge]]);
    const broken = `${JSON.stringify(records).slice(0, -2000)},{"oops"}]`;
    const batches = await collect(chunked(broken), 2000);
    const intact = JSON.parse(
      `${JSON.stringify(records)
        .slice(0, -2000)
        .replace(/,\{[^{}]*$/, '')}]`,
    ) as unknown[];
    const read = batches.slice(0, -1).flatMap((batch) => batch[0] as unknown[]);
    assert.deepEqual(read, intact.slice(0, read.length), 'the records before the break go in, the last partial batch too');
    assert.ok(intact.length - read.length <= 16_384 / 200, `at most the records of the 16 KB slice it broke in are lost: ${intact.length - read.length}`);
    assert.equal(batches.at(-1)?.[0], `(the rest of this document does not parse, after record ${read.length}: Parser cannot parse input: expected ',')`);
  });

  it('reads NDJSON of over 64 MB whose first line is broken line by line, losing only that line', async () => {
    const line = JSON.stringify({ category: 'SignInLogs', padding: 'z'.repeat(1000) });
    const count = 66_000;
    const content = `{"broken":\n${`${line}\n`.repeat(count)}`;
    let lines = 0;
    let first: unknown;
    for await (const batch of streamMessageBatches(chunked(content), 5000)) {
      first ??= batch[0];
      lines += batch.length;
    }
    assert.equal(first, '{"broken":');
    assert.equal(lines, count + 1);
  });

  it('reads NDJSON whose first line is broken as NDJSON, not as one broken document', async () => {
    const content = `{"broken":\n${records.map((record) => JSON.stringify(record)).join('\n')}\n`;
    const flat = (await collect(chunked(content), 1000)).flat();
    assert.equal(flat.length, 6_001);
    assert.equal(flat[0], '{"broken":');
  });
});

describe('isFileCutShort', () => {
  it('judges a file over a megabyte by its first line and its tail, as isCutShort judges the whole', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'lure-cut-'));
    const lines = Array.from({ length: 6_000 }, (_, index) => JSON.stringify({ index, padding: 'x'.repeat(200) })).join('\n');
    const pretty = JSON.stringify({ records: lines.split('\n').map((line) => JSON.parse(line) as unknown) }, null, 2);
    const cases: [string, boolean][] = [
      [`${lines}\n`, false],
      [lines, false],
      [`${lines}\n{"index":6000,"pad`, true],
      [pretty, false],
      [pretty.slice(0, -40), true],
      // Cut right after an element: it ends in a closer, but not on a line of its own.
      [pretty.slice(0, pretty.lastIndexOf('}', pretty.length - 3) + 1), true],
    ];
    for (const [index, [content, cut]] of cases.entries()) {
      const file = path.join(folder, `case${index}.json`);
      await writeFile(file, content);
      assert.equal(await isFileCutShort(file), cut, `case ${index}`);
      assert.equal(isCutShort(content), cut, `case ${index}, whole`);
    }
    await assert.rejects(isFileCutShort(path.join(folder, 'missing.json')), /missing\.json: no such file/);
  });

  it('reads a file from disk through fileText, counting its bytes', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'lure-text-'));
    const file = path.join(folder, 'records.ndjson');
    const content = `${Array.from({ length: 20_000 }, (_, index) => JSON.stringify({ index, name: 'é'.repeat(50) })).join('\n')}\n`;
    await writeFile(file, content);
    let bytes = 0;
    const flat = (await collect(fileText(file, (count) => (bytes += count)))).flat();
    assert.equal(flat.length, 20_000);
    assert.equal(flat[19_999], JSON.stringify({ index: 19_999, name: 'é'.repeat(50) }), 'multi-byte characters across chunks decode whole');
    assert.equal(bytes, Buffer.byteLength(content));
    await assert.rejects(collect(fileText(path.join(folder, 'gone.ndjson'))), /gone\.ndjson: no such file/);
  });

  async function collect(source: TextSource): Promise<unknown[][]> {
    const batches: unknown[][] = [];
    for await (const batch of streamMessageBatches(source)) batches.push(batch);
    return batches;
  }
});

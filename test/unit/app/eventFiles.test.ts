import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCutShort, messageBatchesOf } from '../../../src/app/eventFiles.js';

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

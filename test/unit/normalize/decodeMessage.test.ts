import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type DecodedUnit, decodeMessage } from '../../../src/normalize/decodeMessage.js';

// Our own small records, shaped like the real ones (formats.md §1, §3.1).
const signIn = { time: '2025-03-01T10:00:05.1234567Z', category: 'SignInLogs', properties: { id: 'sign-in-1' } };
const audit = { time: '2025-03-01T10:01:00.0000000Z', category: 'AuditLogs', properties: { id: 'Directory_ABC_1' } };
const mailbox = { CreationTime: '2025-03-01T10:02:00', Id: 'mgmt-1', Operation: 'MailItemsAccessed', RecordType: 50, Workload: 'Exchange' };
const send = { CreationTime: '2025-03-01T10:03:00', Id: 'mgmt-2', Operation: 'Send', RecordType: 2, Workload: 'Exchange' };

function recordsOf(units: readonly DecodedUnit[]): unknown[] {
  return units.flatMap((unit) => ('record' in unit ? [unit.record] : []));
}

function malformedOf(units: readonly DecodedUnit[]): { malformed: string; excerpt: string }[] {
  return units.flatMap((unit) => ('malformed' in unit ? [{ malformed: unit.malformed, excerpt: unit.excerpt }] : []));
}

const envelopeText = JSON.stringify({ records: [signIn, audit] });

describe('decodeMessage: Event Hub message {"records":[…]}', () => {
  it('reads it from a string', () => {
    assert.deepEqual(decodeMessage(envelopeText), [{ record: signIn }, { record: audit }]);
  });

  it('reads it from a Buffer', () => {
    assert.deepEqual(decodeMessage(Buffer.from(envelopeText, 'utf8')), [{ record: signIn }, { record: audit }]);
  });

  it('reads it from a Uint8Array', () => {
    assert.deepEqual(decodeMessage(new TextEncoder().encode(envelopeText)), [{ record: signIn }, { record: audit }]);
  });

  it('reads only the view of a Uint8Array that shares a larger buffer', () => {
    const padded = new TextEncoder().encode(`xxxx${envelopeText}yyyy`);
    const view = padded.subarray(4, padded.length - 4);
    assert.deepEqual(decodeMessage(view), [{ record: signIn }, { record: audit }]);
  });

  it('reads it from an ArrayBuffer', () => {
    const bytes = new TextEncoder().encode(envelopeText);
    const buffer = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(bytes);
    assert.deepEqual(decodeMessage(buffer), [{ record: signIn }, { record: audit }]);
  });

  it('reads it already parsed', () => {
    assert.deepEqual(decodeMessage({ records: [signIn, audit] }), [{ record: signIn }, { record: audit }]);
  });

  it('decodes UTF-8 multi-byte characters', () => {
    const record = { category: 'AuditLogs', properties: { displayName: '\\Boîte de réception' } };
    assert.deepEqual(decodeMessage(Buffer.from(JSON.stringify({ records: [record] }), 'utf8')), [{ record }]);
  });

  it('gives nothing for an envelope with no records', () => {
    assert.deepEqual(decodeMessage('{"records":[]}'), []);
  });
});

describe('decodeMessage: other framings', () => {
  it('reads a bare JSON array (Management Activity API content blob)', () => {
    assert.deepEqual(decodeMessage(JSON.stringify([mailbox, send])), [{ record: mailbox }, { record: send }]);
  });

  it('reads a single bare record', () => {
    assert.deepEqual(decodeMessage(JSON.stringify(mailbox)), [{ record: mailbox }]);
  });

  it('reads NDJSON of records', () => {
    const ndjson = `${JSON.stringify(signIn)}\n${JSON.stringify(audit)}\n${JSON.stringify(mailbox)}\n`;
    assert.deepEqual(decodeMessage(ndjson), [{ record: signIn }, { record: audit }, { record: mailbox }]);
  });

  it('reads an NDJSON line whose envelope holds 300,000 records (more than a call takes arguments)', () => {
    const ndjson = `${JSON.stringify(signIn)}\n{"records":[${Array.from({ length: 300_000 }, () => '0').join(',')}]}\n`;
    const units = decodeMessage(ndjson);
    assert.equal(units.length, 300_001);
    assert.deepEqual(malformedOf(units), []);
    assert.deepEqual(units[0], { record: signIn });
  });

  it('reads NDJSON of envelopes', () => {
    const ndjson = `${JSON.stringify({ records: [signIn] })}\n${JSON.stringify({ records: [audit, mailbox] })}`;
    assert.deepEqual(decodeMessage(ndjson), [{ record: signIn }, { record: audit }, { record: mailbox }]);
  });

  it('reads NDJSON mixing records, envelopes and arrays', () => {
    const ndjson = [JSON.stringify(signIn), JSON.stringify({ records: [audit] }), JSON.stringify([mailbox, send])].join('\n');
    assert.deepEqual(decodeMessage(ndjson), [{ record: signIn }, { record: audit }, { record: mailbox }, { record: send }]);
  });

  it('expands envelopes nested in a top-level array', () => {
    assert.deepEqual(decodeMessage([{ records: [signIn] }, mailbox]), [{ record: signIn }, { record: mailbox }]);
  });

  it('skips a UTF-8 byte-order mark (string and Buffer)', () => {
    assert.deepEqual(decodeMessage(`\uFEFF${envelopeText}`), [{ record: signIn }, { record: audit }]);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(envelopeText, 'utf8')]);
    assert.deepEqual(decodeMessage(withBom), [{ record: signIn }, { record: audit }]);
    assert.deepEqual(decodeMessage(`\uFEFF${JSON.stringify(signIn)}\r\n${JSON.stringify(audit)}`), [{ record: signIn }, { record: audit }]);
  });

  it('reads CRLF-terminated lines (storage PT1H.json blobs) and ignores blank lines', () => {
    const ndjson = `${JSON.stringify(signIn)}\r\n\r\n${JSON.stringify(audit)}\r\n   \r\n`;
    assert.deepEqual(decodeMessage(ndjson), [{ record: signIn }, { record: audit }]);
  });
});

describe('decodeMessage: broken input', () => {
  it('turns one malformed line among good ones into exactly one malformed unit, and decodes the rest', () => {
    const badLine = '{"time":"2025-03-01T10:00:00Z","category":"SignInLogs","properties":{"id":';
    const ndjson = [JSON.stringify(signIn), badLine, JSON.stringify(audit)].join('\n');
    const units = decodeMessage(ndjson);
    assert.equal(units.length, 3);
    assert.deepEqual(recordsOf(units), [signIn, audit]);
    assert.deepEqual(malformedOf(units), [{ malformed: 'malformed-json', excerpt: badLine }]);
    // The malformed unit stays where the line was.
    assert.deepEqual(units[1], { malformed: 'malformed-json', excerpt: badLine });
  });

  it('turns a truncated pretty-printed document into one malformed unit', () => {
    const record = {
      time: '2025-03-01T10:00:05.1234567Z',
      category: 'ServicePrincipalSignInLogs',
      properties: {
        id: 'sign-in-2',
        signInEventTypes: ['servicePrincipal'],
        status: { errorCode: 0 },
        isInteractive: false,
        resultType: 0,
      },
    };
    const pretty = JSON.stringify({ records: [record, record] }, null, 2);
    const truncated = pretty.slice(0, Math.floor(pretty.length * 0.75));
    const units = decodeMessage(truncated);
    assert.equal(units.length, 1);
    assert.deepEqual(malformedOf(units), [{ malformed: 'malformed-json', excerpt: truncated.trim() }]);
  });

  it('turns a truncated pretty-printed document whose lines are all fragments into one malformed unit', () => {
    const truncated = '{\n  "records": [\n    {\n      "time": "2025-03-01T10:00:05Z",\n      "category": "AuditLogs"';
    assert.deepEqual(decodeMessage(truncated), [{ malformed: 'malformed-json', excerpt: truncated }]);
  });

  it('turns {"records": "x"} into a malformed-envelope unit', () => {
    const units = decodeMessage('{"records": "x"}');
    assert.equal(units.length, 1);
    const [unit] = units;
    assert.ok(unit !== undefined && 'malformed' in unit);
    assert.equal(unit.malformed, 'malformed-envelope');
    assert.equal(unit.excerpt, '{"records":"x"}');
  });

  it('reports a malformed envelope inside NDJSON and keeps the other lines', () => {
    const ndjson = `${JSON.stringify(signIn)}\n{"records":{"not":"an array"}}`;
    const units = decodeMessage(ndjson);
    assert.deepEqual(recordsOf(units), [signIn]);
    assert.deepEqual(
      malformedOf(units).map((unit) => unit.malformed),
      ['malformed-envelope'],
    );
  });

  it('gives nothing for empty input', () => {
    assert.deepEqual(decodeMessage(''), []);
    assert.deepEqual(decodeMessage('  \r\n\n '), []);
    assert.deepEqual(decodeMessage('\uFEFF'), []);
    assert.deepEqual(decodeMessage(Buffer.alloc(0)), []);
    assert.deepEqual(decodeMessage(new Uint8Array(0)), []);
  });

  it('passes scalars and null on as records for the normalizer to reject', () => {
    assert.deepEqual(decodeMessage(null), [{ record: null }]);
    assert.deepEqual(decodeMessage('42'), [{ record: 42 }]);
  });
});

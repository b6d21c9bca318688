import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { totalAccepted, totalSkipped } from '../../src/app/ingestReport.js';
import { useAdminApi } from '../helpers/adminTokens.js';
import { accountedLine, runLure } from '../helpers/cli.js';
import { movableClock, testServices } from '../helpers/services.js';

/** Names every plain object answers to: counting by them in `{}` reads the prototype (or cannot write `__proto__`). */
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const NOW = '2026-11-28T12:00:00.000Z';
const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** For each name: a record with it as its category, workload, Exchange operation and STS logon operation. */
function recordsNamed(name: string): Record<string, unknown>[] {
  const management = { CreationTime: '2026-11-28T11:58:00', OrganizationId: TENANT, UserId: 'alice@contoso.example', ResultStatus: 'Succeeded' };
  return [
    { time: NOW, category: name, properties: {} },
    { ...management, Id: `w-${name}`, Workload: name, Operation: 'Anything', RecordType: 1 },
    { ...management, Id: `x-${name}`, Workload: 'Exchange', Operation: name, RecordType: 2 },
    // An STS logon is accepted whatever its operation, and its operation is the event's record type.
    { ...management, Id: `s-${name}`, Workload: 'AzureActiveDirectory', Operation: name, RecordType: 15, ClientIP: '203.0.113.9' },
  ];
}

const RECORDS = NAMES.flatMap(recordsNamed);

function countsOf(counts: ReadonlyMap<string, number> | undefined): Record<string, number> {
  // Object.fromEntries writes own properties, `__proto__` included.
  return Object.fromEntries(counts ?? []);
}

function each(prefix: string): Record<string, number> {
  return Object.fromEntries(NAMES.map((name) => [`${prefix}${name}`, 1]));
}

describe('record data named like Object.prototype is counted like any other name', () => {
  const clock = movableClock(NOW);
  const folder = mkdtemp(path.join(tmpdir(), 'lure-names-'));
  const { tenant, services, server } = useAdminApi(new Date(NOW), ({ settings }) => testServices({ settings, clock }));
  after(async () => {
    await rm(await folder, { recursive: true, force: true });
  });

  it('in the ingest report', async () => {
    const report = await services().ingest([{ records: RECORDS }], 'exchange partition 0');
    assert.equal(report.read, RECORDS.length);
    assert.equal(totalAccepted(report) + totalSkipped(report), report.read);
    assert.deepEqual(countsOf(report.skipped.get('unknown-category')), each(''));
    assert.deepEqual(countsOf(report.skipped.get('workload-not-used')), each(''));
    assert.deepEqual(countsOf(report.skipped.get('operation-not-used')), each('Exchange '));
    assert.deepEqual(countsOf(report.accepted.get('exchange')), { signIn: NAMES.length });
  });

  it('in the stream counts and in /api/status', async () => {
    // Counts are written on the arrivals' once-a-minute rhythm: a later batch writes them.
    clock.advance(61_000);
    await services().ingest([], 'exchange partition 0');
    const counts = await services().store.listStreamCounts('2026-11-28T11:00:00.000Z');
    assert.deepEqual(
      counts.map(({ origin, records }) => ({ origin, records })),
      [{ origin: 'exchange', records: RECORDS.length }],
    );
    const answer = await fetch(`${server().url}/status`, { headers: { authorization: `Bearer ${await tenant().mint({ roles: ['Lure.Reader'] })}` } });
    assert.equal(answer.status, 200);
    const status = (await answer.json()) as { lastHour: { origin: string; records: number; deadLettered: number }[]; sources: { stream: string }[] };
    assert.deepEqual(
      status.lastHour.map(({ origin, records, deadLettered }) => ({ origin, records, deadLettered })),
      [{ origin: 'exchange', records: RECORDS.length, deadLettered: NAMES.length }],
    );
    assert.deepEqual(
      status.sources.map((source) => source.stream),
      ['source:exchange'],
    );
  });

  it('in the replay summary', async () => {
    const file = path.join(await folder, 'names.ndjson');
    await writeFile(file, `${RECORDS.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const result = await runLure(['replay', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(accountedLine(result.stderr), { accepted: NAMES.length, skipped: RECORDS.length - NAMES.length, read: RECORDS.length });
    const sorted = [...NAMES].sort((a, b) => a.localeCompare(b));
    assert.ok(result.stderr.includes(`  unknown-category ${NAMES.length} [dead-lettered]: ${sorted.map((name) => `${name} 1`).join(', ')}\n`), result.stderr);
    assert.ok(result.stderr.includes(`  workload-not-used ${NAMES.length}: ${sorted.map((name) => `${name} 1`).join(', ')}\n`), result.stderr);
    assert.ok(result.stderr.includes(`  exchange  signIn ${NAMES.length}\n`), result.stderr);
  });

  it('in query parameters: each is an unknown field, not "given more than once"', async () => {
    const token = await tenant().mint({ roles: ['Lure.Reader'] });
    for (const name of NAMES) {
      const answer = await fetch(`${server().url}/alerts?${name}=1`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await answer.json()) as { error: { code: string; message: string; field?: string } };
      assert.equal(answer.status, 400, name);
      assert.deepEqual(body.error, { code: 'invalidField', message: `unknown field(s) ${name}`, field: name }, name);
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { entraEvents } from '../../functions/entraEvents.js';
import { exchangeEvents } from '../../functions/exchangeEvents.js';
import { tokenEvents } from '../../functions/tokenEvents.js';
import type { IngestReport } from '../../src/app/ingestReport.js';
import { totalAccepted, totalSkipped } from '../../src/app/ingestReport.js';
import { replay } from '../../src/app/replay.js';
import type { Alert } from '../../src/domain/alerts.js';
import { MAX_EXCERPT_LENGTH } from '../../src/normalize/redactedExcerpt.js';
import { type BoundExceeded, RECORD_BOUNDS } from '../../src/normalize/recordBounds.js';
import { eventHubContext } from '../helpers/azf.js';
import { accountedLine, runLure } from '../helpers/cli.js';
import { DECOY_FILE, fixtureDecoys } from '../helpers/mixedFixture.js';
import { mailItemsAccessedRecord, signInRecord } from '../helpers/records.js';
import { testServices } from '../helpers/services.js';
import type { SkipReason } from '../../src/domain/skips.js';
import type { DeadLetter } from '../../src/domain/deadLetters.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import { type Services, useServices } from '../../src/host/services.js';
import { formatSummary } from '../../src/host/cli/formatSummary.js';

type Hub = 'entra' | 'exchange' | 'token';
const HANDLERS = { entra: entraEvents, exchange: exchangeEvents, token: tokenEvents } as const;
const TIME = '2026-11-02T10:12:09.000Z';
const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** A token observation of the fixture's honeytoken (`kid` lure-kid-01); `extraClaims` is JSON text spliced into its payload. */
function honeytokenObservation(extraClaims = ''): Record<string, unknown> {
  const header = base64url('{"typ":"JWT","alg":"RS256","kid":"lure-kid-01"}');
  const payload = base64url(
    `{"iss":"https://login.microsoftonline.com/${TENANT}/v2.0","tid":"${TENANT}","aud":"api://intranet","iat":1793613600${extraClaims}}`,
  );
  return { time: TIME, category: 'TokenObservation', properties: { jwt: `${header}.${payload}`, observer: 'apim-prod', ipAddress: '203.0.113.45' } };
}

/** One record of each hub that raises an alert on the fixture's decoys, and the detection it raises. */
const GOOD: Record<Hub, { readonly record: () => Record<string, unknown>; readonly detection: string }> = {
  entra: {
    record: () => signInRecord({ time: TIME, userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' }),
    detection: 'decoy.user.signIn',
  },
  exchange: {
    record: () => ({
      ...mailItemsAccessedRecord({ time: TIME, uti: 'poisonUti0001', mailbox: 'finance-archive@contoso.example' }),
      Folders: [{ Id: 'LgAAAAC7lure/Folder+01AAAAAAEMAAAA', Path: '\\Archive', FolderItems: [{ InternetMessageId: '<lure-7f3a91c2@contoso.example>' }] }],
    }),
    detection: 'decoy.mailItem.accessed',
  },
  token: { record: honeytokenObservation, detection: 'decoy.token.used' },
};

/**
 * A record as JSON text, its nesting built by hand (JSON.stringify overflows the stack on what these tests
 * need), and the bound it exceeds. `levels` containers are nested around a leaf: bare, inside a record of a
 * category Lure does not know (dead-lettered, so the bound names why), or inside an id-less sign-in (read by
 * name and judged, so no bound applies).
 */
interface PoisonCase {
  readonly text: string;
  readonly exceeds: BoundExceeded | undefined;
  /** How deep the text nests, for a nested case. */
  readonly depth?: number;
}

function deepCase(levels: number, openers: readonly boolean[], leaf: unknown, inside: 'bare' | 'unknown' | 'signIn'): PoisonCase {
  let opening = '';
  let closing = '';
  for (let level = 0; level < levels; level += 1) {
    const array = openers[level % openers.length]!;
    opening += array ? '[' : '{"k":';
    closing = (array ? ']' : '}') + closing;
  }
  const nestedText = `${opening}${JSON.stringify(leaf)}${closing}`;
  // {"category":…,"properties":{"extra": <nested>}} puts the nesting two levels down.
  const category = inside === 'unknown' ? 'NotACategory' : 'SignInLogs';
  const text = inside === 'bare' ? nestedText : `{"category":"${category}","time":"${TIME}","properties":{"extra":${nestedText}}}`;
  const depth = (inside === 'bare' ? 0 : 2) + levels + depthOf(leaf);
  return { text, exceeds: depth > RECORD_BOUNDS.maxDepth && inside !== 'signIn' ? 'too-deep' : undefined, depth };
}

/** A leaf is small: plain recursion is fine for it. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/**
 * A record of no known shape (dead-lettered) made large by one string of plain characters, so its JSON length
 * is exactly what the bound counts.
 */
function largeCase(characters: number): PoisonCase {
  const text = JSON.stringify({ time: TIME, properties: { blob: 'x'.repeat(characters) } });
  return { text, exceeds: text.length > RECORD_BOUNDS.maxLength ? 'too-large' : undefined };
}

const poisonCase: fc.Arbitrary<PoisonCase> = fc.oneof(
  fc
    .tuple(
      // Depths near the bound, and anywhere up to 100,000.
      fc.oneof(fc.integer({ min: 1, max: RECORD_BOUNDS.maxDepth + 4 }), fc.integer({ min: 1, max: 100_000 })),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(0)),
      fc.constantFrom('bare' as const, 'unknown' as const, 'signIn' as const),
    )
    .map(([levels, openers, leaf, inside]) => deepCase(levels, openers, leaf, inside)),
  fc.integer({ min: RECORD_BOUNDS.maxLength - 200, max: 2 * RECORD_BOUNDS.maxLength }).map(largeCase),
);

/** How the host may hand a record over: parsed, as an envelope's text, or as its bytes. */
type Form = 'parsed' | 'text' | 'bytes';

function messageOf(recordText: string, form: Form): unknown {
  const envelope = `{"records":[${recordText}]}`;
  if (form === 'parsed') return JSON.parse(envelope);
  return form === 'text' ? envelope : Buffer.from(envelope);
}

/** Services whose ingest reports are kept, so a test sees what the handler's batch read. */
async function recordingServices(): Promise<{ services: Services; reports: IngestReport[] }> {
  const services = await testServices({ decoys: fixtureDecoys() });
  const reports: IngestReport[] = [];
  const ingest: Services['ingest'] = async (...args) => {
    const report = await services.ingest(...args);
    reports.push(report);
    return report;
  };
  return { services: { ...services, ingest }, reports };
}

function skippedFor(report: IngestReport, reason: SkipReason): number {
  return [...(report.skipped.get(reason)?.values() ?? [])].reduce((sum, count) => sum + count, 0);
}

function countOf(cases: readonly PoisonCase[], exceeds: BoundExceeded): number {
  return cases.filter((poison) => poison.exceeds === exceeds).length;
}

afterEach(() => useServices(undefined));

describe('poison records never blind ingest', () => {
  for (const hub of ['entra', 'exchange', 'token'] as const) {
    it(`the ${hub} hub's handler takes records of any depth and size: it never throws, accounts for each, dead-letters the poison and still alerts on the good record`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(poisonCase, { minLength: 1, maxLength: 3 }),
          fc.constantFrom<Form>('parsed', 'text', 'bytes'),
          fc.nat(),
          async (cases, form, goodAt) => {
            const { services, reports } = await recordingServices();
            useServices(services);
            const messages = cases.map((poison) => messageOf(poison.text, form));
            messages.splice(goodAt % (messages.length + 1), 0, { records: [GOOD[hub].record()] });

            await HANDLERS[hub](messages, eventHubContext({ functionName: `${hub}Events` }));

            const [report] = reports;
            assert.equal(reports.length, 1);
            assert.equal(report!.read, cases.length + 1);
            assert.equal(totalAccepted(report!) + totalSkipped(report!), report!.read, 'every record accounted for');
            assert.equal(skippedFor(report!, 'too-deep'), countOf(cases, 'too-deep'));
            assert.equal(skippedFor(report!, 'too-large'), countOf(cases, 'too-large'));
            const letters: DeadLetter[] = await all(services.store.listDeadLetters());
            for (const reason of ['too-deep', 'too-large'] as const) {
              if (countOf(cases, reason) > 0)
                assert.ok(
                  letters.some((letter) => letter.reason === reason),
                  `a ${reason} dead letter`,
                );
            }
            for (const letter of letters) assert.ok(letter.excerpt.length <= MAX_EXCERPT_LENGTH + 1);
            const alerts: Alert[] = (await all(services.store.listAlerts())).map((stored) => stored.alert);
            assert.ok(
              alerts.some((alert) => alert.detection === GOOD[hub].detection),
              `the good record's ${GOOD[hub].detection} alert`,
            );
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it('judges a honeytoken whose payload nests a claim 100,000 deep: the depth must not hide it', async () => {
    const { services, reports } = await recordingServices();
    useServices(services);
    // Arrays and objects in turn, 100,000 levels each claim: still under the record's size bound once encoded.
    const deepClaim = `,"aud":${'['.repeat(100_000)}"api://x"${']'.repeat(100_000)},"x":${'[{"k":'.repeat(50_000)}0${'}]'.repeat(50_000)}`;
    await tokenEvents([{ records: [honeytokenObservation(deepClaim)] }], eventHubContext({ functionName: 'tokenEvents' }));
    assert.equal(totalAccepted(reports[0]!), 1);
    const alerts = (await all(services.store.listAlerts())).map((stored) => stored.alert);
    assert.deepEqual(
      alerts.map((alert) => alert.detection),
      ['decoy.token.used'],
    );
  });

  for (const withId of [true, false]) {
    it(`judges a decoy sign-in ${withId ? 'with' : 'without'} an id that carries a 100,000-deep extra property: a record read by name is never dead-lettered for its depth`, async () => {
      const { services, reports } = await recordingServices();
      useServices(services);
      const good = GOOD.entra.record();
      const { id: _id, ...propertiesWithoutId } = good['properties'] as Record<string, unknown>;
      const record = JSON.stringify(withId ? good : { ...good, properties: propertiesWithoutId });
      // Splice the nesting into properties as text: JSON.stringify would overflow on it.
      const deep = record.replace('"properties":{', `"properties":{"extra":${'[{"k":'.repeat(50_000)}0${'}]'.repeat(50_000)},`);
      assert.notEqual(deep, record);
      await entraEvents([`{"records":[${deep}]}`], eventHubContext({ functionName: 'entraEvents' }));
      assert.equal(totalAccepted(reports[0]!), 1);
      assert.deepEqual(await all(services.store.listDeadLetters()), []);
      const alerts = (await all(services.store.listAlerts())).map((stored) => stored.alert);
      assert.deepEqual(
        alerts.map((alert) => alert.detection),
        ['decoy.user.signIn'],
      );
    });
  }

  it('a batch of one good record and one 100,000-deep record completes on its first delivery (so the host checkpoints it)', async () => {
    const { services } = await recordingServices();
    useServices(services);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    // The host's retry policy, as the trigger registers it (retry until the function succeeds): count deliveries.
    let deliveries = 0;
    for (;;) {
      deliveries += 1;
      try {
        await entraEvents([{ records: [GOOD.entra.record()] }, deep], eventHubContext({ functionName: 'entraEvents' }));
        break;
      } catch (error) {
        assert.ok(deliveries < 3, `delivery ${deliveries} threw ${String(error)}`);
      }
    }
    assert.equal(deliveries, 1);
    const alerts = (await all(services.store.listAlerts())).map((stored) => stored.alert);
    assert.deepEqual(
      alerts.map((alert) => alert.detection),
      ['decoy.user.signIn'],
    );
    const letters = await all(services.store.listDeadLetters());
    assert.deepEqual(
      letters.map((letter) => [letter.reason, letter.detail]),
      [['too-deep', `nested deeper than ${RECORD_BOUNDS.maxDepth} levels`]],
    );
  });
});

describe('lure replay over poison records', () => {
  const directory = mkdtemp(path.join(tmpdir(), 'lure-poison-'));
  after(async () => rm(await directory, { recursive: true, force: true }));

  it("accounts for every record of files holding records of any depth and size, and prints the good record's alert", async () => {
    const folder = await directory;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(poisonCase, { minLength: 1, maxLength: 3 }), fc.boolean(), async (cases, asEnvelope) => {
        run += 1;
        // An NDJSON line that is an array is a list of records (README): its elements are one level shallower.
        const asRead = (poison: PoisonCase): PoisonCase =>
          !asEnvelope && poison.text.startsWith('[') && poison.depth !== undefined
            ? { ...poison, exceeds: poison.depth - 1 > RECORD_BOUNDS.maxDepth ? 'too-deep' : undefined }
            : poison;
        const read = cases.map(asRead);
        const file = path.join(folder, `run-${run}.ndjson`);
        const good = JSON.stringify(GOOD.entra.record());
        const lines = asEnvelope ? [`{"records":[${[good, ...cases.map((poison) => poison.text)].join(',')}]}`] : [good, ...cases.map((poison) => poison.text)];
        await writeFile(file, `${lines.join('\n')}\n`);
        const services = await testServices({ store: memoryStateStore() });
        const result = await replay(services, { files: [file], decoyFile: DECOY_FILE });
        const summary = formatSummary(result.report, result.alerts, {
          files: 1,
          signingKeys: 0,
          tokenChecks: result.tokenChecks,
          tokenMatches: result.tokenMatches,
          incidents: result.incidents,
        });
        assert.deepEqual(accountedLine(summary), {
          accepted: totalAccepted(result.report),
          skipped: cases.length + 1 - totalAccepted(result.report),
          read: cases.length + 1,
        });
        assert.equal(skippedFor(result.report, 'too-deep'), countOf(read, 'too-deep'));
        assert.equal(skippedFor(result.report, 'too-large'), countOf(read, 'too-large'));
        assert.ok(result.alerts.some((alert) => alert.detection === 'decoy.user.signIn'));
      }),
      { numRuns: 25 },
    );
  });

  it("the command exits 0 on the issue's 5,000-deep line and 100,000-deep ones, with a summary and the good alert", async () => {
    const folder = await directory;
    const file = path.join(folder, 'deep.ndjson');
    const lines = [
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
      `{"records":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`,
      largeCase(RECORD_BOUNDS.maxLength).text,
      JSON.stringify(GOOD.entra.record()),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const result = await runLure(['replay', '--decoys', DECOY_FILE, file]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(accountedLine(result.stderr), { accepted: 1, skipped: 4, read: 5 });
    assert.match(result.stderr, /too-deep 3 \[dead-lettered\]/);
    assert.match(result.stderr, /too-large 1 \[dead-lettered\]/);
    const alerts = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Alert);
    assert.deepEqual(
      alerts.map((alert) => alert.detection),
      ['decoy.user.signIn'],
    );
  });
});

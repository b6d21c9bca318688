import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DecoyIndex } from '../../src/decoys/decoyIndex.js';
import { parseDecoyFile } from '../../src/decoys/parseDecoys.js';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../src/domain/alerts.js';
import type { Detection, SigningContext } from '../../src/detections/detection.js';
import type { KeySetFetch, SigningKey } from '../../src/domain/signingKeys.js';
import { SigningKeyIndex } from '../../src/keys/keyHistory.js';
import { normalizeRecord } from '../../src/normalize/normalizeRecord.js';
import { isSkip } from '../../src/normalize/outcome.js';
import { FIXTURES } from './paths.js';
import type { Finding } from '../../src/domain/findings.js';

/**
 * Positive and negative fixtures of one detection (`test/fixtures/detections/<id>.json`): raw records exactly
 * as they arrive, each with what the detection must make of it.
 */
export interface DetectionFixture {
  readonly description: string;
  readonly cases: readonly DetectionFixtureCase[];
}

export interface DetectionFixtureCase {
  /** What the case shows; the test's name. */
  readonly name: string;
  /** Lure's own object and app ids (lower-cased) for this case; none unless given. */
  readonly selfPrincipalIds?: readonly string[];
  /** One raw record as the Event Hub, the Management Activity API or the token gateway delivers it. */
  readonly record: unknown;
  readonly expect: FixtureExpectation;
}

export interface FixtureExpectation {
  /** Exactly this many findings. */
  readonly findings: number;
  /** Every finding has this severity. */
  readonly severity?: Severity;
  /** Every finding is about this decoy. */
  readonly decoyId?: string;
  /** Every finding is suppressed (a disabled decoy) or not; findings on enabled decoys must say false. */
  readonly suppressed?: boolean;
  /** Every finding's summary contains this text. */
  readonly summaryIncludes?: string;
}

export const DETECTION_FIXTURES = path.join(FIXTURES, 'detections');
export const DECOY_FILE = path.join(FIXTURES, 'decoys.json');

export function detectionFixturePath(detectionId: string): string {
  return path.join(DETECTION_FIXTURES, `${detectionId}.json`);
}

/** `decoy.user.signIn` -> `decoyUserSignIn`: the name of a detection's module and of its export. */
export function camelCaseOf(detectionId: string): string {
  const [first = '', ...rest] = detectionId.split('.');
  return first + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/** The signing keys fixtures are judged against: the corpus snapshot of the organisations key set is not
 * copied here, so fixtures carry their keys in `test/fixtures/signingKeys.json` (our own). */
export function fixtureSigningContext(): SigningContext {
  const document: unknown = JSON.parse(readFileSync(path.join(FIXTURES, 'signingKeys.json'), 'utf8'));
  const { keys, fetches } = document as { keys: SigningKey[]; fetches: KeySetFetch[] };
  return {
    keys: new SigningKeyIndex(keys, fetches, 48),
    authorityHost: 'https://login.microsoftonline.com',
    v1IssuerHost: 'https://sts.windows.net',
    retiredAlertAfterInHours: 72,
  };
}

/** The decoys every fixture is written against (`test/fixtures/decoys.json`). */
export function loadFixtureDecoys(): DecoyIndex {
  return new DecoyIndex(parseDecoyFile(JSON.parse(readFileSync(DECOY_FILE, 'utf8'))));
}

/** Reads and validates a detection's fixture file, so a malformed fixture fails loudly instead of testing nothing. */
export function loadDetectionFixture(detectionId: string): DetectionFixture {
  const file = detectionFixturePath(detectionId);
  return parseDetectionFixture(JSON.parse(readFileSync(file, 'utf8')), path.relative(FIXTURES, file));
}

const expectationSchema = z.strictObject({
  findings: z.number().int().min(0),
  severity: z.enum(SEVERITIES).optional(),
  decoyId: z.string().min(1).optional(),
  suppressed: z.boolean().optional(),
  summaryIncludes: z.string().min(1).optional(),
});

const fixtureSchema = z.strictObject({
  description: z.string().trim().min(1),
  cases: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1),
        selfPrincipalIds: z.array(z.string().refine((id) => id === id.toLowerCase(), 'must be lower-cased')).optional(),
        record: z.unknown().refine((record) => record !== undefined, 'is missing'),
        expect: expectationSchema,
      }),
    )
    .min(1)
    .refine((cases) => new Set(cases.map((entry) => entry.name)).size === cases.length, 'case names must be unique'),
});

/** Validates a fixture file, so a malformed fixture fails loudly instead of testing nothing. */
export function parseDetectionFixture(input: unknown, where: string): DetectionFixture {
  const parsed = fixtureSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`${where} ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Normalizes the case's record (it must be accepted, as an event kind the detection reads) and runs that one
 * detection on it, with the fixture decoys and the case's own idea of Lure's identity.
 */
export function runDetectionCase(detection: Detection, fixtureCase: DetectionFixtureCase, decoys: DecoyIndex): Finding[] {
  const outcome = normalizeRecord(fixtureCase.record);
  if (isSkip(outcome)) assert.fail(`the record was skipped by normalizeRecord: ${outcome.skipped} (${outcome.detail})`);
  assert.ok(
    detection.eventKinds.includes(outcome.kind),
    `the record became a "${outcome.kind}" event, which ${detection.id} does not read (it reads ${detection.eventKinds.join(', ')})`,
  );
  return detection.detect(outcome, { decoys, selfPrincipalIds: new Set(fixtureCase.selfPrincipalIds ?? []), signing: fixtureSigningContext() });
}

/** Asserts the findings against the case's expectations: exact count, then every stated property of every finding. */
export function assertFindings(detection: Detection, findings: readonly Finding[], expect: FixtureExpectation): void {
  assert.equal(findings.length, expect.findings, `expected ${expect.findings} finding(s), got ${findings.length}: ${summaries(findings)}`);
  for (const finding of findings) {
    assert.equal(finding.detection, detection.id);
    assert.ok(detection.severities.includes(finding.severity), `severity ${finding.severity} is not one ${detection.id} declares`);
    if (expect.severity !== undefined) assert.equal(finding.severity, expect.severity, `severity of: ${finding.summary}`);
    if (expect.decoyId !== undefined) {
      assert.equal(finding.decoyId, expect.decoyId, `decoy of: ${finding.summary}`);
      assert.equal(finding.subjectKey, expect.decoyId, 'a decoy finding is keyed by its decoy');
    }
    assert.equal(finding.suppressed, expect.suppressed ?? false, `suppressed flag of: ${finding.summary}`);
    if (expect.summaryIncludes !== undefined) {
      assert.ok(finding.summary.includes(expect.summaryIncludes), `summary ${JSON.stringify(finding.summary)} lacks ${JSON.stringify(expect.summaryIncludes)}`);
    }
    assert.ok(finding.title.trim() !== '', 'a finding has a title');
    assert.ok(finding.evidence.id !== '', 'evidence names its record');
    assert.ok(!Number.isNaN(Date.parse(finding.evidence.time)), `evidence time ${finding.evidence.time} is a timestamp`);
  }
}

function summaries(findings: readonly Finding[]): string {
  return findings.length === 0 ? '(none)' : findings.map((finding) => `[${finding.decoyId ?? '?'}] ${finding.summary}`).join(' | ');
}

/** The fixture case of that name; fails the test when a renamed case leaves an assertion pointing nowhere. */
export function fixtureCase(fixture: DetectionFixture, name: string): DetectionFixtureCase {
  const found = fixture.cases.find((entry) => entry.name === name);
  if (found === undefined) assert.fail(`no fixture case named ${JSON.stringify(name)}`);
  return found;
}

/** The single finding a positive case raises. */
export function onlyFinding(detection: Detection, fixture: DetectionFixture, name: string, decoys: DecoyIndex): Finding {
  const findings = runDetectionCase(detection, fixtureCase(fixture, name), decoys);
  assert.equal(findings.length, 1, `case ${JSON.stringify(name)} raises exactly one finding`);
  const [finding] = findings;
  assert.ok(finding !== undefined);
  return finding;
}

/** One test per fixture case of the detection: its findings must be exactly what the case expects. */
export function describeFixtureCases(detection: Detection, fixture = loadDetectionFixture(detection.id), decoys = loadFixtureDecoys()): void {
  describe(`${detection.id} fixtures`, () => {
    for (const fixtureCase of fixture.cases) {
      it(fixtureCase.name, () => {
        assertFindings(detection, runDetectionCase(detection, fixtureCase, decoys), fixtureCase.expect);
      });
    }
  });
}

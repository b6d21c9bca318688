import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DecoyIndex } from '../../src/decoys/decoyIndex.js';
import { parseDecoyFile } from '../../src/decoys/parseDecoys.js';
import { SEVERITIES, type Severity } from '../../src/domain/alerts.js';
import type { Detection, Finding } from '../../src/detections/detection.js';
import { normalizeRecord } from '../../src/normalize/normalizeRecord.js';
import { isSkip } from '../../src/normalize/outcome.js';
import { FIXTURES } from './paths.js';

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

/** The decoys every fixture is written against (`test/fixtures/decoys.json`). */
export function loadFixtureDecoys(): DecoyIndex {
  return new DecoyIndex(parseDecoyFile(JSON.parse(readFileSync(DECOY_FILE, 'utf8'))));
}

/** Reads and validates a detection's fixture file, so a malformed fixture fails loudly instead of testing nothing. */
export function loadDetectionFixture(detectionId: string): DetectionFixture {
  const file = detectionFixturePath(detectionId);
  return parseDetectionFixture(JSON.parse(readFileSync(file, 'utf8')), path.relative(FIXTURES, file));
}

export function parseDetectionFixture(input: unknown, where: string): DetectionFixture {
  const fixture = asObject(input, where);
  const description = fixture['description'];
  if (typeof description !== 'string' || description.trim() === '') throw new TypeError(`${where}: description must be a non-empty string`);
  const cases = fixture['cases'];
  if (!Array.isArray(cases) || cases.length === 0) throw new TypeError(`${where}: cases must be a non-empty array`);
  const parsed = cases.map((entry: unknown, index) => parseCase(entry, `${where} cases[${index}]`));
  const names = new Set<string>();
  for (const fixtureCase of parsed) {
    if (names.has(fixtureCase.name)) throw new TypeError(`${where}: duplicate case name "${fixtureCase.name}"`);
    names.add(fixtureCase.name);
  }
  return { description, cases: parsed };
}

function parseCase(input: unknown, where: string): DetectionFixtureCase {
  const entry = asObject(input, where);
  const name = entry['name'];
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`${where}.name must be a non-empty string`);
  if (!('record' in entry)) throw new TypeError(`${where}.record is missing`);
  const expect = asObject(entry['expect'], `${where}.expect`);
  const findings = expect['findings'];
  if (typeof findings !== 'number' || !Number.isInteger(findings) || findings < 0) {
    throw new TypeError(`${where}.expect.findings must be a whole number`);
  }
  const severity = optionalString(expect, 'severity', where);
  if (severity !== undefined && !isSeverity(severity)) throw new TypeError(`${where}.expect.severity must be one of ${SEVERITIES.join(', ')}`);
  const suppressed = expect['suppressed'];
  if (suppressed !== undefined && typeof suppressed !== 'boolean') throw new TypeError(`${where}.expect.suppressed must be a boolean`);
  const unknownKeys = Object.keys(expect).filter((key) => !['findings', 'severity', 'decoyId', 'suppressed', 'summaryIncludes'].includes(key));
  if (unknownKeys.length > 0) throw new TypeError(`${where}.expect has unknown field(s) ${unknownKeys.join(', ')}`);

  const selfIds = entry['selfPrincipalIds'];
  let selfPrincipalIds: string[] | undefined;
  if (selfIds !== undefined) {
    if (!Array.isArray(selfIds) || !selfIds.every((id): id is string => typeof id === 'string' && id === id.toLowerCase())) {
      throw new TypeError(`${where}.selfPrincipalIds must be an array of lower-cased ids`);
    }
    selfPrincipalIds = selfIds;
  }
  const decoyId = optionalString(expect, 'decoyId', where);
  const summaryIncludes = optionalString(expect, 'summaryIncludes', where);
  return {
    name,
    ...(selfPrincipalIds === undefined ? {} : { selfPrincipalIds }),
    record: entry['record'],
    expect: {
      findings,
      ...(severity === undefined ? {} : { severity }),
      ...(decoyId === undefined ? {} : { decoyId }),
      ...(suppressed === undefined ? {} : { suppressed }),
      ...(summaryIncludes === undefined ? {} : { summaryIncludes }),
    },
  };
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
  return detection.detect(outcome, { decoys, selfPrincipalIds: new Set(fixtureCase.selfPrincipalIds ?? []) });
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

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function optionalString(object: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new TypeError(`${where}.expect.${key} must be a non-empty string`);
  return value;
}

function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
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

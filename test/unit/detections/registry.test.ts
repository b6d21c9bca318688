import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ALL_DETECTIONS, DETECTIONS, detectionsByKind, STATEFUL_DETECTIONS, TIMER_DETECTIONS } from '../../../src/detections/index.js';
import { camelCaseOf, detectionFixturePath, loadDetectionFixture, loadFixtureDecoys } from '../../helpers/detectionFixtures.js';
import { PROJECT_ROOT } from '../../helpers/paths.js';

const ATTACK = /^TA\d{4}:T\d{4}(\.\d{3})?$/;
const DETECTIONS_SOURCE = path.join(PROJECT_ROOT, 'src', 'detections');
const DETECTION_TESTS = path.join(PROJECT_ROOT, 'test', 'unit', 'detections');

/** D3FEND's Decoy Object techniques (d3fend.mitre.org, Deceive tactic). */
const D3FEND_DECOYS = new Set(['D3-DO', 'D3-DF', 'D3-DNR', 'D3-DP', 'D3-DPR', 'D3-DST', 'D3-DUC']);

describe('detection registry', () => {
  it('lists at least one detection, each id once', () => {
    assert.ok(DETECTIONS.length > 0);
    const ids = DETECTIONS.map((detection) => detection.id);
    assert.deepEqual([...new Set(ids)], ids);
  });

  it('gives every detection, per event or deferred, an id of its own', () => {
    const ids = ALL_DETECTIONS.map((detection) => detection.id);
    assert.deepEqual([...new Set(ids)], ids);
  });

  for (const detection of STATEFUL_DETECTIONS) {
    it(`${detection.id} (stateful) has metadata, ATT&CK pairs, its module, and a replay fixture with its expectations`, async () => {
      for (const field of [detection.title, detection.description, detection.runbook]) assert.ok(field.trim() !== '');
      for (const entry of detection.attack) assert.match(entry, ATTACK);
      const moduleName = camelCaseOf(detection.id);
      const module: unknown = await import(pathToFileURL(path.join(DETECTIONS_SOURCE, `${moduleName}.ts`)).href);
      assert.equal((module as Record<string, unknown>)[moduleName], detection);
      for (const suffix of ['.ndjson', '.expected.json']) {
        assert.ok(
          existsSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'replay', `${detection.id}${suffix}`)),
          `test/fixtures/replay/${detection.id}${suffix}`,
        );
      }
    });
  }

  for (const detection of TIMER_DETECTIONS) {
    it(`${detection.id} (timer) has metadata, ATT&CK pairs and its module`, async () => {
      for (const field of [detection.title, detection.description, detection.runbook]) assert.ok(field.trim() !== '');
      for (const entry of detection.attack) assert.match(entry, ATTACK);
      const moduleName = camelCaseOf(detection.id);
      const module: unknown = await import(pathToFileURL(path.join(DETECTIONS_SOURCE, `${moduleName}.ts`)).href);
      assert.equal((module as Record<string, unknown>)[moduleName], detection);
    });
  }

  it('routes every detection from each event kind it reads', () => {
    const byKind = detectionsByKind();
    for (const detection of DETECTIONS) {
      assert.ok(detection.eventKinds.length > 0, `${detection.id} reads no event kind`);
      for (const kind of detection.eventKinds) assert.ok(byKind.get(kind)?.includes(detection), `${detection.id} is not routed ${kind} events`);
    }
  });

  for (const detection of DETECTIONS) {
    describe(detection.id, () => {
      const moduleName = camelCaseOf(detection.id);

      it('has metadata: title, description, runbook, severities', () => {
        for (const field of [detection.title, detection.description, detection.runbook]) assert.ok(field.trim() !== '');
        assert.ok(detection.severities.length > 0);
      });

      it('names MITRE ATT&CK as tactic:technique pairs', () => {
        assert.ok(detection.attack.length > 0, 'at least one ATT&CK pair');
        for (const entry of detection.attack) assert.match(entry, ATTACK);
      });

      it('names the D3FEND decoy technique of a decoy detection, and none for the others', () => {
        for (const entry of detection.d3fend) assert.ok(D3FEND_DECOYS.has(entry), `${entry} is a D3FEND decoy technique`);
        assert.equal(detection.d3fend.length > 0, detection.id.startsWith('decoy.'), 'decoy detections, and only they, are deception');
      });

      it(`lives in src/detections/${moduleName}.ts, which exports it under that name`, async () => {
        const file = path.join(DETECTIONS_SOURCE, `${moduleName}.ts`);
        assert.ok(existsSync(file), `${path.relative(PROJECT_ROOT, file)} exists`);
        const module: unknown = await import(pathToFileURL(file).href);
        assert.ok(typeof module === 'object' && module !== null);
        assert.equal((module as Record<string, unknown>)[moduleName], detection, `${moduleName}.ts exports ${moduleName} as the registered detection`);
      });

      it('has a fixture test of its own', () => {
        const file = path.join(DETECTION_TESTS, `${moduleName}.test.ts`);
        assert.ok(existsSync(file), `${path.relative(PROJECT_ROOT, file)} exists`);
      });

      it(`has fixtures at test/fixtures/detections/${detection.id}.json with positive and negative cases`, () => {
        assert.ok(existsSync(detectionFixturePath(detection.id)), 'the fixture file exists');
        const fixture = loadDetectionFixture(detection.id);
        const positives = fixture.cases.filter((fixtureCase) => fixtureCase.expect.findings > 0);
        const negatives = fixture.cases.filter((fixtureCase) => fixtureCase.expect.findings === 0);
        assert.ok(positives.length > 0, 'at least one positive case (findings > 0)');
        assert.ok(negatives.length > 0, 'at least one negative case (findings 0)');
      });

      it('states severity and decoy of every positive case, using only declared severities and known decoys', () => {
        const decoyIds = new Set(loadFixtureDecoys().decoys.map((decoy) => decoy.id));
        for (const fixtureCase of loadDetectionFixture(detection.id).cases) {
          const { expect } = fixtureCase;
          if (expect.findings === 0) {
            assert.deepEqual(Object.keys(expect), ['findings'], `negative case "${fixtureCase.name}" expects nothing but 0 findings`);
            continue;
          }
          assert.ok(expect.severity !== undefined, `positive case "${fixtureCase.name}" states a severity`);
          assert.ok(detection.severities.includes(expect.severity), `"${fixtureCase.name}": ${expect.severity} is a severity ${detection.id} declares`);
          // Decoy detections name their decoy; other detections (signing keys) have none to name.
          if (!detection.id.startsWith('decoy.')) continue;
          assert.ok(expect.decoyId !== undefined, `positive case "${fixtureCase.name}" states a decoyId`);
          assert.ok(decoyIds.has(expect.decoyId), `"${fixtureCase.name}": decoy ${expect.decoyId} is in test/fixtures/decoys.json`);
        }
      });
    });
  }
});

describe('camelCaseOf', () => {
  it('joins the dotted parts of an id, capitalising all but the first', () => {
    assert.equal(camelCaseOf('decoy.user.signIn'), 'decoyUserSignIn');
    assert.equal(camelCaseOf('decoy.mailItem.accessed'), 'decoyMailItemAccessed');
    assert.equal(camelCaseOf('token.signingKey.anomalous'), 'tokenSigningKeyAnomalous');
  });
});

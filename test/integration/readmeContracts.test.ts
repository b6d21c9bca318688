import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { replay } from '../../src/app/replay.js';
import { DECOY_FILE, MIXED_FILE } from '../helpers/mixedFixture.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { testServices } from '../helpers/services.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';

/** The first fenced JSON block after `heading` in the README. */
function readmeJsonAfter(heading: string): unknown {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  assert.ok(block, `a JSON block after ${heading}`);
  return JSON.parse(block[1]!);
}

describe('the README states the contracts as the code has them', () => {
  it('its alert example is what lure replay prints for that fixture (detectedAt aside, evidence cut to one)', async () => {
    const example = readmeJsonAfter('### Alerts') as { id: string; detectedAt: string; evidence: unknown[] };
    const result = await replay(await testServices({ store: memoryStateStore() }), { files: [MIXED_FILE], decoyFile: DECOY_FILE });
    const alert = result.alerts.find((candidate) => candidate.id === example.id);
    assert.ok(alert, `replay raises alert ${example.id}`);
    assert.deepEqual({ ...alert, detectedAt: example.detectedAt, evidence: alert.evidence.slice(0, 1) }, example);
  });

  it('its decoy file example has every kind, in the shape the decoy file takes', () => {
    const example = readmeJsonAfter('## Decoy file') as { decoys: { kind: string }[] };
    assert.deepEqual(
      example.decoys.map((decoy) => decoy.kind),
      ['user', 'application', 'mailItem', 'token', 'file'],
    );
  });
});

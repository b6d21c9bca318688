import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cleanEnvironment, interruptLure, spawnLure, waitFor } from '../helpers/cli.js';
import { MIXED_FILE } from '../helpers/mixedFixture.js';

const DEMO_DETECTIONS = [
  'decoy.user.signIn',
  'decoy.application.signIn',
  'decoy.object.accessed',
  'decoy.object.modified',
  'decoy.mailItem.accessed',
  'decoy.token.used',
  'token.issuance.missing',
  'token.signingKey.anomalous',
];

describe('lure start (npm start)', () => {
  it('shows the demo alerts on first start, ingests dropped files, stops cleanly, and does not re-alert on restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-start-'));
    const environment = cleanEnvironment({ LURE_DATA_DIR: dataDir });

    const first = spawnLure(['start'], environment);
    try {
      await waitFor(
        () => DEMO_DETECTIONS.every((detection) => first.output.stdout.includes(` ${detection} `)),
        () => `demo alerts; stdout:\n${first.output.stdout}\nstderr:\n${first.output.stderr}`,
      );
      assert.match(first.output.stderr, /First start: loaded 6 demo decoys/);
      await waitFor(
        () => first.output.stderr.includes('suppressed hit on disabled decoy d-user-2'),
        () => first.output.stderr,
      );
      assert.doesNotMatch(first.output.stdout, /svc-scanner/, 'a hit on a disabled decoy is never notified');
      assert.match(first.output.stdout, /\[CRITICAL\] decoy\.user\.signIn {2}Successful sign-in as decoy user svc-backup@contoso\.example/);
      await waitFor(
        () => first.output.stderr.includes('demo-scenario.ndjson: 18 records'),
        () => first.output.stderr,
      );
      // The README's sample output shows the attacker downloading the decoy file.
      assert.match(
        first.output.stdout,
        /\[CRITICAL\] decoy\.file\.accessed {2}Decoy file Q3 payroll export\.xlsx in https:\/\/contoso\.sharepoint\.com\/sites\/finance was accessed\n {4}FileDownloaded in SharePoint by j\.doe@contoso\.example from 203\.0\.113\.45\./,
      );

      // A file dropped while running. Its decoy-user sign-ins come from the demo attacker's address in the same
      // hour, so they fold into the demo alert, which is printed again with four records.
      const before = first.output.stdout.length;
      copyFileSync(MIXED_FILE, path.join(dataDir, 'inbox', 'dropped.ndjson'));
      await waitFor(
        () => first.output.stderr.includes('dropped.ndjson: 21 records'),
        () => first.output.stderr,
      );
      assert.match(first.output.stdout.slice(before), /decoy\.user\.signIn {2}Successful sign-in as decoy user svc-backup@contoso\.example\n.*\(4 records,/);
      assert.ok(readdirSync(path.join(dataDir, 'inbox', 'processed')).some((name) => name.endsWith('-dropped.ndjson')));
      assert.equal(existsSync(path.join(dataDir, 'inbox', 'dropped.ndjson')), false);
    } finally {
      assert.equal(await interruptLure(first), 0, first.output.stderr);
    }
    assert.match(first.output.stderr, /SIGINT received, stopping/);

    const second = spawnLure(['start'], environment);
    try {
      await waitFor(
        () => second.output.stderr.includes('Watching'),
        () => second.output.stderr,
      );
      assert.match(second.output.stderr, /Decoys in force: 6/);
      assert.doesNotMatch(second.output.stderr, /First start/);
    } finally {
      assert.equal(await interruptLure(second), 0, second.output.stderr);
    }
    assert.equal(second.output.stdout, '', 'nothing was raised again after the restart');
  });
});

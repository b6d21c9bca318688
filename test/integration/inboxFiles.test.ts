import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { cleanEnvironment, interruptLure, spawnLure, waitFor } from '../helpers/cli.js';
import { signInRecord } from '../helpers/records.js';

/** A sign-in of the fixture's decoy user: one line, one alert. */
function decoySignInLine(time: string): string {
  return JSON.stringify(signInRecord({ time, userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' }));
}

describe('the inbox of lure start never ingests a file before it is complete', () => {
  it('a file written in two halves three seconds apart raises its alert and dead-letters nothing; a *.partial renamed in is ingested once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-inbox-'));
    const inbox = path.join(dataDir, 'inbox');
    // The demo decoys include the user these sign-ins name. The default settle interval (1 s) is shorter
    // than the writer's pause: only the cut-short check holds the file back.
    const environment = cleanEnvironment({ LURE_DATA_DIR: dataDir });
    const running = spawnLure(['start'], environment);
    try {
      await waitFor(
        () => running.output.stderr.includes('demo-scenario.ndjson: 18 records'),
        () => running.output.stderr,
      );
      const line = decoySignInLine('2026-11-02T08:14:03.123Z');
      const file = path.join(inbox, 'slow.ndjson');
      await writeFile(file, line.slice(0, 200));
      await sleep(3_000);
      await appendFile(file, `${line.slice(200)}\n`);
      await waitFor(
        () => running.output.stderr.includes('slow.ndjson: 1 record,'),
        () => running.output.stderr,
      );
      assert.match(running.output.stderr, /slow\.ndjson: its last record is cut short, so it stays in the inbox/);
      assert.match(running.output.stderr, /slow\.ndjson: 1 record, [1-9]\d* alerts? raised or updated, 0 dead-lettered/);

      const partial = path.join(inbox, 'renamed.ndjson.partial');
      writeFileSync(partial, `${decoySignInLine('2026-11-02T09:14:03.123Z')}\n`);
      await sleep(1_500);
      assert.doesNotMatch(running.output.stderr, /renamed\.ndjson/, 'a .partial file is left alone');
      renameSync(partial, path.join(inbox, 'renamed.ndjson'));
      await waitFor(
        () => running.output.stderr.includes('renamed.ndjson: 1 record,'),
        () => running.output.stderr,
      );
      await sleep(1_500);
      assert.equal(running.output.stderr.split('renamed.ndjson: 1 record,').length - 1, 1, 'ingested once');
      assert.equal(existsSync(path.join(inbox, 'renamed.ndjson')), false);
      assert.equal(readdirSync(path.join(inbox, 'processed')).length, 3, 'the demo scenario, slow.ndjson and renamed.ndjson');
    } finally {
      assert.equal(await interruptLure(running), 0, running.output.stderr);
    }
  });
});

describe('Ctrl-C during a long inbox file', () => {
  it('says how far the file has come; a second Ctrl-C leaves it in the inbox, and the next start ingests it once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-ctrlc-'));
    const inbox = path.join(dataDir, 'inbox');
    const environment = cleanEnvironment({ LURE_DATA_DIR: dataDir, LURE_DEMO: 'false', LURE_INBOX_SETTLE_IN_MILLISECONDS: '100' });
    const first = spawnLure(['start'], environment);
    await waitFor(
      () => first.output.stderr.includes('Watching'),
      () => first.output.stderr,
    );
    // Sign-ins of ordinary users, each issuing a token Lure indexes in its store: the file takes seconds.
    const lines = Array.from({ length: 20_000 }, (_, index) =>
      JSON.stringify(
        signInRecord({
          time: new Date(Date.parse('2026-11-02T08:00:00.000Z') + index * 1000).toISOString(),
          uti: `longUti${String(index).padStart(14, '0')}`,
          userPrincipalName: `user${index}@contoso.example`,
          ipAddress: '198.51.100.7',
        }),
      ),
    );
    writeFileSync(path.join(inbox, 'long.ndjson.partial'), `${lines.join('\n')}\n`);
    renameSync(path.join(inbox, 'long.ndjson.partial'), path.join(inbox, 'long.ndjson'));
    await waitFor(
      () => /long\.ndjson: reading [\d.]+ MB/.test(first.output.stderr),
      () => first.output.stderr,
    );

    const exited = new Promise<number | null>((resolve) => first.once('close', (code) => resolve(code)));
    first.kill('SIGINT');
    await waitFor(
      () =>
        /SIGINT received, stopping; finishing long\.ndjson: [\d.]+ \/ [\d.]+ MB; Ctrl-C again to stop now — the file stays in the inbox/.test(
          first.output.stderr,
        ),
      () => first.output.stderr,
    );
    first.kill('SIGINT');
    assert.equal(await exited, 0, first.output.stderr);
    assert.match(first.output.stderr, /long\.ndjson: stopped at [\d.]+ of [\d.]+ MB; it stays in the inbox/);
    assert.equal(existsSync(path.join(inbox, 'long.ndjson')), true);

    const second = spawnLure(['start'], environment);
    try {
      await waitFor(
        () => second.output.stderr.includes('long.ndjson: 20,000 records,'),
        () => second.output.stderr,
      );
      assert.equal(existsSync(path.join(inbox, 'long.ndjson')), false);
      assert.equal(readdirSync(path.join(inbox, 'processed')).length, 1);
    } finally {
      assert.equal(await interruptLure(second), 0, second.output.stderr);
    }
    assert.equal(second.output.stderr.split('long.ndjson: 20,000 records,').length - 1, 1, 'ingested once');
  });
});

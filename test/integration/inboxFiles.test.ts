import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { cleanEnvironment, spawnLure, waitFor } from '../helpers/cli.js';
import { signInRecord } from '../helpers/records.js';

/** A sign-in of the fixture's decoy user: one line, one alert. */
function decoySignInLine(time: string): string {
  return JSON.stringify(signInRecord({ time, userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' }));
}

async function stop(child: ReturnType<typeof spawnLure>): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
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
      await waitFor(() => running.output.stderr.includes('demo-scenario.ndjson: 17 records'), () => running.output.stderr);
      const line = decoySignInLine('2026-11-02T08:14:03.123Z');
      const file = path.join(inbox, 'slow.ndjson');
      await writeFile(file, line.slice(0, 200));
      await sleep(3_000);
      await appendFile(file, `${line.slice(200)}\n`);
      await waitFor(() => running.output.stderr.includes('slow.ndjson: 1 record,'), () => running.output.stderr);
      assert.match(running.output.stderr, /slow\.ndjson: its last record is cut short, so it stays in the inbox/);
      assert.match(running.output.stderr, /slow\.ndjson: 1 record, [1-9]\d* alerts? raised or updated, 0 dead-lettered/);

      const partial = path.join(inbox, 'renamed.ndjson.partial');
      writeFileSync(partial, `${decoySignInLine('2026-11-02T09:14:03.123Z')}\n`);
      await sleep(1_500);
      assert.doesNotMatch(running.output.stderr, /renamed\.ndjson/, 'a .partial file is left alone');
      renameSync(partial, path.join(inbox, 'renamed.ndjson'));
      await waitFor(() => running.output.stderr.includes('renamed.ndjson: 1 record,'), () => running.output.stderr);
      await sleep(1_500);
      assert.equal(running.output.stderr.split('renamed.ndjson: 1 record,').length - 1, 1, 'ingested once');
      assert.equal(existsSync(path.join(inbox, 'renamed.ndjson')), false);
      assert.equal(readdirSync(path.join(inbox, 'processed')).length, 3, 'the demo scenario, slow.ndjson and renamed.ndjson');
    } finally {
      assert.equal(await stop(running), 0, running.output.stderr);
    }
  });
});

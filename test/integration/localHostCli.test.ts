import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/domain/alerts.js';
import { cleanEnvironment, interruptLure, runLure, spawnLure, waitFor } from '../helpers/cli.js';

describe('one local Lure per data folder, and a CLI that finds it', () => {
  it("refuses a second lure start on the folder, naming the first; lure status, alerts and dead-letters read the running host's store", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-host-'));
    const environment = cleanEnvironment({ LURE_DATA_DIR: dataDir });
    const first = spawnLure(['start'], environment);
    try {
      await waitFor(
        () => first.output.stderr.includes('demo-scenario.ndjson: 18 records'),
        () => first.output.stderr,
      );
      const hostFile = path.join(dataDir, 'local-host.json');
      assert.equal(statSync(hostFile).mode & 0o777, 0o600, 'owner-readable only: it holds the store connection');

      const second = await runLure(['start'], environment);
      assert.notEqual(second.code, 0);
      assert.match(second.stderr, new RegExp(`another Lure is running on ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: pid ${first.pid}`));
      assert.doesNotMatch(second.stderr, /Watching/);

      const status = await runLure(['status'], environment);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stderr, new RegExp(`using the store of the local Lure running on .* \\(pid ${first.pid}\\)`));
      assert.ok(Array.isArray((JSON.parse(status.stdout) as { channels: unknown[] }).channels));

      const alerts = await runLure(['alerts'], environment);
      assert.equal(alerts.code, 0, alerts.stderr);
      const listed = alerts.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Alert);
      assert.ok(
        listed.some((alert) => alert.detection === 'decoy.user.signIn'),
        alerts.stdout,
      );
      const open = await runLure(['alerts', '--status', 'open'], environment);
      assert.ok(
        open.stdout
          .trim()
          .split('\n')
          .every((line) => (JSON.parse(line) as Alert).status === 'open'),
      );

      const letters = await runLure(['dead-letters'], environment);
      assert.equal(letters.code, 0, letters.stderr);
      assert.match(letters.stderr, /lure: 1 dead letter\n/);
      assert.equal(typeof (JSON.parse(letters.stdout.trim()) as { reason: string }).reason, 'string');

      const incidents = await runLure(['incidents'], environment);
      assert.equal(incidents.code, 0, incidents.stderr);
    } finally {
      assert.equal(await interruptLure(first), 0, first.output.stderr);
    }
    assert.equal(existsSync(path.join(dataDir, 'local-host.json')), false, 'released on stop');
    const afterwards = await runLure(['status'], environment);
    assert.equal(afterwards.code, 2);
    assert.match(afterwards.stderr, /no local Lure is running on/);
  });
});

describe('lure start writes one kind of line on stderr', () => {
  for (const format of ['json', 'human'] as const) {
    it(`all ${format === 'json' ? 'JSON objects' : 'text'} with LURE_LOG_FORMAT=${format}`, async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-log-'));
      const host = spawnLure(['start'], cleanEnvironment({ LURE_DATA_DIR: dataDir, LURE_LOG_FORMAT: format }));
      try {
        await waitFor(
          () => host.output.stderr.includes('demo-scenario.ndjson: 18 records'),
          () => host.output.stderr,
        );
      } finally {
        assert.equal(await interruptLure(host), 0, host.output.stderr);
      }
      const lines = host.output.stderr.split('\n').filter((line) => line !== '');
      assert.ok(lines.some((line) => line.includes('SIGINT received, stopping')));
      for (const line of lines) {
        if (format === 'json') {
          const entry = JSON.parse(line) as { level?: unknown; message?: unknown };
          assert.ok(typeof entry.level === 'string' && typeof entry.message === 'string', line);
        } else {
          assert.match(line, /^lure: /, line);
        }
      }
    });
  }
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/domain/alerts.js';
import { accountedLine, runLure } from '../helpers/cli.js';
import { DECOY_FILE } from '../helpers/mixedFixture.js';
import { CORPUS } from './corpus.js';

describe('lure replay over the shared corpus', () => {
  it('reads every corpus file, exits 0, and its summary accounts for every record', async () => {
    const files = readdirSync(CORPUS)
      .filter((name) => name.endsWith('.ndjson'))
      .map((name) => path.join(CORPUS, name));
    assert.ok(files.length >= 5);
    // Each corpus line is one record (SOURCES.md: the collectors had unwrapped the envelopes).
    const lines = files.reduce(
      (sum, file) =>
        sum +
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '').length,
      0,
    );
    const result = await runLure(['replay', '--decoys', DECOY_FILE, ...files]);
    assert.equal(result.code, 0, result.stderr);
    const accounted = accountedLine(result.stderr);
    assert.equal(accounted.read, lines);
    assert.equal(accounted.accepted + accounted.skipped, accounted.read);
    assert.ok(accounted.accepted > 0);
    assert.match(result.stderr, /^accepted \d+$/m);
    assert.match(result.stderr, /^ {2}entra {5}.*signIn \d+/m);
    for (const line of result.stdout.split('\n').filter((text) => text !== '')) assert.equal(typeof (JSON.parse(line) as Alert).id, 'string');
  });
});

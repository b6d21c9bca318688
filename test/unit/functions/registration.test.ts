import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../helpers/paths.js';
import { EVENT_HUB_RETRY, eventHubOptions } from '../../../src/host/functions/eventHubTrigger.js';

const FUNCTIONS = path.join(PROJECT_ROOT, 'functions');

describe('function files', () => {
  const files = readdirSync(FUNCTIONS).filter((name) => name.endsWith('.ts'));

  it('name the file, the exported handler and the registered function with one word', () => {
    assert.ok(files.length >= 3);
    for (const file of files) {
      const name = path.basename(file, '.ts');
      const source = readFileSync(path.join(FUNCTIONS, file), 'utf8');
      assert.match(source, new RegExp(`export const ${name} = `), `${file} exports ${name}`);
      assert.match(source, new RegExp(`app\\.\\w+\\('${name}', `), `${file} registers ${name}`);
    }
  });

  it('stay thin: no logic beyond binding a trigger to a use case', () => {
    for (const file of files) {
      const lines = readFileSync(path.join(FUNCTIONS, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.trim().startsWith('//') && !line.trim().startsWith('/**') && !line.trim().startsWith('*'));
      assert.ok(lines.length <= 6, `${file} has ${lines.length} lines of code`);
    }
  });

  it('read the three hubs in batches and retry a failed batch forever, with backoff', () => {
    const handler = async () => {};
    for (const hub of ['entra', 'exchange', 'token'] as const) {
      const options = eventHubOptions(hub, handler);
      assert.equal(options.cardinality, 'many');
      assert.equal(options.connection, 'LURE_EVENTHUB');
      assert.match(options.eventHubName, /^%LURE_[A-Z]+_HUB_NAME%$/);
      assert.equal(options.retry, EVENT_HUB_RETRY);
    }
    assert.equal(EVENT_HUB_RETRY.strategy, 'exponentialBackoff');
    assert.equal(EVENT_HUB_RETRY.maxRetryCount, -1);
  });
});

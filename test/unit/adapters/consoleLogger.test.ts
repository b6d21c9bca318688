import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleLogger } from '../../../src/adapters/consoleLogger.js';

describe('consoleLogger', () => {
  it('writes one JSON object per line for log collectors', () => {
    const lines: string[] = [];
    consoleLogger({ format: 'json', write: (line) => lines.push(line) }).warn('hub lagging', { hub: 'entra', seconds: 90 });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual({ ...entry, time: undefined }, { time: undefined, level: 'warn', message: 'hub lagging', hub: 'entra', seconds: 90 });
  });

  it('writes a plain line for a person, fields after the message, and honours the minimum level', () => {
    const lines: string[] = [];
    const logger = consoleLogger({ format: 'human', minimumLevel: 'warn', write: (line) => lines.push(line) });
    logger.info('not shown');
    logger.error('store unavailable', { table: 'lureAlerts', attempt: 3, gone: undefined });
    logger.warn('plain');
    assert.deepEqual(lines, ['lure: error: store unavailable (table=lureAlerts, attempt=3)', 'lure: warn: plain']);
  });
});

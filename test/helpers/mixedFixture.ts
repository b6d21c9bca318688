import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Alert } from '../../src/domain/alerts.js';
import type { Decoy } from '../../src/domain/decoys.js';
import { parseDecoyFile } from '../../src/decoys/parseDecoys.js';
import { decodeMessage } from '../../src/normalize/decodeMessage.js';
import { FIXTURES } from './paths.js';

export const MIXED_FILE = path.join(FIXTURES, 'replay', 'mixed.ndjson');
export const DECOY_FILE = path.join(FIXTURES, 'decoys.json');

export interface ExpectedAlert {
  readonly detection: string;
  readonly decoyId: string;
  readonly severity: string;
  readonly status: string;
  readonly count: number;
  readonly ipAddress: string;
}

export const MIXED_EXPECTED = JSON.parse(readFileSync(path.join(FIXTURES, 'replay', 'mixed.expected.json'), 'utf8')) as {
  readonly read: number;
  readonly accepted: number;
  readonly alerts: readonly ExpectedAlert[];
};

export function fixtureDecoys(): Decoy[] {
  return parseDecoyFile(JSON.parse(readFileSync(DECOY_FILE, 'utf8')));
}

/** The lines of the mixed fixture: each one a message as a hub (or the poller) would deliver it. */
export function mixedMessages(): string[] {
  return readFileSync(MIXED_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Every single record of the mixed fixture (malformed lines stay as their text), for reshuffling. */
export function mixedRecords(): unknown[] {
  return mixedMessages().flatMap((message) => decodeMessage(message).map((unit) => ('record' in unit ? unit.record : unit.excerpt)));
}

/** An alert reduced to what the expectations name, sorted the same way. */
export function summarize(alerts: readonly Alert[]): ExpectedAlert[] {
  return alerts
    .map((alert) => ({
      detection: alert.detection,
      decoyId: alert.decoyId ?? '',
      severity: alert.severity,
      status: alert.status,
      count: alert.count,
      ipAddress: alert.actor.ipAddress ?? '',
    }))
    .sort(compareExpected);
}

export function compareExpected(a: ExpectedAlert, b: ExpectedAlert): number {
  return `${a.detection}|${a.decoyId}|${a.ipAddress}`.localeCompare(`${b.detection}|${b.decoyId}|${b.ipAddress}`);
}

/**
 * Writes `infra/sentinel/lureAlertsColumns.json` from the row builder's column list, which the Sentinel
 * Bicep reads for the table schema, the stream declaration and the transform. `npm run sentinel:columns`;
 * a test fails when the file and the list differ.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SENTINEL_COLUMNS } from '../src/alerting/sentinelRow.js';

export const COLUMNS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'infra', 'sentinel', 'lureAlertsColumns.json');

export function columnsDocument(): string {
  return `${JSON.stringify(SENTINEL_COLUMNS, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(COLUMNS_FILE, columnsDocument());
  process.stdout.write(`wrote ${path.relative(process.cwd(), COLUMNS_FILE)}: ${SENTINEL_COLUMNS.length} columns\n`);
}

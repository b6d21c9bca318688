import { describe } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeMessage } from '../../../src/normalize/decodeMessage.js';
import { DETECTION_FIXTURES, loadDetectionFixture } from '../../helpers/detectionFixtures.js';
import { FIXTURES } from '../../helpers/paths.js';
import { type RecordLine, recordSetChecks } from '../../helpers/recordSet.js';

/**
 * Our own records (written from the documented formats): every replay fixture and every detection
 * fixture's case. The same checks run on the shared corpus of real records in `npm run test:corpus`.
 */
function fixtureLines(): RecordLine[] {
  const replayFolder = path.join(FIXTURES, 'replay');
  const replayed = readdirSync(replayFolder)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .flatMap((name) =>
      readFileSync(path.join(replayFolder, name), 'utf8')
        .split('\n')
        .flatMap((text, index) =>
          decodeMessage(text).flatMap((unit) =>
            'record' in unit ? [{ where: `${name}:${index + 1}`, text: JSON.stringify(unit.record), record: unit.record }] : [],
          ),
        ),
    );
  const detected = readdirSync(DETECTION_FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) =>
      loadDetectionFixture(name.replace(/\.json$/, '')).cases.map((fixtureCase) => ({
        where: `${name}#${fixtureCase.name}`,
        text: JSON.stringify(fixtureCase.record),
        record: fixtureCase.record,
      })),
    );
  return [...replayed, ...detected];
}

describe('our fixture records: every one', () => {
  recordSetChecks(fixtureLines, [
    'signIn',
    'graphActivity',
    'directoryAudit',
    'mailItemsAccessed',
    'mailItemOperation',
    'mailboxChange',
    'tokenObservation',
    'every kind.actor',
    'every kind.token',
    'directoryAudit.targets[]',
    'mailItemsAccessed.folders[].items[]',
    'mailItemOperation.items[]',
    'mailboxChange.parameters[]',
  ]);
});

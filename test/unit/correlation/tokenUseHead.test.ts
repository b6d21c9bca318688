import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenUseHeadOf, tokenUseOf } from '../../../src/correlation/tokenIssuance.js';
import { isSkip } from '../../../src/normalize/outcome.js';
import { normalizeRecord } from '../../../src/normalize/normalizeRecord.js';
import { mixedRecords } from '../../helpers/mixedFixture.js';
import { graphRecord, mailItemsAccessedRecord, signInRecord } from '../../helpers/records.js';

describe('tokenUseHeadOf', () => {
  it('says of every event exactly what tokenUseOf says of its token id, source and app', () => {
    const records = [
      ...mixedRecords(),
      graphRecord({ time: '2026-11-02T08:00:00.000Z', uti: 'graph-uti' }),
      graphRecord({ time: '2026-11-02T08:00:00.000Z', uti: 'app-uti', servicePrincipalId: 'sp-1', appId: 'APP-1' }),
      mailItemsAccessedRecord({ time: '2026-11-02T08:00:00.000Z', uti: 'mail-uti' }),
      signInRecord({ time: '2026-11-02T08:00:00.000Z', uti: 'issued-uti' }),
    ];
    let compared = 0;
    for (const record of records) {
      const event = normalizeRecord(record);
      if (isSkip(event)) continue;
      for (const includeObservations of [true, false]) {
        const full = tokenUseOf(event, { includeObservations });
        const head = tokenUseHeadOf(event, { includeObservations });
        assert.deepEqual(
          head,
          full === undefined ? undefined : { uti: full.uti, source: full.source, ...(full.appId === undefined ? {} : { appId: full.appId }) },
          `${event.kind} ${event.recordId}`,
        );
        compared += full === undefined ? 0 : 1;
      }
    }
    assert.ok(compared >= 6, `uses compared: ${compared}`);
  });
});

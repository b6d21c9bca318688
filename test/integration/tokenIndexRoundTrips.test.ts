import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useAzurite } from '../helpers/azurite.js';
import { graphRecord, signInRecord } from '../helpers/records.js';
import { testServices } from '../helpers/services.js';
import { issuanceLookupOf } from '../../src/domain/tokens.js';
import { connectTableStateStore } from '../../src/adapters/tables/tableStateStore.js';

const azurite = useAzurite();
const CATEGORIES = ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs'] as const;

/** 100 sign-ins of three categories within minutes of `start`, each naming its token. */
function signInBatch(batch: number, start: number): Record<string, unknown>[] {
  return Array.from({ length: 100 }, (_, index) =>
    signInRecord({
      category: CATEGORIES[index % 3]!,
      time: new Date(start + (batch * 100 + index) * 3_000).toISOString(),
      uti: `rt${String(batch).padStart(3, '0')}${String(index).padStart(3, '0')}AAAAAAAAAAAAAAA`,
      userPrincipalName: `user${index}@contoso.example`,
    }),
  );
}

describe('token index write path (Azurite, counted HTTP requests)', () => {
  it('costs a few store round trips per 100 sign-in records, however many categories they mix', async () => {
    let requests = 0;
    const store = await connectTableStateStore({
      connection: { connectionString: azurite.connectionString() },
      tablePrefix: azurite.uniquePrefix(),
      onRequest: () => (requests += 1),
    });
    const services = await testServices({ store, settings: { LURE_DECOY_CACHE_REFRESH_IN_SECONDS: '300' } });
    const start = Date.parse('2026-11-02T08:00:00.000Z');
    const perBatch: number[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      const before = requests;
      const report = await services.ingest([{ records: signInBatch(batch, start) }], 'entra partition 0');
      assert.equal(report.tokens.issuancesIndexed, 100);
      perBatch.push(requests - before);
    }
    // First batch: the decoy list and recent journal (the registry's cache, refreshed every few minutes
    // whatever the traffic), one index transaction, one read and one write of the tenant's progress, and the
    // streams' first arrival, the stored progress lateness is measured against (read again every five
    // minutes) and this instance's first lateness row (then written at most every 30 seconds). Then: the
    // index transaction and the progress, which moves every batch.
    assert.ok(perBatch[0]! <= 8 && perBatch.slice(1).every((count) => count <= 3), `requests per batch of 100: ${perBatch.join(', ')}`);
    assert.ok(perBatch.reduce((a, b) => a + b, 0) <= 38, `requests for 1,000 sign-ins: ${perBatch.join(' + ')}`);

    // The index holds them all, across the hour boundary the last batches cross.
    const lookups = [0, 5, 9].map((batch) =>
      issuanceLookupOf(
        {
          uti: `rt${String(batch).padStart(3, '0')}050AAAAAAAAAAAAAAA`,
          issuedAt: new Date(start + (batch * 100 + 50) * 3_000).toISOString(),
          usedAt: new Date(start + 3_600_000).toISOString(),
        },
        28,
      ),
    );
    assert.equal((await store.findTokenIssuances(lookups)).size, 3);
  });

  it('writes the token uses of a batch that need a later check in one transaction per due bucket', async () => {
    let requests = 0;
    const store = await connectTableStateStore({
      connection: { connectionString: azurite.connectionString() },
      tablePrefix: azurite.uniquePrefix(),
      onRequest: () => (requests += 1),
    });
    const services = await testServices({ store, settings: { LURE_DECOY_CACHE_REFRESH_IN_SECONDS: '300' } });
    await services.ingest([{ records: signInBatch(0, Date.parse('2026-11-02T08:00:00.000Z')) }], 'warm-up');
    const uses = Array.from({ length: 100 }, (_, index) =>
      graphRecord({ time: '2026-11-02T08:30:00.000Z', issuedAt: '2026-11-02T08:29:00.000Z', uti: `pending${String(index).padStart(3, '0')}AAAAAAAAAAAA` }),
    );
    const before = requests;
    const report = await services.ingest([{ records: uses }], 'entra partition 0');
    assert.equal(report.tokens.usesPending, 100);
    // One pending-check transaction, one write of the match counts, and the Graph stream's first arrival.
    assert.ok(requests - before <= 3, `requests for 100 pending uses: ${requests - before}`);
  });
});

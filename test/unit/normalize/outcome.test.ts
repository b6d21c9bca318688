import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSkip, MAX_DETAIL_LENGTH, skip } from '../../../src/normalize/outcome.js';
import { isDeadLettered, SKIP_REASONS, type SkipReason } from '../../../src/domain/skips.js';

describe('outcome', () => {
  it('dead-letters exactly the reasons that point at something wrong', () => {
    const deadLettered = (Object.keys(SKIP_REASONS) as SkipReason[]).filter(isDeadLettered).sort();
    assert.deepEqual(deadLettered, [
      'invalid-record',
      'malformed-envelope',
      'malformed-json',
      'not-an-object',
      'too-deep',
      'too-large',
      'unknown-category',
      'unrecognized-shape',
    ]);
    for (const reason of Object.keys(SKIP_REASONS) as SkipReason[]) {
      assert.equal(isDeadLettered(reason), SKIP_REASONS[reason].includes('(dead-lettered)'), reason);
    }
  });

  it("keeps a skip's detail short, whatever the record named (an operation of 600,000 characters)", () => {
    const skipped = skip('invalid-record', `AzureActiveDirectory ${'o'.repeat(600_000)}: no readable CreationTime`);
    assert.equal(skipped.detail.length, MAX_DETAIL_LENGTH + 1);
    assert.ok(skipped.detail.startsWith('AzureActiveDirectory ooo') && skipped.detail.endsWith('…'));
    // A cut through an emoji keeps it whole or drops it, never half of it.
    const emoji = skip('invalid-record', `${'o'.repeat(MAX_DETAIL_LENGTH - 1)}😀${'o'.repeat(10)}`);
    assert.equal(emoji.detail, `${'o'.repeat(MAX_DETAIL_LENGTH - 1)}…`);
  });

  it('builds skips that isSkip recognises', () => {
    const skipped = skip('table-not-used', 'AdvancedHunting-DeviceEvents');
    assert.deepEqual(skipped, { skipped: 'table-not-used', detail: 'AdvancedHunting-DeviceEvents' });
    assert.equal(isSkip(skipped), true);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../../src/app/admin/apiError.js';
import { pageOf } from '../../../../src/app/admin/paging.js';

const items = [
  { id: 'b', time: '2026-11-28T10:00:00.000Z' },
  { id: 'a', time: '2026-11-28T10:00:00.000Z' },
  { id: 'c', time: '2026-11-28T11:00:00.000Z' },
  { id: 'd', time: '2026-11-28T09:00:00.000Z' },
  { id: 'e', time: '2026-11-28T12:00:00.000Z' },
];
const key = (item: { id: string; time: string }) => item;

describe('pageOf', () => {
  it('pages newest first, ties by id, continuing after the last item given', () => {
    const first = pageOf(items, key, 2, undefined);
    assert.deepEqual(
      first.items.map((item) => item.id),
      ['e', 'c'],
    );
    const second = pageOf(items, key, 2, first.continuation);
    assert.deepEqual(
      second.items.map((item) => item.id),
      ['a', 'b'],
    );
    const third = pageOf(items, key, 2, second.continuation);
    assert.deepEqual(
      third.items.map((item) => item.id),
      ['d'],
    );
    assert.equal(third.continuation, undefined);
  });

  it('neither repeats nor skips when items arrive between pages', () => {
    const first = pageOf(items, key, 2, undefined);
    const grown = [...items, { id: 'f', time: '2026-11-28T13:00:00.000Z' }, { id: 'aa', time: '2026-11-28T10:00:00.000Z' }];
    const rest = pageOf(grown, key, 10, first.continuation);
    assert.deepEqual(
      rest.items.map((item) => item.id),
      ['a', 'aa', 'b', 'd'],
    );
  });

  it('refuses a token it did not give', () => {
    for (const token of ['not-base64!', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      assert.throws(
        () => pageOf(items, key, 2, token),
        (error: unknown) => error instanceof ApiError && error.status === 400 && error.field === 'continuation',
      );
    }
  });
});

import { ApiError } from './apiError.js';

/** A page of items, newest first, and the token that continues after its last item. */
export interface Page<T> {
  readonly items: T[];
  readonly continuation?: string;
}

const DEFAULT_PAGE_SIZE = 50;

/**
 * Pages items by (time descending, id ascending). The continuation token names the last item given, not an
 * offset, so items arriving between two calls neither repeat nor hide one.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => { readonly time: string; readonly id: string },
  top: number | undefined,
  continuation: string | undefined,
): Page<T> {
  const after = continuation === undefined ? undefined : decodeContinuation(continuation);
  const sorted = items
    .map((item) => ({ item, key: keyOf(item) }))
    .filter(({ key }) => after === undefined || key.time < after.time || (key.time === after.time && key.id > after.id))
    .sort((a, b) => (a.key.time !== b.key.time ? (a.key.time < b.key.time ? 1 : -1) : a.key.id < b.key.id ? -1 : a.key.id > b.key.id ? 1 : 0));
  const size = top ?? DEFAULT_PAGE_SIZE;
  const page = sorted.slice(0, size);
  const last = page.at(-1);
  return { items: page.map(({ item }) => item), ...(sorted.length > size && last !== undefined ? { continuation: encodeContinuation(last.key) } : {}) };
}

function encodeContinuation(key: { readonly time: string; readonly id: string }): string {
  return Buffer.from(JSON.stringify([key.time, key.id])).toString('base64url');
}

function decodeContinuation(token: string): { time: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string')
      return { time: parsed[0], id: parsed[1] };
  } catch {
    // Falls through to the refusal below.
  }
  throw new ApiError(400, 'invalidField', 'not a continuation token this API gave', 'continuation');
}

import { createHash } from 'node:crypto';

/** Table keys are at most 1 KiB; past this many characters a key becomes a hash. */
const MAX_ENCODED_KEY_LENGTH = 512;

/**
 * A PartitionKey/RowKey for an arbitrary id. Table keys may not contain `/ \ # ?` or control characters,
 * and message and item ids do: every id is base64url-encoded (`b…`), or hashed (`h…`) when long. The
 * original id always lives in the entity's document, so the key never has to be decoded.
 */
export function encodeKey(id: string): string {
  const encoded = `b${Buffer.from(id, 'utf8').toString('base64url')}`;
  if (encoded.length <= MAX_ENCODED_KEY_LENGTH) return encoded;
  return `h${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}

/** Table string properties hold at most 64 KiB (32K UTF-16 characters); larger text is split. */
export const MAX_CHUNK_LENGTH = 30_000;

/** Splits text into numbered properties `name0…nameN` plus `nameChunks`. */
export function toChunks(name: string, text: string): Record<string, string | number> {
  const properties: Record<string, string | number> = {};
  let index = 0;
  for (let offset = 0; offset < text.length || index === 0; offset += MAX_CHUNK_LENGTH) {
    properties[`${name}${index}`] = text.slice(offset, offset + MAX_CHUNK_LENGTH);
    index += 1;
  }
  properties[`${name}Chunks`] = index;
  return properties;
}

/** Joins what `toChunks` split. Throws if the entity lacks the chunks (a corrupted or foreign entity). */
export function fromChunks(name: string, entity: Record<string, unknown>): string {
  const count = entity[`${name}Chunks`];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new TypeError(`entity property ${name}Chunks is missing or not a positive integer`);
  }
  let text = '';
  for (let index = 0; index < count; index += 1) {
    const chunk = entity[`${name}${index}`];
    if (typeof chunk !== 'string') throw new TypeError(`entity property ${name}${index} is missing`);
    text += chunk;
  }
  return text;
}

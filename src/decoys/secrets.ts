import { createHash, randomBytes, randomInt } from 'node:crypto';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#$%*+-=?@^_~';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

/**
 * A random password for a decoy user: `length` characters (at least 32) from every class Entra's complexity
 * rule counts, drawn with a CSPRNG. Look-alike characters are left out, since lures get typed.
 */
export function newPassword(length = 40): string {
  if (length < 32) throw new RangeError('a decoy password needs at least 32 characters');
  const characters = [LOWER, UPPER, DIGITS, SYMBOLS].map((set) => set.charAt(randomInt(set.length)));
  while (characters.length < length) characters.push(ALL.charAt(randomInt(ALL.length)));
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let index = characters.length - 1; index > 0; index -= 1) {
    const other = randomInt(index + 1);
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- both indices are below characters.length
    [characters[index], characters[other]] = [characters[other]!, characters[index]!];
  }
  return characters.join('');
}

/**
 * What Lure keeps of a secret: its SHA-256. The secrets are long random strings, so the hash reveals
 * nothing, yet it can tell which generation a found secret belongs to.
 */
export function fingerprintOf(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** The first three characters, as Entra shows a client secret's hint. */
export function hintOf(secret: string): string {
  return secret.slice(0, 3);
}

/** A journal entry id: ten lower-case letters and digits, the marker Lure's cloud objects carry. */
export function newJournalId(): string {
  let id = '';
  while (id.length < 10) id += 'abcdefghijklmnopqrstuvwxyz0123456789'.charAt(randomInt(36));
  return id;
}

/** A random opaque id (base64url), e.g. a honeytoken's `kid` or `jti`. */
export function newOpaqueId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export const JOURNAL_ID_PATTERN = /^[a-z0-9]{10}$/;

/** One item of a list, drawn with a CSPRNG. Throws a `RangeError` for an empty list (as `randomInt` does). */
export function randomItemOf<T>(items: readonly T[]): T {
  const item = items[randomInt(items.length)];
  if (item === undefined) throw new RangeError('randomItemOf: no items to draw from');
  return item;
}

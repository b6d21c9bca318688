import type { z } from 'zod';
import { type Decoy, DECOY_KINDS, type DecoyKind } from '../domain/decoys.js';
import { DECOY_KIND_MODULES, identifiersOf } from './decoyKinds.js';
import { canonicalIdentifier } from './identifierSpaces.js';
import { DecoyValidationError } from './decoySchemaParts.js';

export { DecoyValidationError };

/** Validates one decoy (an entry of a decoy file, or an admin API body). `field` prefixes error paths. */
export function parseDecoy(input: unknown, field = 'decoy'): Decoy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DecoyValidationError('must be an object', field);
  }
  const kind = (input as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(DECOY_KINDS as readonly string[]).includes(kind)) {
    throw new DecoyValidationError(`must be one of ${DECOY_KINDS.join(', ')}`, `${field}.kind`);
  }
  const schema = DECOY_KIND_MODULES[kind as DecoyKind].schema as z.ZodType<Decoy>;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a failed safeParse always has an issue
  const issue = result.error.issues[0]!;
  const path = issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('');
  const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
  throw new DecoyValidationError(message, `${field}${path}`);
}

/**
 * Validates a decoy file (`{ "decoys": [ … ] }`): every entry, unique ids, and no identifier owned by two
 * decoys (a UPN or message id that points at two decoys would make a hit ambiguous).
 */
export function parseDecoyFile(input: unknown): Decoy[] {
  if (typeof input !== 'object' || input === null || !Array.isArray((input as { decoys?: unknown }).decoys)) {
    throw new DecoyValidationError('must be an array of decoys', 'decoys');
  }
  const entries = (input as { decoys: unknown[] }).decoys;
  const extraKeys = Object.keys(input).filter((key) => key !== 'decoys');
  if (extraKeys.length > 0) throw new DecoyValidationError(`unknown field(s) ${extraKeys.join(', ')}`, '(file)');
  const decoys = entries.map((entry, index) => parseDecoy(entry, `decoys[${index}]`));
  assertDistinct(decoys);
  return decoys;
}

/** Throws when two decoys share an id or an identifier. */
export function assertDistinct(decoys: readonly Decoy[]): void {
  const ids = new Map<string, number>();
  const owners = new Map<string, string>();
  decoys.forEach((decoy, index) => {
    if (ids.has(decoy.id)) {
      throw new DecoyValidationError(`duplicate id "${decoy.id}" (also decoys[${ids.get(decoy.id)}])`, `decoys[${index}].id`);
    }
    ids.set(decoy.id, index);
    for (const identifier of identifiersOf(decoy)) {
      const key = `${identifier.space}\u0000${canonicalIdentifier(identifier.space, identifier.value)}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== decoy.id) {
        throw new DecoyValidationError(`${identifier.space} "${identifier.value}" is already owned by decoy "${owner}"`, `decoys[${index}]`);
      }
      owners.set(key, decoy.id);
    }
  });
}

import { z } from 'zod';

/** What Lure keeps of a published signing key: never more than its public identifiers and validity. */
export interface SigningKeySummary {
  readonly kid?: string;
  readonly x5t?: string;
  /** Entra writes the issuer a key signs for: an organisation template or the consumer tenant. */
  readonly issuer?: string;
}

const jwksSchema = z.object({
  keys: z.array(
    z.looseObject({
      kty: z.string().min(1),
      kid: z.string().optional(),
      x5t: z.string().optional(),
      issuer: z.string().optional(),
    }),
  ),
});

/** A JWKS document (`{"keys":[…]}`, as `…/discovery/v2.0/keys` serves it). Throws a `TypeError` naming the field. */
export function parseJwks(input: unknown): SigningKeySummary[] {
  const parsed = jwksSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('');
    throw new TypeError(`JWKS${path}: ${issue.message}`);
  }
  return parsed.data.keys.map(({ kid, x5t, issuer }) => ({
    ...(kid === undefined ? {} : { kid }),
    ...(x5t === undefined ? {} : { x5t }),
    ...(issuer === undefined ? {} : { issuer }),
  }));
}

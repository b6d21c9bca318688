import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { KeySetName, SigningKey } from '../domain/signingKeys.js';
import { CONSUMER_TENANT_ID } from './clouds.js';

const jwksSchema = z.object({
  keys: z.array(
    z.looseObject({
      kty: z.string().min(1),
      kid: z.string().min(1).optional(),
      x5t: z.string().min(1).optional(),
      x5c: z.array(z.string()).optional(),
      issuer: z.string().optional(),
    }),
  ),
});

/**
 * The signing keys of a JWKS document (`{"keys":[…]}`, as `…/discovery/v2.0/keys` serves it), with what
 * their certificates say. A key whose `issuer` is the consumer tenant belongs to the consumer set whatever
 * endpoint served it (`common` lists both kinds); otherwise it belongs to `set`. Keys without an id are
 * skipped: no token can name them. Throws a `TypeError` naming the field when the document is not a JWKS.
 */
export function parseJwks(input: unknown, set: KeySetName = 'organization', fetchedAt?: string): SigningKey[] {
  const parsed = jwksSchema.safeParse(input);
  if (!parsed.success) {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a failed safeParse always has an issue
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('');
    throw new TypeError(`JWKS${path}: ${issue.message}`);
  }
  return parsed.data.keys.flatMap((key): SigningKey[] => {
    const kid = key.kid ?? key.x5t;
    if (kid === undefined) return [];
    const certificate = certificateOf(key.x5c?.[0]);
    const keySet: KeySetName = key.issuer?.toLowerCase().includes(CONSUMER_TENANT_ID) ? 'consumer' : set;
    return [
      {
        kid,
        ...(key.x5t === undefined ? {} : { x5t: key.x5t }),
        set: keySet,
        ...(key.issuer === undefined ? {} : { issuer: key.issuer }),
        ...certificate,
        ...(fetchedAt === undefined ? {} : { firstSeen: fetchedAt, lastSeen: fetchedAt }),
      },
    ];
  });
}

function certificateOf(base64Der: string | undefined): Pick<SigningKey, 'thumbprint' | 'certificateNotBefore' | 'certificateNotAfter'> {
  if (base64Der === undefined) return {};
  try {
    const certificate = new X509Certificate(Buffer.from(base64Der, 'base64'));
    return {
      thumbprint: certificate.fingerprint.replaceAll(':', '').toLowerCase(),
      certificateNotBefore: new Date(certificate.validFrom).toISOString(),
      certificateNotAfter: new Date(certificate.validTo).toISOString(),
    };
  } catch {
    // An unreadable certificate leaves the key known by id only.
    return {};
  }
}

import { z } from 'zod';
import type { TokenDecoy } from '../../domain/decoys.js';
import type { DecoyIdentifier, DecoyKindModule } from '../decoyKind.js';
import { commonDecoyFields, opaqueIdSchema } from '../decoySchemaParts.js';

/** A honeytoken JWT: it grants nothing, so any API that sees it presented has found a planted lure. */
export const tokenDecoy: DecoyKindModule<'token'> = {
  kind: 'token',
  schema: z
    .strictObject({
      ...commonDecoyFields,
      kind: z.literal('token'),
      kid: opaqueIdSchema.optional(),
      jti: opaqueIdSchema.optional(),
    })
    .refine((decoy) => decoy.kid ?? decoy.jti, { message: 'needs kid or jti' }),
  identifiers(decoy: TokenDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [];
    if (decoy.kid !== undefined) identifiers.push({ space: 'tokenKid', value: decoy.kid });
    if (decoy.jti !== undefined) identifiers.push({ space: 'tokenJti', value: decoy.jti });
    return identifiers;
  },
  mailboxOf: () => undefined,
};

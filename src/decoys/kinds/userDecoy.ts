import { z } from 'zod';
import type { UserDecoy } from '../../domain/decoys.js';
import type { DecoyIdentifier, DecoyKindModule } from '../decoyKind.js';
import { commonDecoyFields, guidSchema, upnSchema } from '../decoySchemaParts.js';

/** A decoy member user: every sign-in, Graph call or change that involves it is a hit. */
export const userDecoy: DecoyKindModule<'user'> = {
  kind: 'user',
  schema: z.strictObject({
    ...commonDecoyFields,
    kind: z.literal('user'),
    userPrincipalName: upnSchema,
    objectId: guidSchema.optional(),
  }),
  identifiers(decoy: UserDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [{ space: 'userPrincipalName', value: decoy.userPrincipalName }];
    if (decoy.objectId !== undefined) identifiers.push({ space: 'userObjectId', value: decoy.objectId });
    return identifiers;
  },
  mailboxOf: (decoy) => decoy.userPrincipalName,
};

import { z } from 'zod';
import type { ApplicationDecoy } from '../../domain/decoys.js';
import type { DecoyIdentifier, DecoyKindModule } from '../decoyKind.js';
import { commonDecoyFields, guidSchema } from '../decoySchemaParts.js';

/** A decoy app registration and its service principal, holding client secrets nobody legitimate uses. */
export const applicationDecoy: DecoyKindModule<'application'> = {
  kind: 'application',
  schema: z.strictObject({
    ...commonDecoyFields,
    kind: z.literal('application'),
    appId: guidSchema,
    servicePrincipalId: guidSchema.optional(),
    objectId: guidSchema.optional(),
    credentialKeyIds: z.array(guidSchema).max(64).default([]),
  }),
  identifiers(decoy: ApplicationDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [{ space: 'appId', value: decoy.appId }];
    if (decoy.servicePrincipalId !== undefined) identifiers.push({ space: 'servicePrincipalId', value: decoy.servicePrincipalId });
    if (decoy.objectId !== undefined) identifiers.push({ space: 'applicationObjectId', value: decoy.objectId });
    return identifiers;
  },
  mailboxOf: () => undefined,
};

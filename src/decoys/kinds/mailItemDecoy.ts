import { z } from 'zod';
import type { MailItemDecoy } from '../../domain/decoys.js';
import type { DecoyIdentifier, DecoyKindModule } from '../decoyKind.js';
import { commonDecoyFields, opaqueIdSchema, upnSchema } from '../decoySchemaParts.js';

/** A decoy message planted in a mailbox: reading, sending, moving or deleting it is a hit. */
export const mailItemDecoy: DecoyKindModule<'mailItem'> = {
  kind: 'mailItem',
  schema: z
    .strictObject({
      ...commonDecoyFields,
      kind: z.literal('mailItem'),
      mailbox: upnSchema,
      internetMessageId: opaqueIdSchema.optional(),
      itemId: opaqueIdSchema.optional(),
      immutableId: opaqueIdSchema.optional(),
      alternateItemIds: z.array(opaqueIdSchema).max(16).default([]),
      folderId: opaqueIdSchema.optional(),
      dedicatedFolder: z.boolean().default(false),
    })
    .refine((decoy) => decoy.internetMessageId ?? decoy.itemId ?? decoy.immutableId ?? decoy.folderId, {
      message: 'needs at least one of internetMessageId, itemId, immutableId or folderId',
    })
    .refine((decoy) => !decoy.dedicatedFolder || decoy.folderId !== undefined, {
      message: 'dedicatedFolder needs folderId',
      path: ['folderId'],
    }),
  identifiers(decoy: MailItemDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [];
    if (decoy.internetMessageId !== undefined) identifiers.push({ space: 'internetMessageId', value: decoy.internetMessageId });
    for (const itemId of [decoy.itemId, decoy.immutableId, ...decoy.alternateItemIds]) {
      if (itemId !== undefined) identifiers.push({ space: 'mailItemId', value: itemId });
    }
    // Desktop Outlook syncs whole folders: only a folder that holds nothing but decoys may fire on a Sync.
    if (decoy.dedicatedFolder && decoy.folderId !== undefined) identifiers.push({ space: 'dedicatedFolderId', value: decoy.folderId });
    return identifiers;
  },
  mailboxOf: (decoy) => decoy.mailbox,
};

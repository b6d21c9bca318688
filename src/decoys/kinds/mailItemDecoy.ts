import { z } from 'zod';
import type { MailItemDecoy } from '../../domain/decoys.js';
import type { JournalEntry, MessageGeneration, MessageTemplate } from '../../domain/lifecycle.js';
import type { ExchangeIdForms } from '../../ports/directory.js';
import { type CreateRequestBase, type DecoyIdentifier, type DecoyKindModule, DecoyStateError, type LifecycleContext } from '../decoyKind.js';
import { commonCreateFields, commonDecoyFields, DecoyValidationError, opaqueIdSchema, upnSchema } from '../decoySchemaParts.js';
import { newPassword } from '../secrets.js';

export interface CreateMailItemDecoyRequest extends CreateRequestBase {
  readonly kind: 'mailItem';
  readonly mailbox: string;
  readonly folderName?: string;
  readonly subject?: string;
  readonly body?: string;
  readonly fromName?: string;
  readonly fromAddress?: string;
}

/** Item ids a decoy may list besides its own: the forms of its kept generations must fit. */
const MAX_ALTERNATE_ITEM_IDS = 16;

/**
 * A decoy message planted in a mailbox: reading, sending, moving or deleting it is a hit. Lure plants it in
 * a folder that holds nothing but decoys (so a Sync of the folder is a hit too), as a sent-looking message,
 * and records every form of its id the audit log may carry. Rotation plants a fresh message and removes
 * the oldest beyond the kept count. Its body may carry another decoy's lure material (a managed placement).
 */
export const mailItemDecoy: DecoyKindModule<'mailItem', CreateMailItemDecoyRequest> = {
  kind: 'mailItem',
  schema: z
    .strictObject({
      ...commonDecoyFields,
      kind: z.literal('mailItem'),
      mailbox: upnSchema,
      internetMessageId: opaqueIdSchema.optional(),
      itemId: opaqueIdSchema.optional(),
      immutableId: opaqueIdSchema.optional(),
      alternateItemIds: z.array(opaqueIdSchema).max(MAX_ALTERNATE_ITEM_IDS).default([]),
      folderId: opaqueIdSchema.optional(),
      alternateFolderIds: z.array(opaqueIdSchema).max(8).default([]),
      dedicatedFolder: z.boolean().default(false),
    })
    .refine((decoy) => decoy.internetMessageId ?? decoy.itemId ?? decoy.immutableId ?? decoy.folderId, {
      error: 'needs at least one of internetMessageId, itemId, immutableId or folderId',
    })
    .refine((decoy) => !decoy.dedicatedFolder || decoy.folderId !== undefined, {
      error: 'dedicatedFolder needs folderId',
      path: ['folderId'],
    }),
  identifiers(decoy: MailItemDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [];
    if (decoy.internetMessageId !== undefined) identifiers.push({ space: 'internetMessageId', value: decoy.internetMessageId });
    for (const itemId of [decoy.itemId, decoy.immutableId, ...decoy.alternateItemIds]) {
      if (itemId !== undefined) identifiers.push({ space: 'mailItemId', value: itemId });
    }
    // Desktop Outlook syncs whole folders: only a folder that holds nothing but decoys may fire on a Sync.
    if (decoy.dedicatedFolder) {
      for (const folderId of [decoy.folderId, ...decoy.alternateFolderIds])
        if (folderId !== undefined) identifiers.push({ space: 'dedicatedFolderId', value: folderId });
    }
    return identifiers;
  },
  mailboxOf: (decoy) => decoy.mailbox,
  lifecycle: {
    createSchema: z.strictObject({
      ...commonCreateFields,
      kind: z.literal('mailItem'),
      mailbox: upnSchema,
      folderName: z.string().trim().min(1).max(255).optional(),
      subject: z.string().trim().min(1).max(255).optional(),
      body: z.string().min(1).max(20_000).optional(),
      fromName: z.string().trim().min(1).max(128).optional(),
      fromAddress: upnSchema.optional(),
    }),
    makesSecret: false,
    keptGenerations: (settings) => settings.keptMessages,

    async targetOf(request, _journalId, context) {
      const folderName = request.folderName ?? context.settings.mailFolderName;
      // A Sync of the folder will be a hit: it must hold nothing but Lure's decoys, or its owner's every sync alerts.
      const folderId = await context.directory.findMailFolder(request.mailbox, folderName);
      const foreign =
        folderId === undefined ? 0 : (await context.directory.listMessages(request.mailbox, folderId)).filter((message) => message.marker === undefined).length;
      if (foreign > 0)
        throw new DecoyValidationError(
          `${folderName} in ${request.mailbox} holds ${foreign} messages that are not decoys; name a new or empty folder`,
          'folderName',
        );
      return { kind: 'mailItem', mailbox: request.mailbox, folderName };
    },

    async create(request, target, entry, context) {
      if (target.kind !== 'mailItem') throw new TypeError('a mail decoy needs a mailItem target');
      const folderId = await context.directory.ensureMailFolder(target.mailbox, target.folderName);
      const folderForms = await context.directory.translateExchangeId(target.mailbox, folderId);
      const domain = target.mailbox.split('@')[1] ?? 'example.com';
      const template: MessageTemplate = {
        subject: request.subject ?? 'VPN break-glass credentials (DR site)',
        body: request.body ?? defaultBody(domain),
        fromName: request.fromName ?? 'IT Operations',
        fromAddress: request.fromAddress ?? `it-operations@${domain}`,
      };
      const generation = await plant(target.mailbox, folderId, template, template.body, entry, context);
      const decoy: MailItemDecoy = {
        kind: 'mailItem',
        id: request.id,
        enabled: request.enabled,
        mailbox: target.mailbox,
        alternateItemIds: [],
        folderId,
        alternateFolderIds: otherFormsOf(folderForms),
        dedicatedFolder: true,
        ...(request.memo === undefined ? {} : { memo: request.memo }),
        ...(request.rotationIntervalInHours === undefined ? {} : { rotationIntervalInHours: request.rotationIntervalInHours }),
      };
      return { decoy: mailItemDecoy.lifecycle.registered(decoy, [generation]), generation, lifecycleExtras: { messageTemplate: template } };
    },

    async rotate(decoy, lifecycle, entry, context, content) {
      const template = lifecycle.messageTemplate;
      if (template === undefined || decoy.folderId === undefined) {
        throw new DecoyStateError(`decoy ${decoy.id}: Lure did not plant this message (no template or folder), so it cannot plant the next one`);
      }
      return { generation: await plant(decoy.mailbox, decoy.folderId, template, content ?? template.body, entry, context) };
    },

    registered(decoy, generations) {
      const messages = generations.filter((generation): generation is MessageGeneration => generation.kind === 'message');
      const current = messages.at(-1);
      if (current === undefined) return decoy;
      const { internetMessageId: _internetMessageId, immutableId: _immutableId, ...rest } = decoy;
      const older = messages.slice(0, -1).reverse();
      const alternateItemIds = [
        ...current.otherItemIds,
        ...older.flatMap((message) => [
          message.messageId,
          ...(message.restImmutableEntryId === undefined ? [] : [message.restImmutableEntryId]),
          ...message.otherItemIds,
        ]),
      ];
      return {
        ...rest,
        itemId: current.messageId,
        ...(current.internetMessageId === undefined ? {} : { internetMessageId: current.internetMessageId }),
        ...(current.restImmutableEntryId === undefined ? {} : { immutableId: current.restImmutableEntryId }),
        alternateItemIds: [...new Set(alternateItemIds)].slice(0, MAX_ALTERNATE_ITEM_IDS),
      };
    },

    async removeGeneration(decoy, generation, context) {
      if (generation.kind === 'message') await context.directory.deleteMessage(decoy.mailbox, generation.messageId);
    },

    async undoCreate(target, entry, context) {
      if (target.kind !== 'mailItem') return;
      const folderId = await context.directory.findMailFolder(target.mailbox, target.folderName);
      if (folderId === undefined) return;
      for (const message of await context.directory.listMessages(target.mailbox, folderId)) {
        if (message.marker === entry.id) await context.directory.deleteMessage(target.mailbox, message.id);
      }
    },

    async sweep(decoy, lifecycle, ownMarker, context, beforeRemoving) {
      if (decoy.folderId === undefined) return 0;
      const kept = new Set(lifecycle.generations.flatMap((generation) => (generation.kind === 'message' ? [generation.messageId] : [])));
      // Other decoys may share the folder: only messages of this decoy's own journal entries are judged.
      const leftovers = (await context.directory.listMessages(decoy.mailbox, decoy.folderId)).filter(
        (message) => message.marker !== undefined && ownMarker(message.marker) && !kept.has(message.id),
      );
      if (leftovers.length > 0) await beforeRemoving();
      for (const message of leftovers) await context.directory.deleteMessage(decoy.mailbox, message.id);
      return leftovers.length;
    },

    async retire(decoy, lifecycle, context) {
      for (const generation of lifecycle.generations) {
        if (generation.kind === 'message' && (lifecycle.createdByLure || generation.journalId !== undefined)) {
          await context.directory.deleteMessage(decoy.mailbox, generation.messageId);
        }
      }
    },

    // The message is the lure, and Lure plants it: there is nothing for an admin to plant.
    material: () => undefined,
  },
};

async function plant(
  mailbox: string,
  folderId: string,
  template: MessageTemplate,
  body: string,
  entry: JournalEntry,
  context: LifecycleContext,
): Promise<MessageGeneration> {
  const message = await context.directory.createMessage(mailbox, folderId, {
    subject: template.subject,
    body,
    from: { name: template.fromName, address: template.fromAddress },
    marker: entry.id,
  });
  const forms = await context.directory.translateExchangeId(mailbox, message.id);
  return {
    kind: 'message',
    journalId: entry.id,
    createdAt: context.now.toISOString(),
    messageId: message.id,
    ...(message.internetMessageId === undefined ? {} : { internetMessageId: message.internetMessageId }),
    ...(forms.restImmutableEntryId === undefined ? {} : { restImmutableEntryId: forms.restImmutableEntryId }),
    // A form the same as the REST id adds nothing (the EWS id of an id without `-` or `_`).
    otherItemIds: [...new Set([forms.ewsId, forms.entryId, forms.immutableEntryId])].filter((id): id is string => id !== undefined && id !== message.id),
  };
}

function otherFormsOf(forms: ExchangeIdForms): string[] {
  return [forms.restImmutableEntryId, forms.ewsId, forms.entryId, forms.immutableEntryId].filter((id): id is string => id !== undefined && id !== forms.restId);
}

/** A message an intruder searching for "password" or "VPN" stops at. Its password opens nothing. */
function defaultBody(domain: string): string {
  return [
    'Hi all,',
    '',
    'As agreed in the DR review, here are the break-glass credentials for the disaster-recovery VPN.',
    'Keep this message: the vault is not reachable while the primary site is down.',
    '',
    `Gateway: vpn-dr.${domain}`,
    'Username: vpn-breakglass',
    `Password: ${newPassword(32)}`,
    '',
    'IT Operations',
  ].join('\n');
}

import { z } from 'zod';
import type { FileDecoy } from '../../domain/decoys.js';
import type { FileContentGeneration, FileLocation, JournalEntry } from '../../domain/lifecycle.js';
import type { DriveRef } from '../../ports/directory.js';
import { type CreateRequestBase, type DecoyIdentifier, type DecoyKindModule, DecoyStateError, type LifecycleContext } from '../decoyKind.js';
import { commonCreateFields, commonDecoyFields, DecoyValidationError, guidSchema, opaqueIdSchema } from '../decoySchemaParts.js';
import { decoyWorkbook } from '../decoyWorkbook.js';
import { canonicalFileUrl, fileUrlOf } from '../identifierSpaces.js';

export interface CreateFileDecoyRequest extends CreateRequestBase {
  readonly kind: 'file';
  readonly siteUrl: string;
  readonly libraryName?: string;
  readonly folderPath?: string;
  readonly fileName: string;
}

/** A file a crash left at the target path is Lure's when an app uploaded it after the create began (clocks differ by this much). */
const UNDO_CLOCK_SLACK_IN_MS = 5 * 60_000;

const siteUrlSchema = z
  .url({ protocol: /^https$/, error: 'must be the https URL of a SharePoint site or OneDrive' })
  .trim()
  .max(2048)
  .transform((url) => url.replace(/\/+$/, ''));

/** Characters SharePoint refuses in file and folder names, and `#` and `%`, which URLs of the file would need escaped. */
const FORBIDDEN_NAME_CHARACTERS = /["*:<>?\\|#%]/;

/**
 * A decoy file in a SharePoint library or a OneDrive: any read of it is a hit. Lure uploads a credentials
 * workbook through Graph into a site the admin names (with `Sites.Selected` granted on that one site), and
 * records every id form the audit log and Graph write. Rotation writes new content into the same item, so
 * the URL and the ids stay and a link an intruder found still works. The workbook may carry another decoy's
 * lure material (a managed placement: a decoy app's secret).
 */
export const fileDecoy: DecoyKindModule<'file', CreateFileDecoyRequest> = {
  kind: 'file',
  schema: z
    .strictObject({
      ...commonDecoyFields,
      kind: z.literal('file'),
      siteUrl: siteUrlSchema,
      driveId: opaqueIdSchema.optional(),
      itemId: opaqueIdSchema.optional(),
      listItemUniqueId: guidSchema.optional(),
      fileName: z.string().trim().min(1).max(400).optional(),
      serverRelativeUrl: z.string().trim().startsWith('/', 'must start with / (the path on the host)').max(2048).optional(),
    })
    .refine((decoy) => decoy.listItemUniqueId ?? decoy.serverRelativeUrl ?? (decoy.driveId !== undefined && decoy.itemId !== undefined), {
      error: 'needs at least one of listItemUniqueId, serverRelativeUrl, or driveId with itemId',
    })
    .refine((decoy) => (decoy.driveId === undefined) === (decoy.itemId === undefined), { error: 'driveId and itemId go together', path: ['itemId'] })
    .refine((decoy) => decoy.serverRelativeUrl === undefined || isUnder(decoy.siteUrl, decoy.serverRelativeUrl), {
      error: 'must be a path inside siteUrl (/sites/finance/Shared Documents/… for https://contoso.sharepoint.com/sites/finance)',
      path: ['serverRelativeUrl'],
    }),
  identifiers(decoy: FileDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [];
    if (decoy.listItemUniqueId !== undefined) identifiers.push({ space: 'fileUniqueId', value: decoy.listItemUniqueId });
    if (decoy.serverRelativeUrl !== undefined) identifiers.push({ space: 'fileUrl', value: fileUrlOf(decoy.siteUrl, decoy.serverRelativeUrl) });
    // Graph paths name an item by its id, with the drive (`/drives/{id}/items/{id}`) or without (`/me/drive/items/{id}`).
    if (decoy.itemId !== undefined) identifiers.push({ space: 'driveItemId', value: decoy.itemId });
    return identifiers;
  },
  mailboxOf: () => undefined,
  lifecycle: {
    createSchema: z.strictObject({
      ...commonCreateFields,
      kind: z.literal('file'),
      siteUrl: siteUrlSchema,
      // Unset: the site's default library (Documents, Shared Documents by URL).
      libraryName: z.string().trim().min(1).max(255).optional(),
      folderPath: z
        .string()
        .trim()
        .max(400)
        .refine((path) => !FORBIDDEN_NAME_CHARACTERS.test(path), 'must not hold " * : < > ? \\ | # %')
        .optional(),
      fileName: z
        .string()
        .trim()
        .min(6)
        .max(128)
        .refine((name) => !FORBIDDEN_NAME_CHARACTERS.test(name) && !name.includes('/'), 'must not hold / " * : < > ? \\ | # %')
        .refine((name) => name.toLowerCase().endsWith('.xlsx'), 'must end in .xlsx (Lure writes an Excel workbook)')
        .default('VPN and service accounts.xlsx'),
    }),
    makesSecret: false,
    // Rotation rewrites the one item: there is never more than one generation in the tenant.
    keptGenerations: () => 1,

    async targetOf(request, _journalId, context) {
      const site = await context.directory.getSiteByUrl(request.siteUrl);
      if (site === undefined)
        throw new DecoyValidationError(
          `no site at ${request.siteUrl} that Lure can see: grant Lure's identity write on it under Sites.Selected (lure setup --site ${request.siteUrl} --apply)`,
          'siteUrl',
        );
      const wanted = request.libraryName?.toLowerCase();
      const drives = wanted === undefined ? [] : await context.directory.listDrives(site.id);
      const drive =
        wanted === undefined ? await context.directory.getDefaultDrive(site.id) : drives.find((candidate) => candidate.name.toLowerCase() === wanted);
      if (drive === undefined) {
        if (wanted === undefined) throw new DecoyValidationError(`${request.siteUrl} has no default library; name one`, 'libraryName');
        const names = drives.map((candidate) => candidate.name).join(', ');
        throw new DecoyValidationError(`${request.siteUrl} has no library ${request.libraryName ?? ''} (it has: ${names || 'none'})`, 'libraryName');
      }
      const path = `/${[...(request.folderPath ?? '').split('/'), request.fileName].filter((segment) => segment.trim() !== '').join('/')}`;
      // Never over someone's file, and never at a path whose undo could take someone's file for Lure's.
      if ((await context.directory.getDriveItemByPath(drive, path)) !== undefined)
        throw new DecoyValidationError(`${path} already exists in ${drive.name}; name a new file`, 'fileName');
      return { kind: 'file', siteUrl: site.webUrl.replace(/\/+$/, ''), driveId: drive.id, libraryUrl: drive.webUrl, path };
    },

    async create(request, target, entry, context) {
      if (target.kind !== 'file') throw new TypeError('a file decoy needs a file target');
      const location: FileLocation = { driveId: target.driveId, libraryUrl: target.libraryUrl, path: target.path };
      const file = await context.directory.uploadNewFile(driveOf(location), location.path, await decoyWorkbook({ updatedOn: context.now }));
      const decoy: FileDecoy = {
        kind: 'file',
        id: request.id,
        enabled: request.enabled,
        siteUrl: target.siteUrl,
        driveId: file.driveId,
        itemId: file.id,
        ...(file.listItemUniqueId === undefined ? {} : { listItemUniqueId: file.listItemUniqueId }),
        fileName: file.name,
        // From the path Lure chose, as the audit log writes it: Graph's parent path of an item is not always there.
        serverRelativeUrl: `${libraryPathOf(location.libraryUrl)}${location.path}`,
        ...(request.memo === undefined ? {} : { memo: request.memo }),
        ...(request.rotationIntervalInHours === undefined ? {} : { rotationIntervalInHours: request.rotationIntervalInHours }),
      };
      return { decoy, generation: generationOf(file.id, file.contentTag, entry, context), lifecycleExtras: { fileLocation: location } };
    },

    async rotate(decoy, lifecycle, entry, context, content) {
      const location = lifecycle.fileLocation;
      if (location === undefined || decoy.itemId === undefined)
        throw new DecoyStateError(`decoy ${decoy.id}: Lure did not upload this file, so it does not rewrite it`);
      const bytes = await decoyWorkbook({ updatedOn: context.now, ...(content === undefined ? {} : { carried: content }) });
      const file = await context.directory.replaceFileContent(driveOf(location), decoy.itemId, bytes);
      return { generation: generationOf(file.id, file.contentTag, entry, context) };
    },

    // The ids never change: rotation keeps the item.
    registered: (decoy) => decoy,

    // The content was replaced in place; what it replaced stays in the file's version history, where its
    // passwords open nothing and a carried secret's old generation is removed by the decoy that owns it.
    removeGeneration: () => Promise.resolve(),

    async undoCreate(target, entry, context) {
      if (target.kind !== 'file') return;
      const drive = driveOf(target);
      const file = await context.directory.getDriveItemByPath(drive, target.path);
      if (file === undefined || file.isFolder || file.createdByApplicationId === undefined) return;
      // The create checked the path was free, and no other operation may name the same target while it is
      // open: a file Lure's own app uploaded there is this create's. Without Lure's ids configured, one an app
      // uploaded after the create began is taken for it (a person's upload names no app).
      const self = context.selfPrincipalIds ?? new Set<string>();
      const ours =
        self.size > 0
          ? self.has(file.createdByApplicationId.toLowerCase())
          : file.createdDateTime !== undefined && Date.parse(file.createdDateTime) >= Date.parse(entry.startedAt) - UNDO_CLOCK_SLACK_IN_MS;
      if (ours) await context.directory.deleteDriveItem(drive, file.id);
    },

    // A rotation never makes a second item, so nothing can be left over beside the one.
    sweep: () => Promise.resolve(0),

    async retire(decoy, lifecycle, context) {
      // A file Lure did not upload is the customer's: retiring the decoy only stops watching it.
      if (!lifecycle.createdByLure || lifecycle.fileLocation === undefined || decoy.itemId === undefined) return;
      await context.directory.deleteDriveItem(driveOf(lifecycle.fileLocation), decoy.itemId);
    },

    // The file is the lure, and Lure plants it.
    material: () => undefined,
  },
};

function driveOf(location: FileLocation): DriveRef {
  return { id: location.driveId, webUrl: location.libraryUrl };
}

function generationOf(itemId: string, contentTag: string | undefined, entry: JournalEntry, context: LifecycleContext): FileContentGeneration {
  return { kind: 'fileContent', journalId: entry.id, createdAt: context.now.toISOString(), itemId, ...(contentTag === undefined ? {} : { contentTag }) };
}

/** `/sites/finance/Shared Documents` of the library's URL, decoded as the audit log writes it. */
function libraryPathOf(libraryUrl: string): string {
  const path = new URL(libraryUrl).pathname.replace(/\/+$/, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function isUnder(siteUrl: string, serverRelativeUrl: string): boolean {
  const site = canonicalFileUrl(siteUrl);
  return canonicalFileUrl(fileUrlOf(siteUrl, serverRelativeUrl)).startsWith(`${site}/`);
}

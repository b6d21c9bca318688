import { z } from 'zod';

/** A decoy file, body or create request that fails validation. `field` names the offending field (`decoys[2].appId`). */
export class DecoyValidationError extends RangeError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'DecoyValidationError';
  }
}

/** Decoy ids appear in URLs and table keys: a conservative alphabet keeps them safe everywhere. */
export const decoyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const guidSchema = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');

export const upnSchema = z
  .string()
  .trim()
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be a user principal name (name@domain)');

/** Exchange and token identifiers are opaque strings that match exactly. */
export const opaqueIdSchema = z.string().trim().min(1).max(1024);

/** Fields every decoy kind accepts. */
export const commonDecoyFields = {
  id: decoyIdSchema,
  enabled: z.boolean().default(true),
  memo: z.string().max(1024).optional(),
  rotationIntervalInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .optional(),
};

/** Where a decoy's lure material is planted: in a managed decoy message or file, or by hand (described). */
export const placementSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('mailItem'), decoyId: decoyIdSchema }),
  z.strictObject({ kind: z.literal('file'), decoyId: decoyIdSchema }),
  z.strictObject({ kind: z.literal('manual'), description: z.string().trim().min(1).max(512) }),
]);

/** Fields every create request accepts: the decoy's own, and where its lure goes. */
export const commonCreateFields = {
  ...commonDecoyFields,
  placements: z.array(placementSchema).max(8).default([]),
};

import type { z } from 'zod';
import type { Decoy } from '../../../domain/decoys.js';
import type { DecoyLifecycle } from '../../../domain/lifecycle.js';
import type * as schemas from '../adminSchemas.js';

/** A decoy as the API shows it: the decoy-file shape, and what Lure knows of its lifecycle (never a secret or honeytoken). */
export function decoyResource(decoy: Decoy, lifecycle: DecoyLifecycle | undefined): z.infer<typeof schemas.decoyResource> {
  if (lifecycle === undefined) return { decoy };
  return {
    decoy,
    lifecycle: {
      createdByLure: lifecycle.createdByLure,
      generations: lifecycle.generations.map((generation) => ({ kind: generation.kind, createdAt: generation.createdAt })),
      placements: lifecycle.placements.map((placement) => ({ ...placement })),
      ...(lifecycle.lastRotatedAt === undefined ? {} : { lastRotatedAt: lifecycle.lastRotatedAt }),
      ...(lifecycle.nextRotationAt === undefined ? {} : { nextRotationAt: lifecycle.nextRotationAt }),
      ...(lifecycle.rotationDueSince === undefined ? {} : { rotationDueSince: lifecycle.rotationDueSince }),
      ...(lifecycle.lastFailure === undefined ? {} : { lastFailure: lifecycle.lastFailure }),
    },
  };
}

/** A created or rotated decoy, with the lure material to plant now (in this answer only). */
export function changeBody(result: {
  readonly decoy: Decoy;
  readonly material?: { readonly text: string; readonly advice: string };
  readonly placementsRewritten: readonly string[];
}) {
  return {
    decoy: result.decoy,
    ...(result.material === undefined ? {} : { material: result.material.text, advice: result.material.advice }),
    placementsRewritten: [...result.placementsRewritten],
  };
}

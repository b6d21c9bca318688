import type { Decoy } from '../../domain/decoys.js';
import type { DecoyGeneration, DecoyLifecycle, Placement, RegisteredDecoy } from '../../domain/lifecycle.js';
import { DecoyNotFoundError } from './errors.js';
import type { DecoyLifecyclesDeps } from './types.js';

export async function registeredDecoy(deps: DecoyLifecyclesDeps, decoyId: string): Promise<RegisteredDecoy> {
  const registered = await registeredDecoyOrUndefined(deps, decoyId);
  if (registered === undefined) throw new DecoyNotFoundError(decoyId);
  return registered;
}

/** A decoy and its lifecycle; a registered decoy Lure has not managed yet gets one from what it registered. */
export async function registeredDecoyOrUndefined(deps: DecoyLifecyclesDeps, decoyId: string): Promise<RegisteredDecoy | undefined> {
  const decoy = (await deps.store.getDecoy(decoyId))?.value;
  if (decoy === undefined) return undefined;
  const lifecycle = (await deps.store.getDecoyLifecycle(decoyId)) ?? adoptedLifecycleOf(decoy, deps.clock.now());
  return { decoy, lifecycle };
}

/** A registered decoy's generations, as far as its registration tells (an app's secrets by keyId, none Lure's). */
export function adoptedLifecycleOf(decoy: Decoy, now: Date): DecoyLifecycle {
  const createdAt = now.toISOString();
  const generations: DecoyGeneration[] =
    decoy.kind === 'application' ? decoy.credentialKeyIds.map((keyId) => ({ kind: 'clientSecret', keyId, createdAt })) : [];
  return { decoyId: decoy.id, kind: decoy.kind, createdByLure: false, generations, placements: [] };
}

export function placementDecoyIdsOf(placements: readonly Placement[]): string[] {
  return placements.flatMap((placement) => (placement.kind === 'manual' ? [] : [placement.decoyId]));
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Decoy } from '../../domain/decoys.js';
import { assertDistinct, DecoyValidationError } from '../../decoys/parseDecoys.js';
import { ConcurrencyError } from '../../ports/store/versioned.js';
import { type DecoyStore, MAX_DECOYS_PER_WRITE } from '../../ports/store/decoyStore.js';

/** Rounds a change of the registry may lose to a concurrent one before it gives up (409, try again). */
const MAX_ATTEMPTS = 12;
/** A loser waits up to this long times its attempt before it reads again, so racers spread out. */
const BACKOFF_STEP_IN_MS = 20;

type RegistryStore = Pick<DecoyStore, 'getDecoyRegistry' | 'upsertDecoys'>;

/**
 * Registers one decoy that exists in the tenant. Atomic: of any number of concurrent registrations, one whose
 * id is new and whose identifiers no other decoy owns succeeds; every other sees the winner and is refused
 * (`DecoyValidationError`), so no caller is told a decoy is live that is not. `decoysChanged` tells the
 * detections' decoy cache to read again.
 */
export async function registerDecoy(store: RegistryStore, decoy: Decoy, decoysChanged: () => void): Promise<void> {
  await changeRegistry(store, (current) => {
    if (current.some((other) => other.id === decoy.id)) throw new DecoyValidationError(`a decoy with id ${decoy.id} already exists`, 'id');
    assertDistinct([...current, decoy]);
    return [decoy];
  });
  decoysChanged();
}

/** Adds or replaces decoys (a decoy file), refusing any that would share an id or identifier with another. */
export async function importDecoys(store: RegistryStore, incoming: readonly Decoy[], decoysChanged: () => void): Promise<void> {
  await changeRegistry(store, (current) => {
    const byId = new Map(current.map((decoy) => [decoy.id, decoy]));
    for (const decoy of incoming) byId.set(decoy.id, decoy);
    assertDistinct([...byId.values()]);
    return incoming;
  });
  decoysChanged();
}

/**
 * Decides on the registry as read and writes at its version: a decision made on a registry someone changed
 * meanwhile is made again on the new one. A change larger than one write goes in steps, each at the version
 * the last one left; a step lost to a race starts the whole change again (its writes are replacements, so
 * repeating one is harmless).
 */
export async function changeRegistry(store: RegistryStore, decide: (current: readonly Decoy[]) => readonly Decoy[]): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const registry = await store.getDecoyRegistry();
    const writes = decide(registry.value);
    try {
      let version = registry.etag;
      for (let offset = 0; offset < writes.length; offset += MAX_DECOYS_PER_WRITE) {
        version = await store.upsertDecoys(writes.slice(offset, offset + MAX_DECOYS_PER_WRITE), version);
      }
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.random() * BACKOFF_STEP_IN_MS * attempt);
    }
  }
}

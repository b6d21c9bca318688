import { randomInt } from 'node:crypto';
import type { Decoy, DecoyKind } from '../../domain/decoys.js';
import type { LifecycleContext } from '../../decoys/decoyKind.js';
import { nextRotationAt } from '../../decoys/rotationPolicy.js';
import type { Directory } from '../../ports/directory.js';
import { NotConfiguredError } from './errors.js';
import type { DecoyLifecyclesDeps } from './types.js';

/** What a kind's lifecycle step gets: the directory (refused without Graph access, but for honeytokens), the time, the settings. */
export function lifecycleContext(deps: DecoyLifecyclesDeps, kind: DecoyKind): LifecycleContext {
  const directory = deps.directory;
  return {
    // Honeytokens live nowhere in the tenant; every other kind needs Graph.
    directory: directory ?? (kind === 'token' ? NO_DIRECTORY : refuseWithoutDirectory()),
    now: deps.clock.now(),
    settings: deps.settings,
    ...(deps.tenantId === undefined ? {} : { tenantId: deps.tenantId }),
    selfPrincipalIds: new Set((deps.selfPrincipalIds ?? []).map((id) => id.toLowerCase())),
  };
}

export function nextRotationOf(deps: DecoyLifecyclesDeps, decoy: Decoy, now: Date): { nextRotationAt?: string } {
  const next = nextRotationAt(now, decoy.rotationIntervalInHours, deps.settings.rotationJitterPercent, randomInt(1_000_000) / 1_000_000);
  return next === undefined ? {} : { nextRotationAt: next };
}

/** Honeytokens never call Graph. */
const NO_DIRECTORY = new Proxy({} as Directory, {
  get: () => () => Promise.reject(new Error('honeytoken decoys do not use the directory')),
});

function refuseWithoutDirectory(): never {
  throw new NotConfiguredError('Lure has no Graph access: set LURE_TENANT_ID (and grant the permissions in the README) to manage decoys in the tenant');
}

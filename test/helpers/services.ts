import type { TokenCredential } from '@azure/identity';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { Decoy } from '../../src/domain/decoys.js';
import type { Clock } from '../../src/ports/clock.js';
import type { LogFields, Logger } from '../../src/ports/logger.js';
import type { Directory } from '../../src/ports/directory.js';
import type { AuditFeed } from '../../src/ports/auditFeed.js';
import type { EventPublisher } from '../../src/ports/eventPublisher.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';
import { memoryStateStore } from '../../src/adapters/memory/memoryStateStore.js';
import { buildServices, type Services } from '../../src/host/services.js';

/** A clock fixed at a moment, so `detectedAt` is predictable. */
export function fixedClock(iso = '2026-11-28T12:00:00.000Z'): Clock {
  return { now: () => new Date(iso) };
}

/** A clock that stands still until a test moves it. */
export function movableClock(iso = '2026-11-28T12:00:00.000Z'): Clock & { advance(ms: number): void; set(iso: string): void } {
  let now = Date.parse(iso);
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (at) => {
      now = Date.parse(at);
    },
  };
}

/** A logger that keeps every line (message and fields as JSON), for assertions on what was logged. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: LogFields) => lines.push(JSON.stringify({ level, message, ...fields }));
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Services over the given store (in memory by default), with the decoys imported. */
export async function testServices(
  options: {
    decoys?: readonly Decoy[];
    store?: StateStore;
    settings?: Record<string, string>;
    clock?: Clock;
    logger?: Logger;
    directory?: Directory;
    sleep?: (ms: number) => Promise<void>;
    auditFeed?: AuditFeed;
    publisher?: EventPublisher;
    identity?: TokenCredential;
  } = {},
): Promise<Services> {
  const services = await buildServices(loadConfig({ LURE_STORE: 'memory', LURE_DECOY_CACHE_REFRESH_IN_SECONDS: '0', ...options.settings }), {
    store: options.store ?? memoryStateStore(),
    clock: options.clock ?? fixedClock(),
    logger: options.logger ?? recordingLogger(),
    ...(options.directory === undefined ? {} : { directory: options.directory }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.auditFeed === undefined ? {} : { auditFeed: options.auditFeed }),
    ...(options.publisher === undefined ? {} : { publisher: options.publisher }),
    ...(options.identity === undefined ? {} : { identity: options.identity }),
  });
  if (options.decoys !== undefined) await services.importDecoys(options.decoys);
  return services;
}

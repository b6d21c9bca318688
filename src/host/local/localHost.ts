import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../adapters/embeddedAzurite.js';
import type { Config } from '../../config/config.js';
import type { Alert } from '../../domain/alerts.js';
import { DEMO_DECOYS } from '../../demo/demoDecoys.js';
import { demoScenarioNdjson } from '../../demo/demoScenario.js';
import type { Logger } from '../../ports/logger.js';
import { type DevSigningKey, loadDevSigningKey, mintDevToken } from '../../adapters/devTokens.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ADMIN_ROLE } from '../../app/admin/callerAuthenticator.js';
import { builtConsoleDirectory, consoleFiles } from '../consoleFiles.js';
import { claimDataFolder, type DataFolderClaim } from './localHostFile.js';
import { type LocalApiServer, startLocalApiServer } from './localApiServer.js';
import { type HubConsumers, startHubConsumers } from '../../adapters/eventHubConsumers.js';
import { processHubBatch } from '../../app/hubBatches.js';
import { CUT_SHORT_PATIENCE_IN_MS, type FileProgress, type FileWork, isBeingWritten, processFile, show } from './inboxFile.js';
import { buildServices, identityOf, type Services, useServices } from '../services.js';
import { adminApiFor, devTokenIdentity } from '../adminHosting.js';

export interface LocalHostOutput {
  /** An alert was raised or changed. */
  alert(alert: Alert): void;
  /** A line for the person watching (startup, files processed). */
  note(line: string): void;
}

export interface LocalHost {
  readonly services: Services;
  readonly inboxDir: string;
  /** The admin API: `http://127.0.0.1:<port>/api`. */
  readonly apiUrl: string;
  /** Stops watching, finishes the file in hand, stops the embedded Azurite (flushing its data). */
  stop(): Promise<void>;
  /** The file being ingested and how far it has come, if one is. */
  progress(): FileProgress | undefined;
  /** Stops the file in hand after its current batch, leaving it in the inbox (what it raised is kept, and folds again next time). */
  abandonFile(): void;
}

const DEMO_FILE = 'demo-scenario.ndjson';
/** How often the local host runs the timers' work (checks, key refresh, pruning), as the timer functions do in Azure. */
const RESOLVE_INTERVAL_IN_MS = 60_000;
const PRUNE_INTERVAL_IN_MS = 3_600_000;
const KEY_REFRESH_INTERVAL_IN_MS = 3_600_000;
const ROTATE_INTERVAL_IN_MS = 3_600_000;
const DELIVER_INTERVAL_IN_MS = 60_000;

/**
 * `npm start`: Lure on one machine. With no Table settings it embeds Azurite (data under the data folder),
 * watches an inbox folder for event files in any framing, ingests each through the same pipeline as the
 * Event Hub functions and reports alerts as they are raised. On first start it loads the demo decoys and
 * drops the demo scenario into the inbox.
 */
export async function startLocalHost(config: Config, output: LocalHostOutput, logger: Logger): Promise<LocalHost> {
  // First of all: a second Lure on this folder would share its Azurite database and its inbox.
  const claim = await claimDataFolder(config.local.dataDir);
  try {
    return await startClaimed(config, output, logger, claim);
  } catch (error) {
    await claim.release();
    throw error;
  }
}

async function startClaimed(config: Config, output: LocalHostOutput, logger: Logger, claim: DataFolderClaim): Promise<LocalHost> {
  let azurite: EmbeddedAzurite | undefined;
  let effective = config;
  if (config.store === 'table' && config.table === undefined) {
    azurite = await startEmbeddedAzurite({ dataDir: path.join(config.local.dataDir, 'azurite'), port: config.local.tablePort });
    effective = { ...config, table: { connectionString: azurite.connectionString } };
    output.note(`Table store: embedded Azurite on 127.0.0.1:${azurite.port}, data in ${path.join(config.local.dataDir, 'azurite')}`);
  } else {
    output.note(`Table store: ${config.store === 'memory' ? 'in memory (lost on exit)' : 'configured Table Storage'}`);
  }

  let services: Services;
  try {
    services = await buildServices(effective, { logger });
  } catch (error) {
    await azurite?.close();
    throw error;
  }
  useServices(services);

  let apiServer: LocalApiServer;
  // Dev tokens only over local data (embedded Azurite, memory): on configured Table Storage, which may be a
  // deployment's, only tokens of the tenant are accepted.
  const devTokens = azurite !== undefined || config.store === 'memory';
  const signInCode = randomBytes(24).toString('base64url');
  try {
    const devKey = devTokens ? await loadDevSigningKey(config.local.dataDir) : undefined;
    const api = adminApiFor(services, devKey === undefined ? {} : { devKeys: devKey.publicKeys });
    apiServer = await startLocalApiServer(api, config.local.apiPort, {
      console: consoleFiles({ directory: builtConsoleDirectory(), loginHost: config.signing.authorityHost }),
      ...(devKey === undefined ? {} : { signIn: oneTimeSignIn(signInCode, devKey, config) }),
    });
  } catch (error) {
    useServices(undefined);
    await azurite?.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new RangeError(`setting LURE_API_PORT: port ${config.local.apiPort} is in use (set another, or 0 for any free port)`, { cause: error });
    throw error;
  }
  await claim.publish({ apiUrl: apiServer.url, ...(azurite === undefined ? {} : { tableConnectionString: azurite.connectionString }) });
  output.note(
    `Admin API: ${apiServer.url} (${devTokens ? 'a token for it: npx lure dev-token --role Lure.Admin' : 'tokens of the tenant only: the store is configured Table Storage'})`,
  );
  const consoleUrl = apiServer.url.replace(/\/api$/, '/');
  // As Jupyter does: a link that signs its first user in (as Lure.Admin, for an hour), then works no more.
  output.note(devTokens ? `Console: ${consoleUrl}#code=${signInCode} (one-time sign-in link)` : `Console: ${consoleUrl} (sign in with a token of the tenant)`);

  const inboxDir = config.local.inboxDir;
  const processedDir = path.join(inboxDir, 'processed');
  await mkdir(processedDir, { recursive: true });

  const decoys = await services.store.listDecoys();
  if (decoys.length === 0 && config.local.demo) {
    await services.importDecoys(DEMO_DECOYS);
    await writeFile(path.join(inboxDir, DEMO_FILE), demoScenarioNdjson());
    output.note(`First start: loaded ${DEMO_DECOYS.length} demo decoys and dropped ${DEMO_FILE} into the inbox (LURE_DEMO=false skips this).`);
  } else {
    output.note(`Decoys in force: ${decoys.length}`);
  }

  // Files and timer work go through one queue, one at a time: alerts print in a readable order, nothing
  // races, and timer runs never overlap (the Functions host makes its timers singletons the same way).
  let queue: Promise<void> = Promise.resolve();
  const run = (work: () => Promise<void>): Promise<void> => (queue = queue.then(work, work));
  const work: FileWork = { current: undefined, abandon: false };
  let stopping = false;
  const seen = new Set<string>();
  // A change while the file is queued or in hand: it is looked at again once that run is over.
  const changedMeanwhile = new Set<string>();
  const recheckTimers = new Set<NodeJS.Timeout>();
  const enqueue = (file: string): void => {
    if (seen.has(file)) {
      changedMeanwhile.add(file);
      return;
    }
    seen.add(file);
    void run(async () => {
      // Stopping finishes the file in hand only: the rest wait in the inbox for the next start.
      if (work.abandon || stopping) return;
      const outcome = await processFile(services.ingest, file, processedDir, output, work);
      if (outcome === 'waiting') {
        // Nothing may change it again (a writer that died): look once more when the patience has run out.
        const handle = setTimeout(() => {
          recheckTimers.delete(handle);
          enqueue(file);
        }, CUT_SHORT_PATIENCE_IN_MS + 1_000);
        recheckTimers.add(handle);
        return;
      }
      await resolveChecks(services, output);
    }).finally(() => {
      seen.delete(file);
      if (changedMeanwhile.delete(file) && !stopping) enqueue(file);
    });
  };
  const timers = new Set<NodeJS.Timeout>();
  const every = (intervalInMs: number, work: () => Promise<void>): void => {
    const arm = (): void => {
      const handle = setTimeout(() => {
        timers.delete(handle);
        if (!stopping) void run(work).finally(() => !stopping && arm());
      }, intervalInMs);
      timers.add(handle);
    };
    arm();
  };
  every(RESOLVE_INTERVAL_IN_MS, () => resolveChecks(services, output));
  if (config.signing.tenantId !== undefined) {
    every(KEY_REFRESH_INTERVAL_IN_MS, async () => {
      const refreshed = await services.refreshSigningKeys();
      if (refreshed.failures.length > 0) output.note(`signing keys: ${refreshed.failures.join('; ')}`);
    });
  }
  every(DELIVER_INTERVAL_IN_MS, async () => {
    try {
      const delivered = await services.deliverAlerts();
      if (delivered.dead > 0) output.note(`deliveries: ${delivered.dead} notifications dead (see the outbox status)`);
    } catch (error) {
      output.note(`deliveries not attempted (${error instanceof Error ? error.message : String(error)}); the next run tries again`);
    }
  });
  every(ROTATE_INTERVAL_IN_MS, async () => {
    try {
      const rotated = await services.rotateDecoys();
      rotated.alerts.forEach((alert) => show(alert, output));
      if (rotated.rotated + rotated.finished + rotated.rolledBack + rotated.swept > 0 || rotated.failures.length > 0) {
        output.note(
          `decoys: ${rotated.rotated} rotated, ${rotated.finished} interrupted operations finished, ${rotated.rolledBack} undone, ${rotated.swept} leftovers removed${rotated.failures.length > 0 ? `; failures: ${rotated.failures.join('; ')}` : ''}`,
        );
      }
    } catch (error) {
      output.note(`decoy rotation failed (${error instanceof Error ? error.message : String(error)}); the next run tries again`);
    }
  });
  every(PRUNE_INTERVAL_IN_MS, async () => {
    const pruned = await services.prune();
    if (pruned.tokenIssuances + pruned.expiredTokenChecks + pruned.deadLetters > 0) output.note(`pruned ${JSON.stringify(pruned)}`);
  });

  // With Event Hubs settings, the local host reads the three hubs too (a laptop checking a deployment).
  const { eventHubs } = effective;
  let consumers: HubConsumers | undefined;
  const connection =
    eventHubs.connectionString !== undefined
      ? { connectionString: eventHubs.connectionString }
      : eventHubs.namespace !== undefined
        ? { namespace: eventHubs.namespace, credential: identityOf(effective) }
        : undefined;
  if (connection !== undefined) {
    consumers = startHubConsumers({
      connection,
      hubs: eventHubs.hubs,
      consumerGroup: eventHubs.localConsumerGroup,
      store: services.store,
      onBatch: (hub, events, context) =>
        run(async () => (await processHubBatch(services.ingest, hub, events, context)).forEach((alert) => show(alert, output))),
      onError: (hub, message) => output.note(`hub ${hub}: ${message}`),
    });
    output.note(
      `Reading hubs ${Object.values(eventHubs.hubs).join(', ')} on consumer group ${eventHubs.localConsumerGroup} (from the newest event, then from each checkpoint)`,
    );
  }

  const watcher: FSWatcher = watch(inboxDir, {
    depth: 0,
    ignoreInitial: true,
    // A file is read once its size has held for the settle interval; one still cut short waits for more.
    awaitWriteFinish: { stabilityThreshold: config.local.inboxSettleInMs, pollInterval: Math.min(100, config.local.inboxSettleInMs) },
    ignored: (candidate: string) => candidate === processedDir || isBeingWritten(path.basename(candidate)),
  });
  watcher.on('add', enqueue);
  watcher.on('change', enqueue);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  // Files already waiting (the demo scenario, or files dropped while Lure was down).
  for (const entry of (await readdir(inboxDir, { withFileTypes: true })).filter((item) => item.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!isBeingWritten(entry.name)) enqueue(path.join(inboxDir, entry.name));
  }
  // The caller says "Watching …" once it can be stopped (lure start: its signal handlers are in place).
  return {
    services,
    inboxDir,
    apiUrl: apiServer.url,
    progress: () => work.current,
    abandonFile() {
      work.abandon = true;
    },
    async stop() {
      stopping = true;
      for (const timer of [...timers, ...recheckTimers]) clearTimeout(timer);
      await apiServer.close();
      await consumers?.close();
      await watcher.close();
      await queue;
      useServices(undefined);
      await azurite?.close();
      await claim.release();
    },
  };
}

/** Judges the token checks whose grace period the sign-in streams have passed, showing what they raise. */
async function resolveChecks(services: Services, output: LocalHostOutput): Promise<void> {
  try {
    const report = await services.resolveTokenChecks();
    report.alerts.forEach((alert) => show(alert, output));
  } catch (error) {
    output.note(`token checks not resolved (${error instanceof Error ? error.message : String(error)}); the next run tries again`);
  }
}

/** Minutes the token of the one-time sign-in link lives. */
const SIGN_IN_TOKEN_MINUTES = 60;

/** The exchange behind the printed sign-in link: its code, once, for an hour's Lure.Admin dev token. */
function oneTimeSignIn(code: string, key: DevSigningKey, config: Config): (given: string) => Promise<string | undefined> {
  let used = false;
  const expected = Buffer.from(code);
  return async (given) => {
    const candidate = Buffer.from(given);
    if (used || candidate.length !== expected.length || !timingSafeEqual(candidate, expected)) return undefined;
    used = true;
    const identity = devTokenIdentity(config);
    return mintDevToken(key, {
      tenantId: identity.tenantId,
      authorityHost: config.signing.authorityHost,
      audience: identity.audience,
      roles: [ADMIN_ROLE],
      lifetimeInMinutes: SIGN_IN_TOKEN_MINUTES,
      now: new Date(),
    });
  };
}

import type { Stats } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../adapters/embeddedAzurite.js';
import type { Config } from '../../config/config.js';
import type { Alert } from '../../domain/alerts.js';
import { DEMO_DECOYS } from '../../demo/demoDecoys.js';
import { demoScenarioNdjson } from '../../demo/demoScenario.js';
import type { Logger } from '../../ports/logger.js';
import { loadDevSigningKey } from '../../adapters/devTokens.js';
import { adminApiFor } from '../../app/admin/adminHosting.js';
import { isCutShort, messageBatchesOf, readEventFile } from '../../app/eventFiles.js';
import { claimDataFolder, type DataFolderClaim } from './localHostFile.js';
import { type LocalApiServer, startLocalApiServer } from './localApiServer.js';
import { type HubConsumers, startHubConsumers } from '../../adapters/eventHubConsumers.js';
import { processHubBatch } from '../../app/hubBatches.js';
import { buildServices, identityOf, type Services, useServices } from '../services.js';

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

export interface FileProgress {
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

/** What processFile reports to the host and what the host asks of it. */
interface FileWork {
  current: FileProgress | undefined;
  abandon: boolean;
}

const DEMO_FILE = 'demo-scenario.ndjson';
/** A file this long says when it starts, so the person watching knows what Lure is busy with. */
const LONG_FILE_RECORDS = 10_000;
/** How long a file whose last record is cut short waits for the rest before it is read as it is. */
const CUT_SHORT_PATIENCE_IN_MS = 60_000;
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
  try {
    const api = adminApiFor(services, devTokens ? { devKeys: (await loadDevSigningKey(config.local.dataDir)).publicKeys } : {});
    apiServer = await startLocalApiServer(api, config.local.apiPort);
  } catch (error) {
    useServices(undefined);
    await azurite?.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new RangeError(`setting LURE_API_PORT: port ${config.local.apiPort} is in use (set another, or 0 for any free port)`);
    throw error;
  }
  await claim.publish({ apiUrl: apiServer.url, ...(azurite === undefined ? {} : { tableConnectionString: azurite.connectionString }) });
  output.note(`Admin API: ${apiServer.url} (${devTokens ? 'a token for it: npx lure dev-token --role Lure.Admin' : 'tokens of the tenant only: the store is configured Table Storage'})`);

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
      const outcome = await processFile(services, file, processedDir, output, work);
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
        output.note(`decoys: ${rotated.rotated} rotated, ${rotated.finished} interrupted operations finished, ${rotated.rolledBack} undone, ${rotated.swept} leftovers removed${rotated.failures.length > 0 ? `; failures: ${rotated.failures.join('; ')}` : ''}`);
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
  if (eventHubs.connectionString !== undefined || eventHubs.namespace !== undefined) {
    consumers = startHubConsumers({
      connection: eventHubs.connectionString !== undefined ? { connectionString: eventHubs.connectionString } : { namespace: eventHubs.namespace!, credential: identityOf(effective) },
      hubs: eventHubs.hubs,
      consumerGroup: eventHubs.localConsumerGroup,
      store: services.store,
      onBatch: (hub, events, context) => run(async () => (await processHubBatch(services.ingest, hub, events, context)).forEach((alert) => show(alert, output))),
      onError: (hub, message) => output.note(`hub ${hub}: ${message}`),
    });
    output.note(`Reading hubs ${Object.values(eventHubs.hubs).join(', ')} on consumer group ${eventHubs.localConsumerGroup} (from the newest event, then from each checkpoint)`);
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
  output.note(`Watching ${inboxDir} for event files (Event Hub messages, JSON arrays, NDJSON). Ctrl-C stops.`);

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

async function processFile(
  services: Services,
  file: string,
  processedDir: string,
  output: LocalHostOutput,
  work: FileWork,
): Promise<'done' | 'waiting'> {
  const name = path.basename(file);
  let content: string;
  let before: Stats;
  try {
    before = await stat(file);
    content = await readEventFile(file);
  } catch (error) {
    // Moved or deleted since the watcher saw it (a change event after it was processed): nothing to do.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') return 'done';
    output.note(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 'done';
  }
  if (isCutShort(content)) {
    if (Date.now() - before.mtimeMs < CUT_SHORT_PATIENCE_IN_MS) {
      // Left where it is: the watcher sees it again when its writer adds the rest.
      output.note(`${name}: its last record is cut short, so it stays in the inbox until it is complete (write files as ${name}.partial and rename them in; a complete file may end its last line with a newline)`);
      return 'waiting';
    }
    output.note(`${name}: its last record has been cut short for over ${CUT_SHORT_PATIENCE_IN_MS / 60_000} minute; read as it is (that record is dead-lettered)`);
  }
  try {
    let read = 0;
    let deadLettered = 0;
    let raised = 0;
    const batches = [...messageBatchesOf(content)];
    // Records of a document's batch are one array; NDJSON lines count one each.
    const sizeOf = (batch: unknown[]) => batch.reduce<number>((sum, message) => sum + (Array.isArray(message) ? message.length : 1), 0);
    let progress: FileProgress = { name, done: 0, total: batches.reduce((sum, batch) => sum + sizeOf(batch), 0) };
    work.current = progress;
    if (progress.total >= LONG_FILE_RECORDS) output.note(`${name}: reading ${progress.total.toLocaleString('en-US')} records`);
    for (const batch of batches) {
      if (work.abandon) {
        output.note(`${name}: stopped at ${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} records; it stays in the inbox and is read again on the next start (what it raised folds, not twice)`);
        return 'done';
      }
      const report = await services.ingest(batch, name);
      read += report.read;
      deadLettered += report.deadLettered;
      raised += report.alerts.length;
      report.alerts.forEach((alert) => show(alert, output));
      progress = { ...progress, done: progress.done + sizeOf(batch) };
      work.current = progress;
    }
    const after = await stat(file);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      // Written to while it was read: read again once it settles (what it raised folds, not twice).
      output.note(`${name}: changed while it was read; it stays in the inbox and is read again`);
      return 'done';
    }
    await rename(file, uniquePath(processedDir, name));
    output.note(`${name}: ${fileSummary(read, raised, deadLettered)}; moved to processed/`);
  } catch (error) {
    // The store failed: leave the file for the next start rather than lose it.
    output.note(`${name}: not processed (${error instanceof Error ? error.message : String(error)}); it stays in the inbox`);
  } finally {
    work.current = undefined;
  }
  return 'done';
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

function show(alert: Alert, output: LocalHostOutput): void {
  // A hit on a disabled decoy is kept as evidence and never notified.
  if (alert.status === 'suppressed') output.note(`suppressed hit on disabled decoy ${alert.decoyId ?? '?'}: ${alert.title} (alert ${alert.id})`);
  else output.alert(alert);
}

function uniquePath(folder: string, name: string): string {
  const stamp = new Date().toISOString().replaceAll(':', '').replace(/\.\d+Z$/, 'Z');
  return path.join(folder, `${stamp}-${name}`);
}

/** What one inbox file gave, in words: `1 record, 2 alerts raised or updated, 0 dead-lettered`. */
export function fileSummary(records: number, alerts: number, deadLettered: number): string {
  const counted = (count: number, noun: string) => `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
  return `${counted(records, 'record')}, ${counted(alerts, 'alert')} raised or updated, ${deadLettered.toLocaleString('en-US')} dead-lettered`;
}

/** The inbox's convention for a file still being written: a dot-file or `*.partial`, renamed in when done. */
function isBeingWritten(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.partial');
}

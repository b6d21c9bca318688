#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EventFileError } from '../../app/eventFiles.js';
import { replay, ReplayInputError } from '../../app/replay.js';
import { consoleLogger } from '../../adapters/consoleLogger.js';
import { formatAlertLine } from '../../alerting/formatAlertLine.js';
import { loadConfig } from '../../config/loadConfig.js';
import { SETTINGS } from '../../config/settings.js';
import { formatSummary } from './formatSummary.js';
import type { Alert, AlertStatus } from '../../domain/alerts.js';
import { totalAccepted } from '../../app/ingestReport.js';
import { sendEventFiles } from '../../app/sendEvents.js';
import { setUpTenant } from '../../app/tenantSetup.js';
import { loadDevSigningKey, MAX_DEV_TOKEN_LIFETIME_IN_MINUTES, mintDevToken } from '../../adapters/devTokens.js';
import { devTokenIdentity } from '../../app/admin/adminHosting.js';
import { ADMIN_ROLE, READER_ROLE } from '../../app/admin/callerAuthenticator.js';
import { buildServices, tenantAdministrationOf } from '../services.js';
import { startLocalHost } from '../local/localHost.js';
import { findRunningLocalHost } from '../local/localHostFile.js';

/** Exit codes: 0 done, 1 failed (store unavailable, a bug), 2 bad invocation or input file. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** Something the person running `lure` must fix: a setting, a missing or malformed input file. */
class UsageError extends Error {
  override name = 'UsageError';
}

function configFrom(environment: Readonly<Record<string, string | undefined>>) {
  try {
    return loadConfig(environment);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Services over Lure's store for the commands that read or change it. With no Table setting, that is the
 * store of the local Lure running on the data folder (`npm start`), if one is; the command says which.
 */
async function storeServices() {
  let config = configFrom(process.env);
  if (config.store === 'table' && config.table === undefined) {
    const running = await findRunningLocalHost(config.local.dataDir);
    if (running === undefined) {
      throw new UsageError(`no store: set LURE_TABLE_SERVICE_URI (or LURE_TABLE_CONNECTION_STRING), or run npm start, whose store this command then uses (no local Lure is running on ${config.local.dataDir})`);
    }
    if (running.tableConnectionString === undefined) {
      throw new UsageError(`the local Lure running on ${config.local.dataDir} (pid ${running.pid}) has no embedded Azurite (its store is in memory or configured Table Storage): set the same LURE_TABLE_* settings here`);
    }
    config = { ...config, table: { connectionString: running.tableConnectionString } };
    process.stderr.write(`lure: using the store of the local Lure running on ${config.local.dataDir} (pid ${running.pid})\n`);
  } else {
    process.stderr.write(`lure: using ${config.store === 'memory' ? 'an in-memory store (empty: LURE_STORE=memory)' : 'the configured Table Storage'}\n`);
  }
  return buildServices(config, { logger: consoleLogger({ minimumLevel: 'warn', format: config.logFormat }) });
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('lure')
    .description('Deception-based detection for Microsoft Entra ID and Exchange Online')
    .version(await packageVersion(), '-V, --version', 'print the version of Lure')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  let exitCode = 0;

  program
    .command('replay')
    .description('Run the full pipeline over event files; print each alert as one JSON line on stdout and a summary on stderr')
    .argument('<files...>', 'event files: Event Hub messages, JSON arrays or NDJSON, records of any source mixed')
    .option('--decoys <file>', 'decoy file ({"decoys":[…]}) to load first')
    .addOption(new Option('--jwks <file>', 'JWKS document of signing keys (repeatable)').argParser(collect).default([]))
    .option('--config <file>', 'JSON object of settings (names as in the README), over the environment')
    .action(async (files: string[], options: { decoys?: string; jwks: string[]; config?: string }) => {
      const settings = options.config === undefined ? {} : await readSettingsFile(options.config);
      const environment = { ...process.env, LURE_STORE: process.env['LURE_STORE'] ?? 'memory', ...settings };
      const config = configFrom(environment);
      const services = await buildServices(config, { logger: consoleLogger({ minimumLevel: 'warn', format: config.logFormat }) });
      const result = await replay(services, { files, ...(options.decoys === undefined ? {} : { decoyFile: options.decoys }), jwksFiles: options.jwks });
      for (const alert of result.alerts) process.stdout.write(`${JSON.stringify(alert)}\n`);
      process.stderr.write(
        `${formatSummary(result.report, result.alerts, { files: files.length, signingKeys: result.signingKeys.length, tokenChecks: result.tokenChecks, tokenMatches: result.tokenMatches, incidents: result.incidents })}\n`,
      );
      // Exit 0 either way (the input was read), but a run that could not have alerted says why.
      if (totalAccepted(result.report) === 0) process.stderr.write(`lure: warning: no record of ${files.length === 1 ? 'this file' : 'these files'} was accepted: is it Lure's input (Event Hub messages, audit content, NDJSON of records)?\n`);
      if (options.decoys === undefined && (await services.store.listDecoys()).length === 0) process.stderr.write('lure: note: no --decoys file, so no decoy hit can be found; only the token and mail detections ran\n');
    });

  program
    .command('start')
    .description('Run Lure locally: embedded Azurite, an inbox folder watched for event files, alerts printed as raised')
    .addHelpText('after', localHostSettingsHelp())
    .action(async () => {
      const config = configFrom(process.env);
      // isTTY is typed boolean but is undefined when stdout is not a terminal: colour stays a boolean.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- see above
      const colour = process.stdout.isTTY === true;
      // Status lines follow the log format too, so stderr is all JSON or all text.
      const say = (line: string, level: 'info' | 'error' = 'info') =>
        process.stderr.write(config.logFormat === 'json' ? `${JSON.stringify({ time: new Date().toISOString(), level, message: line })}\n` : `lure: ${line}\n`);
      const host = await startLocalHost(
        config,
        {
          alert: (alert) => process.stdout.write(`${formatAlertLine(alert, { colour })}\n`),
          note: (line) => say(line),
        },
        consoleLogger({ minimumLevel: 'warn', format: config.logFormat }),
      );
      await new Promise<void>((resolve) => {
        const waitingFor = () => {
          const progress = host.progress();
          return progress === undefined ? '' : `; finishing ${progress.name}: ${progress.done.toLocaleString('en-US')} / ${progress.total.toLocaleString('en-US')} records; Ctrl-C again to stop now — the file stays in the inbox`;
        };
        const stop = (signal: NodeJS.Signals) => {
          // One stop, whichever signal came first; the next signal of either kind is the second Ctrl-C.
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          say(`${signal} received, stopping${waitingFor()}`);
          // While a long file finishes, say how far it has come; a second signal stops it at the next batch.
          const reporter = setInterval(() => {
            const line = waitingFor();
            if (line !== '') say(`stopping${line}`);
          }, 2_000);
          const again = () => {
            say('stopping after the batch in hand');
            host.abandonFile();
          };
          process.once('SIGINT', again);
          process.once('SIGTERM', again);
          host.stop().then(
            () => {
              clearInterval(reporter);
              resolve();
            },
            (error: unknown) => {
              clearInterval(reporter);
              say(`stop failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
              exitCode = EXIT_FAILED;
              resolve();
            },
          );
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  const decoys = program.command('decoys').description("Manage decoys in the tenant through Graph (LURE_TENANT_ID; Lure's table store)");
  const lifecycles = async () => (await storeServices()).lifecycles;
  const printMaterial = (material: { text: string; advice: string } | undefined) => {
    if (material === undefined) return;
    process.stderr.write(`lure: plant this material now; Lure keeps no copy of its secret.\nlure: ${material.advice}\n`);
  };
  decoys
    .command('create')
    .description('Create a decoy from a JSON request (inline, a file, or - for stdin); prints {decoy, material} as JSON')
    .argument('<request>', 'e.g. {"kind":"user","id":"d-user-2","rotationIntervalInHours":720}')
    .action(async (file: string) => {
      const request = await readJsonInput(file);
      const result = await (await lifecycles()).create(request);
      process.stdout.write(`${JSON.stringify({ decoy: result.decoy, ...(result.material === undefined ? {} : { material: result.material.text }) }, null, 2)}\n`);
      printMaterial(result.material);
    });
  decoys
    .command('rotate')
    .description('Rotate a decoy now; prints {decoy, material} as JSON (managed placements are rewritten too)')
    .argument('<id>')
    .action(async (id: string) => {
      const result = await (await lifecycles()).rotate(id, 'caller');
      process.stdout.write(`${JSON.stringify({ decoy: result.decoy, ...(result.material === undefined ? {} : { material: result.material.text }) }, null, 2)}\n`);
      printMaterial(result.material);
    });
  decoys
    .command('retire')
    .description('Remove a decoy from the tenant (what Lure created is deleted) and from Lure')
    .argument('<id>')
    .action(async (id: string) => {
      await (await lifecycles()).retire(id);
      process.stderr.write(`lure: decoy ${id} retired\n`);
    });

  program
    .command('test-alert')
    .description('Send a clearly marked test notification through one channel\'s real path, and say how it went')
    .addOption(new Option('--channel <channel>', 'the channel to test').choices(['teams', 'email', 'webhook']).makeOptionMandatory())
    .action(async (options: { channel: 'teams' | 'email' | 'webhook' }) => {
      const services = await storeServices();
      const entry = await services.delivery.sendTest(options.channel);
      const outcome = entry.status === 'accepted' ? 'accepted (the flow was triggered; check the channel for the card)' : entry.status;
      process.stderr.write(`lure: test notification to ${options.channel}: ${outcome}${entry.lastError === undefined ? '' : ` (${entry.lastError})`}\n`);
      if (entry.status !== 'delivered' && entry.status !== 'accepted') exitCode = EXIT_FAILED;
    });

  program
    .command('send')
    .description('Push event files (any framing) to one of Lure\'s Event Hubs, as the sources would: a test event after deploying')
    .addOption(new Option('--hub <hub>', 'which hub').choices(['entra', 'exchange', 'token']).makeOptionMandatory())
    .argument('<files...>', 'event files: Event Hub messages, JSON arrays or NDJSON')
    .action(async (files: string[], options: { hub: 'entra' | 'exchange' | 'token' }) => {
      const config = configFrom(process.env);
      const services = await buildServices({ ...config, store: 'memory' }, { logger: consoleLogger({ minimumLevel: 'warn', format: config.logFormat }) });
      if (services.publisher === undefined) throw new UsageError('setting LURE_EVENTHUB__fullyQualifiedNamespace: set it (with an identity allowed to send) or LURE_EVENTHUB_CONNECTION_STRING');
      try {
        const hub = config.eventHubs.hubs[options.hub];
        const sent = await sendEventFiles(services.publisher, hub, files);
        process.stderr.write(`lure: sent ${sent.records} records in ${sent.events} events from ${sent.files} files to hub ${hub}\n`);
      } finally {
        await services.publisher.close();
      }
    });

  program
    .command('setup')
    .description('The tenant steps Bicep cannot take, as the administrator signed in (az login): shows what is missing; --apply makes it')
    .requiredOption('--principal-id <objectId>', "object id of Lure's managed identity (its service principal)", guid)
    .requiredOption('--app-id <clientId>', "client id of Lure's managed identity", guid)
    .option('--apply', 'make what is missing (otherwise only say what would be made)', false)
    .action(async (options: { principalId: string; appId: string; apply: boolean }) => {
      const config = configFrom(process.env);
      const services = await buildServices(config, { logger: consoleLogger({ minimumLevel: 'warn', format: config.logFormat }) });
      const steps = await setUpTenant({
        store: services.store,
        admin: tenantAdministrationOf(config),
        lurePrincipalId: options.principalId,
        lureAppId: options.appId,
        ...(config.delivery.email === undefined ? {} : { emailSender: config.delivery.email.sender }),
        selfPrincipalIds: config.selfPrincipalIds,
        apply: options.apply,
      });
      for (const step of steps) process.stdout.write(`[${step.state}] ${step.step}: ${step.detail.replaceAll('\n', '\n    ')}\n`);
      if (steps.some((step) => step.state === 'pending')) process.stderr.write('lure: run again with --apply to make the pending steps\n');
    });

  program
    .command('dev-token')
    .description('Print an admin API token the local host (npm start) accepts, signed by the key in the local data folder; never accepted in Azure')
    .addOption(new Option('--role <role>', 'the app role the token carries').choices([ADMIN_ROLE, READER_ROLE]).makeOptionMandatory())
    .addOption(
      new Option('--expires-in-minutes <minutes>', `how long the token lives, at most ${MAX_DEV_TOKEN_LIFETIME_IN_MINUTES} (the API refuses longer-lived tokens)`)
        .argParser(devTokenMinutes)
        .default(60),
    )
    .option('--upn <name>', 'who the token says the caller is (the audit trail records it)')
    .action(async (options: { role: string; expiresInMinutes: number; upn?: string }) => {
      const config = configFrom(process.env);
      if (config.delivery.inAzure) throw new UsageError('dev tokens are for the local host only (WEBSITE_SITE_NAME is set)');
      const identity = devTokenIdentity(config);
      const token = await mintDevToken(await loadDevSigningKey(config.local.dataDir), {
        tenantId: identity.tenantId,
        authorityHost: config.signing.authorityHost,
        audience: identity.audience,
        roles: [options.role],
        ...(options.upn === undefined ? {} : { userPrincipalName: options.upn }),
        lifetimeInMinutes: options.expiresInMinutes,
        now: new Date(),
      });
      process.stdout.write(`${token}\n`);
    });

  program
    .command('status')
    .description('Print the delivery status per channel (delivered, accepted, pending, dead, last error) as JSON')
    .action(async () => {
      const services = await storeServices();
      process.stdout.write(`${JSON.stringify({ channels: await services.delivery.status() }, null, 2)}\n`);
    });

  program
    .command('alerts')
    .description("Print the stored alerts as JSON lines (the alert JSON), newest event first")
    .addOption(new Option('--status <status>', 'only alerts in this status').choices(['open', 'acknowledged', 'resolved', 'suppressed']))
    .action(async (options: { status?: AlertStatus }) => {
      const services = await storeServices();
      const alerts: Alert[] = [];
      for await (const stored of services.store.listAlerts(options.status === undefined ? {} : { status: options.status })) alerts.push(stored.alert);
      alerts.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
      await printJsonLines(alerts, 'alert');
    });

  program
    .command('incidents')
    .description('Print the stored incidents (alerts sharing an actor) as JSON lines')
    .action(async () => printJsonLines((await storeServices()).store.listIncidents(), 'incident'));

  program
    .command('dead-letters')
    .description('Print the dead letters (records Lure could not read: reason, origin, time, redacted excerpt) as JSON lines')
    .action(async () => printJsonLines((await storeServices()).store.listDeadLetters(), 'dead letter'));

  try {
    await program.parseAsync(argv, { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    // A RangeError names what was wrong with the request or a setting; a DirectoryError the Graph call that failed.
    if (error instanceof EventFileError || error instanceof ReplayInputError || error instanceof UsageError || error instanceof RangeError) {
      process.stderr.write(`lure: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`lure: failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return EXIT_FAILED;
  }
  return exitCode;
}

/** Prints items as JSON lines on stdout, and how many there were on stderr. */
async function printJsonLines(items: AsyncIterable<unknown> | Iterable<unknown>, noun: string): Promise<void> {
  let count = 0;
  for await (const item of items) {
    process.stdout.write(`${JSON.stringify(item)}\n`);
    count += 1;
  }
  process.stderr.write(`lure: ${count} ${noun}${count === 1 ? '' : 's'}\n`);
}

/** `lure start --help`: the settings of the local host, from the same list as the README's table. */
function localHostSettingsHelp(): string {
  const local = SETTINGS.filter((setting) => setting.description.startsWith('Local host') || ['LURE_STORE', 'LURE_TABLE_CONNECTION_STRING', 'LURE_TABLE_SERVICE_URI'].includes(setting.name));
  const width = Math.max(...local.map((setting) => setting.name.length));
  const rows = local.map((setting) => `  ${setting.name.padEnd(width)}  ${setting.defaultValue.replaceAll('`', '').padEnd(24)} ${setting.description.replace(/^Local host: /, '')}`);
  return `\nSettings (environment variables; every one is in the README's Settings table):\n  ${'name'.padEnd(width)}  ${'default'.padEnd(24)} meaning\n${rows.join('\n')}\n`;
}

/** A JSON request given inline (`{…}`, as the help shows), from a file, or from stdin (`-`). */
async function readJsonInput(file: string): Promise<unknown> {
  if (file.trimStart().startsWith('{')) {
    try {
      return JSON.parse(file) as unknown;
    } catch {
      throw new UsageError('the request is not valid JSON');
    }
  }
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: not readable`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${file}: not valid JSON`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function guid(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new InvalidArgumentError(`not a GUID: ${value}`);
  return value.toLowerCase();
}

function positiveInteger(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`not a positive whole number: ${value}`);
  return Number(value);
}

function devTokenMinutes(value: string): number {
  const minutes = positiveInteger(value);
  if (minutes > MAX_DEV_TOKEN_LIFETIME_IN_MINUTES) throw new InvalidArgumentError(`at most ${MAX_DEV_TOKEN_LIFETIME_IN_MINUTES} minutes (a day): the admin API refuses tokens that live longer than Entra's`);
  return minutes;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The version in package.json, found upwards from this file (src/cli when run from source, dist/src/cli when built). */
async function packageVersion(): Promise<string> {
  for (let folder = path.dirname(fileURLToPath(import.meta.url)); ; folder = path.dirname(folder)) {
    try {
      const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'lure' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not here: one folder up.
    }
    if (path.dirname(folder) === folder) return 'unknown';
  }
}

async function readSettingsFile(file: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new ReplayInputError(`${file}: not a readable JSON file`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ReplayInputError(`${file}: must be a JSON object of settings`);
  const known = new Set(SETTINGS.map((setting) => setting.name));
  const settings: [string, string][] = [];
  for (const [name, value] of Object.entries(parsed)) {
    // A misspelled name would otherwise be ignored, and the run would use the default without a word.
    if (!known.has(name)) throw new ReplayInputError(`${file}: ${name} is not a Lure setting (the README's Settings table lists every one)`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ReplayInputError(`${file}: setting ${name} must be a string, number or boolean`);
    }
    settings.push([name, String(value)]);
  }
  return Object.fromEntries(settings);
}

process.exitCode = await main(process.argv);

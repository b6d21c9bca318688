#!/usr/bin/env node
import { CHANNELS, type ChannelName } from '../../domain/delivery.js';
import { readStatusReport } from '../../app/admin/statusReport.js';
import { Command, CommanderError, Option } from 'commander';
import { EventFileError } from '../../app/eventFiles.js';
import { replay, ReplayInputError } from '../../app/replay.js';
import { consoleLogger } from '../../adapters/consoleLogger.js';
import { formatSummary } from './formatSummary.js';
import { ALERT_STATUSES, type Alert, type AlertStatus } from '../../domain/alerts.js';
import { HUB_NAMES, type HubName } from '../../domain/streams.js';
import { totalAccepted } from '../../app/ingestReport.js';
import { sendEventFiles } from '../../app/sendEvents.js';
import { setUpTenant } from '../../app/tenantSetup.js';
import { loadDevSigningKey, MAX_DEV_TOKEN_LIFETIME_IN_MINUTES, mintDevToken } from '../../adapters/devTokens.js';
import { ADMIN_ROLE, READER_ROLE } from '../../app/admin/callerAuthenticator.js';
import { buildServices, tenantAdministrationOf } from '../services.js';
import { findRunningLocalHost } from '../local/localHostFile.js';
import {
  collect,
  siteUrls,
  configFrom,
  devTokenMinutes,
  guid,
  localHostSettingsHelp,
  packageVersion,
  printJsonLines,
  readJsonInput,
  readSettingsFile,
  UsageError,
} from './cliInputs.js';
import { runLocalHost } from './startCommand.js';
import { byteProgressBar } from './progressBar.js';
import { devTokenIdentity } from '../adminHosting.js';

/** Exit codes: 0 done, 1 failed (store unavailable, a bug), 2 bad invocation or input file. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/**
 * Services over Lure's store for the commands that read or change it. With no Table setting, that is the
 * store of the local Lure running on the data folder (`npm start`), if one is; the command says which.
 */
async function storeServices() {
  let config = configFrom(process.env);
  if (config.store === 'table' && config.table === undefined) {
    const running = await findRunningLocalHost(config.local.dataDir);
    if (running === undefined) {
      throw new UsageError(
        `no store: set LURE_TABLE_SERVICE_URI (or LURE_TABLE_CONNECTION_STRING), or run npm start, whose store this command then uses (no local Lure is running on ${config.local.dataDir})`,
      );
    }
    if (running.tableConnectionString === undefined) {
      throw new UsageError(
        `the local Lure running on ${config.local.dataDir} (pid ${running.pid}) has no embedded Azurite (its store is in memory or configured Table Storage): set the same LURE_TABLE_* settings here`,
      );
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
      const bar = byteProgressBar();
      const result = await replay(services, {
        files,
        ...(options.decoys === undefined ? {} : { decoyFile: options.decoys }),
        jwksFiles: options.jwks,
        onProgress: (progress) => bar.update(progress),
      }).finally(() => bar.stop());
      for (const alert of result.alerts) process.stdout.write(`${JSON.stringify(alert)}\n`);
      process.stderr.write(
        `${formatSummary(result.report, result.alerts, { files: files.length, signingKeys: result.signingKeys.length, tokenChecks: result.tokenChecks, tokenMatches: result.tokenMatches, incidents: result.incidents })}\n`,
      );
      // Exit 0 either way (the input was read), but a run that could not have alerted says why.
      if (totalAccepted(result.report) === 0)
        process.stderr.write(
          `lure: warning: no record of ${files.length === 1 ? 'this file' : 'these files'} was accepted: is it Lure's input (Event Hub messages, audit content, NDJSON of records)?\n`,
        );
      if (options.decoys === undefined && (await services.store.listDecoys()).length === 0)
        process.stderr.write('lure: note: no --decoys file, so no decoy hit can be found; only the token and mail detections ran\n');
    });

  program
    .command('start')
    .description('Run Lure locally: embedded Azurite, an inbox folder watched for event files, alerts printed as raised')
    .addHelpText('after', localHostSettingsHelp())
    .action(async () => {
      if (!(await runLocalHost(configFrom(process.env)))) exitCode = EXIT_FAILED;
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
      process.stdout.write(
        `${JSON.stringify({ decoy: result.decoy, ...(result.material === undefined ? {} : { material: result.material.text }) }, null, 2)}\n`,
      );
      printMaterial(result.material);
    });
  decoys
    .command('rotate')
    .description('Rotate a decoy now; prints {decoy, material} as JSON (managed placements are rewritten too)')
    .argument('<id>')
    .action(async (id: string) => {
      const result = await (await lifecycles()).rotate(id, 'caller');
      process.stdout.write(
        `${JSON.stringify({ decoy: result.decoy, ...(result.material === undefined ? {} : { material: result.material.text }) }, null, 2)}\n`,
      );
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
    .description("Send a clearly marked test notification through one channel's real path, and say how it went")
    .addOption(new Option('--channel <channel>', 'the channel to test').choices(CHANNELS).makeOptionMandatory())
    .action(async (options: { channel: ChannelName }) => {
      const services = await storeServices();
      const entry = await services.delivery.sendTest(options.channel);
      const outcome = entry.status === 'accepted' ? 'accepted (the flow was triggered; check the channel for the card)' : entry.status;
      process.stderr.write(`lure: test notification to ${options.channel}: ${outcome}${entry.lastError === undefined ? '' : ` (${entry.lastError})`}\n`);
      if (entry.status !== 'delivered' && entry.status !== 'accepted') exitCode = EXIT_FAILED;
    });

  program
    .command('send')
    .description("Push event files (any framing) to one of Lure's Event Hubs, as the sources would: a test event after deploying")
    .addOption(new Option('--hub <hub>', 'which hub').choices(HUB_NAMES).makeOptionMandatory())
    .argument('<files...>', 'event files: Event Hub messages, JSON arrays or NDJSON')
    .action(async (files: string[], options: { hub: HubName }) => {
      const config = configFrom(process.env);
      const services = await buildServices({ ...config, store: 'memory' }, { logger: consoleLogger({ minimumLevel: 'warn', format: config.logFormat }) });
      if (services.publisher === undefined)
        throw new UsageError('setting LURE_EVENTHUB__fullyQualifiedNamespace: set it (with an identity allowed to send) or LURE_EVENTHUB_CONNECTION_STRING');
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
    .option('--site <url>', 'a SharePoint site (or OneDrive) to hold decoy files: Lure is granted write there under Sites.Selected (repeatable)', siteUrls, [])
    .option('--apply', 'make what is missing (otherwise only say what would be made)', false)
    .action(async (options: { principalId: string; appId: string; site: string[]; apply: boolean }) => {
      const config = configFrom(process.env);
      const services = await buildServices(config, { logger: consoleLogger({ minimumLevel: 'warn', format: config.logFormat }) });
      const steps = await setUpTenant({
        store: services.store,
        admin: tenantAdministrationOf(config),
        lurePrincipalId: options.principalId,
        lureAppId: options.appId,
        sites: options.site,
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
      new Option(
        '--expires-in-minutes <minutes>',
        `how long the token lives, at most ${MAX_DEV_TOKEN_LIFETIME_IN_MINUTES} (the API refuses longer-lived tokens)`,
      )
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
    .description(
      'Print the status report as JSON, as GET /api/status: each stream (expected ones that never delivered in neverDelivered, with the likely cause), the last hour, delivery per channel, key sets',
    )
    .action(async () => {
      const services = await storeServices();
      process.stdout.write(`${JSON.stringify(await readStatusReport(services), null, 2)}\n`);
    });

  program
    .command('alerts')
    .description('Print the stored alerts as JSON lines (the alert JSON), newest event first')
    .addOption(new Option('--status <status>', 'only alerts in this status').choices(ALERT_STATUSES))
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

process.exitCode = await main(process.argv);

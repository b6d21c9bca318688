import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { MAX_DEV_TOKEN_LIFETIME_IN_MINUTES } from '../../adapters/devTokens.js';
import { ReplayInputError } from '../../app/replay.js';
import { loadConfig } from '../../config/loadConfig.js';
import { SETTINGS } from '../../config/settings.js';

/* What the commands read from the person running them: arguments, settings files, JSON requests, and what they print back. */

/** Something the person running `lure` must fix: a setting, a missing or malformed input file. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function configFrom(environment: Readonly<Record<string, string | undefined>>) {
  try {
    return loadConfig(environment);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Prints items as JSON lines on stdout, and how many there were on stderr. */
export async function printJsonLines(items: AsyncIterable<unknown> | Iterable<unknown>, noun: string): Promise<void> {
  let count = 0;
  for await (const item of items) {
    process.stdout.write(`${JSON.stringify(item)}\n`);
    count += 1;
  }
  process.stderr.write(`lure: ${count} ${noun}${count === 1 ? '' : 's'}\n`);
}

/** `lure start --help`: the settings of the local host, from the same list as the README's table. */
export function localHostSettingsHelp(): string {
  const local = SETTINGS.filter(
    (setting) =>
      setting.description.startsWith('Local host') || ['LURE_STORE', 'LURE_TABLE_CONNECTION_STRING', 'LURE_TABLE_SERVICE_URI'].includes(setting.name),
  );
  const width = Math.max(...local.map((setting) => setting.name.length));
  const rows = local.map(
    (setting) => `  ${setting.name.padEnd(width)}  ${setting.defaultValue.replaceAll('`', '').padEnd(24)} ${setting.description.replace(/^Local host: /, '')}`,
  );
  return `\nSettings (environment variables; every one is in the README's Settings table):\n  ${'name'.padEnd(width)}  ${'default'.padEnd(24)} meaning\n${rows.join('\n')}\n`;
}

/** A JSON request given inline (`{…}`, as the help shows), from a file, or from stdin (`-`). */
export async function readJsonInput(file: string): Promise<unknown> {
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

/** A site to hold decoy files, collected (repeatable option). */
export function siteUrls(value: string, previous: readonly string[]): string[] {
  if (!/^https:\/\/[^/\s]+(\/\S*)?$/i.test(value)) throw new InvalidArgumentError(`not the https URL of a site: ${value}`);
  return [...previous, value];
}

export function guid(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new InvalidArgumentError(`not a GUID: ${value}`);
  return value.toLowerCase();
}

function positiveInteger(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`not a positive whole number: ${value}`);
  return Number(value);
}

export function devTokenMinutes(value: string): number {
  const minutes = positiveInteger(value);
  if (minutes > MAX_DEV_TOKEN_LIFETIME_IN_MINUTES)
    throw new InvalidArgumentError(`at most ${MAX_DEV_TOKEN_LIFETIME_IN_MINUTES} minutes (a day): the admin API refuses tokens that live longer than Entra's`);
  return minutes;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The version in package.json, found upwards from this file (src/host/cli when run from source, dist/src/host/cli when built). */
export async function packageVersion(): Promise<string> {
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

export async function readSettingsFile(file: string): Promise<Record<string, string>> {
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

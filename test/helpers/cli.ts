import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.js';

const CLI = path.join(PROJECT_ROOT, 'src', 'host', 'cli', 'main.ts');

/** Environment for a CLI under test: no Lure or Azure settings leak in from the developer's shell. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('LURE_') && !name.startsWith('AZURE_')) environment[name] = value;
  }
  // Tests run side by side: each local host's admin API takes a free port, never the fixed default.
  return { ...environment, LURE_API_PORT: '0', ...extra };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lure <args>` from source (the same code `npm install` builds into the `lure` bin) to completion. */
export function runLure(args: readonly string[], environment: NodeJS.ProcessEnv = cleanEnvironment()): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: PROJECT_ROOT, env: environment });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `lure <args>` and leaves it running, for long-lived commands like `start`. */
export function spawnLure(
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
): ChildProcessWithoutNullStreams & { output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: PROJECT_ROOT, env: environment });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return Object.assign(child, { output });
}

/** Sends SIGINT (Ctrl-C) to a running `lure start` and answers its exit code. */
export async function interruptLure(child: ReturnType<typeof spawnLure>): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

/** Waits until `condition` holds, checking every 50 ms; fails after `deadlineInMs` with what was seen. */
export async function waitFor(condition: () => boolean, describe: () => string, deadlineInMs = 180_000): Promise<void> {
  const giveUpAt = Date.now() + deadlineInMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Parses the `accounted:` line of a replay summary. */
export function accountedLine(stderr: string): { accepted: number; skipped: number; read: number } {
  const match = /^accounted: (\d+) accepted \+ (\d+) skipped = (\d+) read$/m.exec(stderr);
  if (match === null) throw new Error(`no accounted line in:\n${stderr}`);
  return { accepted: Number(match[1]), skipped: Number(match[2]), read: Number(match[3]) };
}

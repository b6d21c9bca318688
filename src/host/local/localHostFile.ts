import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `<data folder>/local-host.json`: the lock that keeps one local Lure per data folder (two would ingest the
 * same inbox files and share one Azurite database), and where the running one says how to reach it, so the
 * CLI (`lure status`, `lure alerts`, …) can use its store. Owner-readable only: it holds the store's
 * connection string.
 */
const HOST_FILE = 'local-host.json';

export interface LocalHostRecord {
  readonly pid: number;
  readonly startedAt: string;
  /** Set once the host is up. */
  readonly apiUrl?: string;
  /** The embedded Azurite's connection string; absent over memory or configured Table Storage. */
  readonly tableConnectionString?: string;
}

export class DataFolderInUseError extends RangeError {
  override name = 'DataFolderInUseError';
}

export interface DataFolderClaim {
  /** Says how to reach the host, once it is up. */
  publish(endpoints: Pick<LocalHostRecord, 'apiUrl' | 'tableConnectionString'>): Promise<void>;
  /** Gives the folder up (the file goes, if it is still this process's). */
  release(): Promise<void>;
}

/** Claims the data folder for this process, or refuses, naming the local Lure that holds it. */
export async function claimDataFolder(dataDir: string, now: Date = new Date()): Promise<DataFolderClaim> {
  const file = path.join(dataDir, HOST_FILE);
  await mkdir(dataDir, { recursive: true });
  const own: LocalHostRecord = { pid: process.pid, startedAt: now.toISOString() };
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Written whole beside it, then linked in: of two starts at once exactly one gets the name, and no
      // reader ever sees the file half-written.
      await writeWhole(file, own, (temporary) => link(temporary, file));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 1) throw error;
      const holder = await runningHostOf(file);
      if (holder !== undefined) {
        throw new DataFolderInUseError(
          `another Lure is running on ${dataDir}: pid ${holder.pid}, started ${holder.startedAt}${holder.apiUrl === undefined ? '' : `, admin API ${holder.apiUrl}`} (stop it first, or set LURE_DATA_DIR to another folder; if no Lure runs there, delete ${file})`,
        );
      }
      // Left by a process that is gone (killed, crashed): moved aside, so of two starts taking it over only
      // one moves it (the other finds it gone and races for the name as above).
      const aside = `${file}.stale-${randomUUID()}`;
      const moved = await rename(file, aside).then(
        () => true,
        (renameError: unknown) => {
          if ((renameError as NodeJS.ErrnoException).code !== 'ENOENT') throw renameError;
          return false;
        },
      );
      if (moved) {
        // Another start may have taken the folder over between our check and the move: if what was moved
        // is a live claim, it goes back, and this start gives way.
        const movedHolder = await runningHostOf(aside);
        if (movedHolder !== undefined) {
          await link(aside, file).catch(() => {});
          await rm(aside, { force: true });
          throw new DataFolderInUseError(`another Lure is starting on ${dataDir}: pid ${movedHolder.pid}`);
        }
        await rm(aside, { force: true });
      }
    }
  }
  return {
    async publish(endpoints) {
      await writeWhole(file, { ...own, ...endpoints }, (temporary) => rename(temporary, file));
    },
    async release() {
      if ((await readRecord(file))?.pid === own.pid) await rm(file, { force: true });
    },
  };
}

/** Writes `record` to a temporary file beside `file` (owner-readable only), then moves it in with `place`. */
async function writeWhole(file: string, record: LocalHostRecord, place: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomUUID()}`;
  await writeFile(temporary, JSON.stringify(record), { mode: 0o600 });
  try {
    await place(temporary);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** The local Lure running on this data folder, if one is. */
export function findRunningLocalHost(dataDir: string): Promise<LocalHostRecord | undefined> {
  return runningHostOf(path.join(dataDir, HOST_FILE));
}

async function runningHostOf(file: string): Promise<LocalHostRecord | undefined> {
  const record = await readRecord(file);
  return record !== undefined && isAlive(record.pid) ? record : undefined;
}

async function readRecord(file: string): Promise<LocalHostRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalHostRecord>;
    if (typeof parsed.pid !== 'number' || typeof parsed.startedAt !== 'string') return undefined;
    return {
      pid: parsed.pid,
      startedAt: parsed.startedAt,
      ...(typeof parsed.apiUrl === 'string' ? { apiUrl: parsed.apiUrl } : {}),
      ...(typeof parsed.tableConnectionString === 'string' ? { tableConnectionString: parsed.tableConnectionString } : {}),
    };
  } catch {
    // Absent, or half-written by a process that died: no running host is named by it.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 checks the process exists without touching it; EPERM means it exists under another user.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import type { Stats } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileText, isFileCutShort, streamMessageBatches } from '../../app/eventFiles.js';
import type { Ingest } from '../../app/ingest.js';
import type { Alert } from '../../domain/alerts.js';
import type { LocalHostOutput } from './localHost.js';

/* One inbox file's way through the pipeline: read once it is whole, ingested batch by batch, moved to processed/. */

/** How far a file has been read, in bytes. */
export interface FileProgress {
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

/** What processFile reports to the host and what the host asks of it. */
export interface FileWork {
  current: FileProgress | undefined;
  abandon: boolean;
}

/** A file this long (bytes) says when it starts, so the person watching knows what Lure is busy with. */
const LONG_FILE_BYTES = 4_000_000;
/** How long a file whose last record is cut short waits for the rest before it is read as it is. */
export const CUT_SHORT_PATIENCE_IN_MS = 60_000;
export async function processFile(ingest: Ingest, file: string, processedDir: string, output: LocalHostOutput, work: FileWork): Promise<'done' | 'waiting'> {
  const name = path.basename(file);
  let cutShort: boolean;
  let before: Stats;
  try {
    before = await stat(file);
    cutShort = await isFileCutShort(file);
  } catch (error) {
    // Moved or deleted since the watcher saw it (a change event after it was processed): nothing to do.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') return 'done';
    output.note(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 'done';
  }
  if (cutShort) {
    if (Date.now() - before.mtimeMs < CUT_SHORT_PATIENCE_IN_MS) {
      // Left where it is: the watcher sees it again when its writer adds the rest.
      output.note(
        `${name}: its last record is cut short, so it stays in the inbox until it is complete (write files as ${name}.partial and rename them in; a complete file may end its last line with a newline)`,
      );
      return 'waiting';
    }
    output.note(
      `${name}: its last record has been cut short for over ${CUT_SHORT_PATIENCE_IN_MS / 60_000} minute; read as it is (that record is dead-lettered)`,
    );
  }
  try {
    let read = 0;
    let deadLettered = 0;
    let raised = 0;
    let progress: FileProgress = { name, done: 0, total: before.size };
    work.current = progress;
    if (progress.total >= LONG_FILE_BYTES) output.note(`${name}: reading ${megabytes(progress.total)}`);
    // Streamed a batch at a time: a file of any size is read in bounded memory.
    const text = fileText(file, (bytes) => {
      progress = { ...progress, done: Math.min(progress.total, progress.done + bytes) };
      work.current = progress;
    });
    for await (const batch of streamMessageBatches(text)) {
      if (work.abandon) {
        output.note(
          `${name}: stopped at ${megabytes(progress.done, false)} of ${megabytes(progress.total)}; it stays in the inbox and is read again on the next start (what it raised folds, not twice)`,
        );
        return 'done';
      }
      const report = await ingest(batch, name);
      read += report.read;
      deadLettered += report.deadLettered;
      raised += report.alerts.length;
      report.alerts.forEach((alert) => show(alert, output));
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

export function show(alert: Alert, output: LocalHostOutput): void {
  // A hit on a disabled decoy is kept as evidence and never notified.
  if (alert.status === 'suppressed') output.note(`suppressed hit on disabled decoy ${alert.decoyId ?? '?'}: ${alert.title} (alert ${alert.id})`);
  else output.alert(alert);
}

/** Bytes as megabytes in words: `18.4 MB` (`unit` false: the number only). */
export function megabytes(bytes: number, unit = true): string {
  return `${(bytes / 1e6).toFixed(1)}${unit ? ' MB' : ''}`;
}

function uniquePath(folder: string, name: string): string {
  const stamp = new Date()
    .toISOString()
    .replaceAll(':', '')
    .replace(/\.\d+Z$/, 'Z');
  return path.join(folder, `${stamp}-${name}`);
}

/** What one inbox file gave, in words: `1 record, 2 alerts raised or updated, 0 dead-lettered`. */
export function fileSummary(records: number, alerts: number, deadLettered: number): string {
  const counted = (count: number, noun: string) => `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
  return `${counted(records, 'record')}, ${counted(alerts, 'alert')} raised or updated, ${deadLettered.toLocaleString('en-US')} dead-lettered`;
}

/** The inbox's convention for a file still being written: a dot-file or `*.partial`, renamed in when done. */
export function isBeingWritten(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.partial');
}

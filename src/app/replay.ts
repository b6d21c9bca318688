import { access, constants, stat } from 'node:fs/promises';
import type { Alert, Incident } from '../domain/alerts.js';
import { DecoyValidationError, parseDecoyFile } from '../decoys/parseDecoys.js';
import { parseJwks } from '../keys/parseJwks.js';
import type { SigningKey } from '../domain/signingKeys.js';
import { EventFileError, fileText, readEventFile, streamMessageBatches } from './eventFiles.js';
import { emptyReport, type IngestReport, mergeReports } from './ingestReport.js';
import type { TokenResolveReport } from './tokenTracker.js';
import type { TokenMatchCount } from '../domain/tokens.js';
import type { Decoy } from '../domain/decoys.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';
import type { TokenIndexStore } from '../ports/store/tokenIndexStore.js';
import type { Ingest } from './ingest.js';
import type { KeyRegistry } from './keyRegistry.js';

/** What a replay runs on: the pipeline and the stores it reads the outcome from. */
export interface ReplayDependencies {
  readonly ingest: Ingest;
  readonly importDecoys: (decoys: readonly Decoy[]) => Promise<void>;
  readonly signingKeys: Pick<KeyRegistry, 'load'>;
  readonly resolveTokenChecks: (options: { readonly force: boolean }) => Promise<TokenResolveReport>;
  readonly store: Pick<AlertStore, 'getAlert'> & Pick<IncidentStore, 'getIncident'> & Pick<TokenIndexStore, 'listTokenMatchCounts'>;
}

export interface ReplayOptions {
  readonly files: readonly string[];
  readonly decoyFile?: string;
  readonly jwksFiles?: readonly string[];
  /** Hears how far the event files have been read, in bytes (for a progress bar). */
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  readonly bytesRead: number;
  readonly bytesTotal: number;
}

export interface ReplayResult {
  readonly report: IngestReport;
  /** Every distinct alert the input raised or matched, in its final state, ordered by event time. */
  readonly alerts: Alert[];
  /** Signing keys loaded from `--jwks` files. */
  readonly signingKeys: readonly SigningKey[];
  /** The token checks judged at the end of input. */
  readonly tokenChecks: TokenResolveReport;
  /** Judged token uses per source and app: matched an issuance or not. */
  readonly tokenMatches: readonly TokenMatchCount[];
  /** The incidents the alerts belong to. */
  readonly incidents: readonly Incident[];
}

/** A decoy or JWKS file that is not what it should be. The CLI exits 2 on it, as on a missing file. */
export class ReplayInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayInputError';
  }
}

/**
 * `lure replay`: the whole pipeline over files, as the functions run it, with event time driving every
 * window. Every file is checked before any is read, so a typo fails fast and prints no alerts.
 */
export async function replay(services: ReplayDependencies, options: ReplayOptions): Promise<ReplayResult> {
  for (const file of [...options.files, ...(options.decoyFile === undefined ? [] : [options.decoyFile]), ...(options.jwksFiles ?? [])]) {
    await access(file, constants.R_OK).catch(() => {
      throw new EventFileError(file, 'no such file or not readable');
    });
  }
  if (options.decoyFile !== undefined) {
    const file = options.decoyFile;
    try {
      await services.importDecoys(parseDecoyFile(await readJson(file)));
    } catch (error) {
      if (error instanceof DecoyValidationError) throw new ReplayInputError(`${file}: ${error.message}`);
      throw error;
    }
  }
  const signingKeys: SigningKey[] = [];
  for (const file of options.jwksFiles ?? []) {
    try {
      signingKeys.push(...parseJwks(await readJson(file)));
    } catch (error) {
      throw new ReplayInputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Keys from files are the published sets as far as this replay knows: a kid in none of them is unknown.
  if (signingKeys.length > 0) await services.signingKeys.load(signingKeys);

  const report = emptyReport();
  const bytesTotal = (await Promise.all(options.files.map(async (file) => (await stat(file)).size))).reduce((sum, size) => sum + size, 0);
  let bytesRead = 0;
  const onBytes = (bytes: number) => {
    // A document read a second way (see streamMessageBatches) is counted once.
    bytesRead = Math.min(bytesTotal, bytesRead + bytes);
    options.onProgress?.({ bytesRead, bytesTotal });
  };
  // Streamed, a batch at a time: a file of any size replays in bounded memory.
  for (const file of options.files) {
    for await (const batch of streamMessageBatches(fileText(file, onBytes))) mergeReports(report, await services.ingest(batch, file));
  }

  // End of input: every pending check is judged as if event time had moved past its grace period.
  const tokenChecks = await services.resolveTokenChecks({ force: true });
  const alerts: Alert[] = [];
  for (const id of new Set([...report.touchedAlertIds, ...tokenChecks.touchedAlertIds])) {
    const stored = await services.store.getAlert(id);
    if (stored !== undefined) alerts.push(stored.value.alert);
  }
  alerts.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1));
  const incidents: Incident[] = [];
  for (const id of new Set(alerts.flatMap((alert) => alert.incidentId ?? []))) {
    const incident = await services.store.getIncident(id);
    if (incident !== undefined) incidents.push(incident.value);
  }
  return { report, alerts, signingKeys, tokenChecks, tokenMatches: await services.store.listTokenMatchCounts(), incidents };
}

async function readJson(file: string): Promise<unknown> {
  const text = await readEventFile(file);
  try {
    return JSON.parse(text);
  } catch {
    throw new ReplayInputError(`${file}: not valid JSON`);
  }
}

import type { DetectionContext } from '../detections/detection.js';
import { detectionsByKind } from '../detections/index.js';
import type { NormalizedEvent } from '../domain/events.js';
import { isCompromisedKeyId } from '../keys/compromisedKeys.js';
import { SigningKeyIndex } from '../keys/keyHistory.js';
import { type DecodedUnit, decodeMessage } from '../normalize/decodeMessage.js';
import { normalizeRecord } from '../normalize/normalizeRecord.js';
import { isSkip, type NormalizeOutcome, skip } from '../normalize/outcome.js';
import { BOUND_DETAILS, boundExceeded, boundedJsonText } from '../normalize/recordBounds.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { DecoyRegistry } from './decoys/decoyRegistry.js';
import type { KeyRegistry } from './keyRegistry.js';
import type { MailBaselineTracker } from './mailBaselineTracker.js';
import type { StreamTracker } from './streamTracker.js';
import type { TokenTracker } from './tokenTracker.js';
import { deadLetterOfRecord, deadLetterOfText } from './deadLetters.js';
import { countAccepted, countSkipped, emptyReport, type IngestReport } from './ingestReport.js';
import { type AlertFolding, type DeliverAlerts, persistAlerts } from './persistAlerts.js';
import type { Finding } from '../domain/findings.js';
import { isDeadLettered } from '../domain/skips.js';
import type { DeadLetter } from '../domain/deadLetters.js';
import type { DeadLetterStore } from '../ports/store/deadLetterStore.js';
import type { AlertStore } from '../ports/store/alertStore.js';
import type { IncidentStore } from '../ports/store/incidentStore.js';

export interface IngestDependencies {
  readonly store: DeadLetterStore & AlertStore & IncidentStore;
  readonly decoys: DecoyRegistry;
  readonly tokens: TokenTracker;
  readonly mailBaselines: MailBaselineTracker;
  readonly streams: StreamTracker;
  readonly signingKeys: KeyRegistry;
  /** How the cloud's Entra issuers look, and when a retired key is suspicious. */
  readonly issuers: { readonly authorityHost: string; readonly v1IssuerHost: string; readonly retiredAlertAfterInHours: number };
  readonly clock: Clock;
  readonly logger: Logger;
  /** How findings fold into alerts. */
  readonly folding: AlertFolding;
  /** The last step: stored alerts to the outbox. */
  readonly deliver: DeliverAlerts;
  /** Lure's own object and app ids, lower-cased. */
  readonly selfPrincipalIds: ReadonlySet<string>;
}

/** Runs messages through the pipeline; `logger` overrides the run's, `partitionId` names the Entra hub partition they came from. */
export type Ingest = (messages: readonly unknown[], origin: string, logger?: Logger, options?: { readonly partitionId?: string }) => Promise<IngestReport>;

const DETECTIONS_BY_KIND = detectionsByKind();

/**
 * The one path every event takes, in the order the stages run: decode → normalize → detect → correlate →
 * persist → deliver (after which the mail baselines learn what the batch showed). Serves the Event Hub
 * functions, the local host and `lure replay` alike.
 *
 * A bad record never fails the batch: it is counted, dead-lettered and skipped, whatever it holds (every
 * step that reads a raw record is inside `intake`'s guard or bounded by `RECORD_BOUNDS`). A store failure
 * does fail it (the promise rejects), so the Functions host retries the whole batch; folding is idempotent,
 * so the retry adds no duplicate alert and no second count of the same evidence, and delivers what the
 * failed run did not.
 */
export async function ingestMessages(
  deps: IngestDependencies,
  messages: readonly unknown[],
  origin: string,
  options: { readonly partitionId?: string } = {},
): Promise<IngestReport> {
  const report = emptyReport();
  const now = deps.clock.now().toISOString();
  const { events, deadLetters } = decodeAndNormalize(messages, origin, now, report, deps.logger);
  const findings = await detect(events, deps, origin);
  // Correlate: which mailbox reads are new for their mailbox; folding into alerts and incidents is persist's.
  const mailReads = await deps.mailBaselines.judge(events);

  // Persist: dead letters, alerts (folded, in their incidents), then what later batches build on.
  if (deadLetters.length > 0) await deps.store.upsertDeadLetters(deadLetters);
  report.deadLettered = deadLetters.length;
  const persisted = await persistAlerts(deps.store, [...findings, ...mailReads.findings], { ...deps.folding, now });
  report.alerts = persisted.changed;
  report.touchedAlertIds = persisted.touchedIds;
  report.tokens = await deps.tokens.track(events, findings, options.partitionId);
  await deps.streams.recordArrivals(events, { origin, records: report.read, deadLettered: report.deadLettered });

  await deps.deliver(persisted.touched, new Set(persisted.changed.map((alert) => alert.id)));
  // Baselines learn only once the alerts they caused are delivered: until then a retried batch judges the
  // read new again and raises (folds into) the same alert, so a failure anywhere above repeats, never loses, it.
  await mailReads.commit();
  return report;
}

/** Decode and normalize: every record of every message becomes an event or a counted skip (dead-lettered if it is wrong). */
function decodeAndNormalize(
  messages: readonly unknown[],
  origin: string,
  now: string,
  report: IngestReport,
  logger: Logger,
): { readonly events: NormalizedEvent[]; readonly deadLetters: DeadLetter[] } {
  const deadLetters = new Map<string, DeadLetter>();
  const events: NormalizedEvent[] = [];
  for (const message of messages) {
    for (const unit of unitsOf(message)) {
      report.read += 1;
      const outcome = intake(unit, logger, origin);
      if (!isSkip(outcome)) {
        countAccepted(report, outcome.source, outcome.kind);
        events.push(outcome);
        continue;
      }
      countSkipped(report, outcome.skipped, outcome.detail);
      if (!isDeadLettered(outcome.skipped)) continue;
      const letter = 'malformed' in unit ? deadLetterOfText(unit.excerpt, outcome, origin, now) : deadLetterOfRecord(unit.record, outcome, origin, now);
      deadLetters.set(letter.id, letter);
    }
  }
  return { events, deadLetters: [...deadLetters.values()] };
}

/** Detect: every detection of each event's kind, against the decoys and signing keys in force. A detection that throws costs its event only. */
async function detect(events: readonly NormalizedEvent[], deps: IngestDependencies, origin: string): Promise<Finding[]> {
  const decoys = await deps.decoys.current();
  // A token naming a key nobody knows may name one published since the last refresh: look (rate-limited).
  // Honeytoken and known-compromised key ids are known for what they are and never trigger a fetch.
  const keyIds: string[] = [];
  for (const event of events) {
    if (event.kind !== 'tokenObservation') continue;
    const keyId = event.header.kid ?? event.header.x5t;
    if (keyId !== undefined && decoys.find('tokenKid', keyId) === undefined && !isCompromisedKeyId(keyId)) keyIds.push(keyId);
  }
  const context: DetectionContext = {
    decoys,
    selfPrincipalIds: deps.selfPrincipalIds,
    signing: { keys: await signingKeysFor(events, keyIds, deps.signingKeys), ...deps.issuers },
  };
  const findings: Finding[] = [];
  for (const event of events) {
    for (const detection of DETECTIONS_BY_KIND.get(event.kind) ?? []) {
      try {
        const found = detection.detect(event, context);
        if (found.length > 0) findings.push(...found);
      } catch (error) {
        deps.logger.error('detection failed on an event', { origin, detection: detection.id, recordId: event.recordId, error: errorMessage(error) });
      }
    }
  }
  return findings;
}

const NO_SIGNING_KEYS = new SigningKeyIndex([], [], 0);

/** Only token observations are judged by key: batches without any (most) never read the key history. */
async function signingKeysFor(events: readonly NormalizedEvent[], unknownCandidates: readonly string[], registry: KeyRegistry): Promise<SigningKeyIndex> {
  if (!events.some((event) => event.kind === 'tokenObservation')) return NO_SIGNING_KEYS;
  return unknownCandidates.length === 0 ? registry.current() : registry.currentKnowing(unknownCandidates);
}

/** A message's records; a message that cannot even be split (which no framing should allow) is one malformed unit. */
function unitsOf(message: unknown): DecodedUnit[] {
  try {
    return decodeMessage(message);
  } catch {
    return [{ malformed: 'malformed-envelope', excerpt: boundedJsonText(message) }];
  }
}

/**
 * One record's way in, every step inside one guard: the mapper, then, for a record to be dead-lettered, the
 * bounds. Whatever the record holds, the answer is an event or a skip, never an exception, so no record can
 * stop a partition. Mappers read fields by name and never walk a record whole (an id-less record's
 * fingerprint is bounded), so only a dead letter, whose fingerprint and excerpt do walk it, is measured: the
 * hot path pays nothing for the bounds.
 */
function intake(unit: DecodedUnit, logger: Logger, origin: string): NormalizeOutcome {
  if ('malformed' in unit) return skip(unit.malformed, unit.malformed);
  let outcome: NormalizeOutcome;
  try {
    outcome = normalizeRecord(unit.record);
  } catch (error) {
    // A mapper bug must cost one record, not the batch.
    logger.error('normalizer failed on a record', { origin, error: errorMessage(error) });
    outcome = skip('invalid-record', 'normalizer error');
  }
  if (!isSkip(outcome) || !isDeadLettered(outcome.skipped)) return outcome;
  try {
    const exceeded = boundExceeded(unit.record);
    return exceeded === undefined ? outcome : skip(exceeded, BOUND_DETAILS[exceeded]);
  } catch {
    // Only a value no parser makes (a throwing getter) gets here; its dead letter says so.
    return skip('invalid-record', 'unreadable value');
  }
}

/** Only the error's class: messages from parsers may quote the record, and records may hold tokens. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

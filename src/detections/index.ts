import type { EventKind } from '../domain/events.js';
import { decoyApplicationSignIn } from './decoyApplicationSignIn.js';
import { decoyFileAccessed } from './decoyFileAccessed.js';
import { decoyMailItemAccessed } from './decoyMailItemAccessed.js';
import { decoyObjectAccessed } from './decoyObjectAccessed.js';
import { decoyObjectModified } from './decoyObjectModified.js';
import { decoyRotationDue } from './decoyRotationDue.js';
import { decoyTokenUsed } from './decoyTokenUsed.js';
import { decoyUserSignIn } from './decoyUserSignIn.js';
import type { Detection, DetectionMetadata } from './detection.js';
import { mailAppIdFirstSeen } from './mailAppIdFirstSeen.js';
import { sourceSilent } from './sourceSilent.js';
import { tokenIssuanceMissing } from './tokenIssuanceMissing.js';
import { tokenSigningKeyAnomalous } from './tokenSigningKeyAnomalous.js';

/** Every detection Lure runs, listed by hand: nothing is discovered from the file system. */
export const DETECTIONS: readonly Detection[] = [
  decoyUserSignIn,
  decoyApplicationSignIn,
  decoyMailItemAccessed,
  decoyFileAccessed,
  decoyObjectModified,
  decoyObjectAccessed,
  decoyTokenUsed,
  tokenSigningKeyAnomalous,
];

/**
 * Detections judged against state Lure keeps (the token index, per-mailbox baselines) by the pipeline's
 * trackers and timers rather than one event at a time. Each has a replay fixture.
 */
export const STATEFUL_DETECTIONS: readonly DetectionMetadata[] = [tokenIssuanceMissing, mailAppIdFirstSeen];

/** Detections a timer judges on wall-clock time, which replays therefore never raise. */
export const TIMER_DETECTIONS: readonly DetectionMetadata[] = [sourceSilent, decoyRotationDue];

/** Every detection id Lure can raise, for the registry checks and the documentation. */
export const ALL_DETECTIONS: readonly DetectionMetadata[] = [...DETECTIONS, ...STATEFUL_DETECTIONS, ...TIMER_DETECTIONS];

/** Detections by the event kind they read, so each event meets only the detections that care. */
export function detectionsByKind(detections: readonly Detection[] = DETECTIONS): ReadonlyMap<EventKind, readonly Detection[]> {
  const byKind = new Map<EventKind, Detection[]>();
  for (const detection of detections) {
    for (const kind of detection.eventKinds) byKind.set(kind, [...(byKind.get(kind) ?? []), detection]);
  }
  return byKind;
}

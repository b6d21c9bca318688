import type { EventKind } from '../domain/events.js';
import { decoyApplicationSignIn } from './decoyApplicationSignIn.js';
import { decoyMailItemAccessed } from './decoyMailItemAccessed.js';
import { decoyObjectAccessed } from './decoyObjectAccessed.js';
import { decoyObjectModified } from './decoyObjectModified.js';
import { decoyTokenUsed } from './decoyTokenUsed.js';
import { decoyUserSignIn } from './decoyUserSignIn.js';
import type { Detection, DetectionMetadata } from './detection.js';
import { tokenIssuanceMissing } from './tokenIssuanceMissing.js';
import { tokenSigningKeyAnomalous } from './tokenSigningKeyAnomalous.js';

/** Every detection Lure runs, listed by hand: nothing is discovered from the file system. */
export const DETECTIONS: readonly Detection[] = [
  decoyUserSignIn,
  decoyApplicationSignIn,
  decoyMailItemAccessed,
  decoyObjectModified,
  decoyObjectAccessed,
  decoyTokenUsed,
  tokenSigningKeyAnomalous,
];

/** Detections that judge what accumulated over time (run by timers, and by `lure replay` at end of input). */
export const DEFERRED_DETECTIONS: readonly DetectionMetadata[] = [tokenIssuanceMissing];

/** Every detection id Lure can raise, for the registry checks and the documentation. */
export const ALL_DETECTIONS: readonly DetectionMetadata[] = [...DETECTIONS, ...DEFERRED_DETECTIONS];

/** Detections by the event kind they read, so each event meets only the detections that care. */
export function detectionsByKind(detections: readonly Detection[] = DETECTIONS): ReadonlyMap<EventKind, readonly Detection[]> {
  const byKind = new Map<EventKind, Detection[]>();
  for (const detection of detections) {
    for (const kind of detection.eventKinds) byKind.set(kind, [...(byKind.get(kind) ?? []), detection]);
  }
  return byKind;
}

import type { AlertTarget, Evidence, Severity } from './alerts.js';
import type { Actor, TokenContext } from './events.js';

/** One detection's verdict on one event: the raw material of an alert. */
export interface Finding {
  readonly detection: string;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: string;
  /** What was touched, for the dedupe key: the decoy id for decoy detections. */
  readonly subjectKey: string;
  readonly decoyId?: string;
  /** The decoy is disabled: keep as evidence, never notify. */
  readonly suppressed: boolean;
  readonly actor: Actor;
  readonly target: AlertTarget;
  readonly token?: TokenContext;
  readonly evidence: Evidence;
}

import type { DecoyIndex } from '../decoys/decoyIndex.js';
import type { SigningKeyIndex } from '../keys/keyHistory.js';
import type { Severity } from '../domain/alerts.js';
import type { EventKind, EventOfKind } from '../domain/events.js';
import type { Finding } from '../domain/findings.js';

/** What a detection may consult besides the event. Everything here is read-only and in memory. */
export interface DetectionContext {
  readonly decoys: DecoyIndex;
  /**
   * Object ids and app ids of Lure's own identity, lower-cased. Its Graph reads of decoys are not hits;
   * its changes to decoys are critical until they match a rotation journal entry.
   */
  readonly selfPrincipalIds: ReadonlySet<string>;
  /** The signing keys Lure knows, and how to tell the cloud's Entra issuers. */
  readonly signing: SigningContext;
}

export interface SigningContext {
  readonly keys: SigningKeyIndex;
  /** `https://login.microsoftonline.com` for the public cloud. */
  readonly authorityHost: string;
  /** `https://sts.windows.net` for the public cloud (v1 tokens' issuer). */
  readonly v1IssuerHost: string;
  /** A token signed by a key retired longer than this before its use is anomalous. */
  readonly retiredAlertAfterInHours: number;
}

/** What every detection declares, whether it judges one event at a time or runs on a timer. */
export interface DetectionMetadata {
  /** Stable id, part of the alert contract (DESIGN "Detection ids"). */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The severities it raises, in words (the function decides per event). */
  readonly severities: readonly Severity[];
  /** MITRE ATT&CK tactic:technique pairs. */
  readonly attack: readonly string[];
  /**
   * MITRE D3FEND techniques the detection is an instance of (d3fend.mitre.org): the decoy kinds, D3-DUC
   * Decoy User Credential, D3-DP Decoy Persona, D3-DST Decoy Session Token, D3-DF Decoy File, D3-DO Decoy
   * Object; empty for detections that are not deception.
   */
  readonly d3fend: readonly string[];
  /** What a responder should do first. */
  readonly runbook: string;
}

/** The ATT&CK technique ids of `tactic:technique` pairs, each once, in order: what an alert's `mitre` lists. */
export function techniquesOf(attack: readonly string[]): string[] {
  return [...new Set(attack.map((pair) => pair.slice(pair.indexOf(':') + 1)))];
}

/**
 * A detection that judges one event at a time: metadata plus one small pure function, in the manner of
 * panther-analysis. Listed by hand in `index.ts`; proven by positive and negative fixtures in
 * `test/fixtures/detections/<id>.json`.
 */
export interface Detection<K extends EventKind = EventKind> extends DetectionMetadata {
  readonly eventKinds: readonly K[];
  detect(event: EventOfKind<K>, context: DetectionContext): Finding[];
}

/** Registry entries are stored with their event kinds erased; `defineDetection` keeps each one checked. */
export function defineDetection<K extends EventKind>(detection: Detection<K>): Detection {
  return detection as unknown as Detection;
}

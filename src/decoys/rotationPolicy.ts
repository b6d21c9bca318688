import type { Decoy } from '../domain/decoys.js';
import type { DecoyGeneration, DecoyLifecycle, JournalEntry } from '../domain/lifecycle.js';

/**
 * The kept generations after adding `added` (the newest `kept` of Lure's own), and those that fell out.
 * Generations Lure did not make (no journal id: a registered app's own secrets, say) are never counted and
 * never dropped: they are the customer's, planted who knows where.
 */
export function keepNewest(
  generations: readonly DecoyGeneration[],
  added: DecoyGeneration,
  kept: number,
): { kept: DecoyGeneration[]; dropped: DecoyGeneration[] } {
  const foreign = generations.filter((generation) => generation.journalId === undefined);
  const own = [...generations.filter((generation) => generation.journalId !== undefined), added];
  const cut = Math.max(0, own.length - kept);
  return { kept: [...foreign, ...own.slice(cut)], dropped: own.slice(0, cut) };
}

/**
 * When a decoy rotated at `rotatedAt` rotates next: its interval plus a random share of it up to
 * `jitterPercent`, so rotations never line up with a schedule an intruder could learn. `random` is in [0, 1).
 */
export function nextRotationAt(rotatedAt: Date, intervalInHours: number | undefined, jitterPercent: number, random: number): string | undefined {
  if (intervalInHours === undefined) return undefined;
  const intervalInMs = intervalInHours * 3_600_000;
  return new Date(rotatedAt.getTime() + intervalInMs + Math.floor(intervalInMs * (jitterPercent / 100) * random)).toISOString();
}

/** What the rotation timer does with a decoy. */
export type RotationPlan = 'rotate' | 'markDue' | 'wait';

/**
 * Whether the timer may rotate a decoy itself. It may when nobody has to re-plant the result: every
 * placement is one Lure rewrites, or the decoy makes no secret (a honeytoken's earlier copies keep firing
 * through its `kid`; a decoy message is its own lure). A decoy planted by hand, or whose secret went to an
 * admin with no recorded placement, is only marked due: rotating it would silently break the planted lure.
 */
export function rotationPlanOf(decoy: Decoy, lifecycle: DecoyLifecycle, makesSecret: boolean, now: Date, isPlacementOfAnother: boolean): RotationPlan {
  if (!decoy.enabled || isPlacementOfAnother || lifecycle.nextRotationAt === undefined || lifecycle.nextRotationAt > now.toISOString()) return 'wait';
  const manual = lifecycle.placements.some((placement) => placement.kind === 'manual');
  const unplaced = makesSecret && lifecycle.placements.length === 0;
  if (manual || unplaced) return lifecycle.rotationDueSince === undefined ? 'markDue' : 'wait';
  return 'rotate';
}

/** A span of time during which Lure itself changed a decoy. */
export interface SelfChangeWindow {
  readonly from: string;
  readonly to: string;
}

/**
 * Audit records of Lure's own changes carry Entra's or Exchange's time, not Lure's, and land minutes
 * after the call: a window this much wider on each side than the journal's times still holds them.
 */
export const SELF_CHANGE_SLACK_IN_MINUTES = 15;

/**
 * The windows in which each decoy was changed by Lure (from its journal): a change by Lure's own identity
 * inside one is a rotation, outside every one it is an alert.
 */
export function selfChangeWindowsOf(entries: readonly JournalEntry[]): ReadonlyMap<string, readonly SelfChangeWindow[]> {
  const slackInMs = SELF_CHANGE_SLACK_IN_MINUTES * 60_000;
  const windows = new Map<string, SelfChangeWindow[]>();
  for (const entry of entries) {
    const window = {
      from: new Date(Date.parse(entry.startedAt) - slackInMs).toISOString(),
      to: new Date(Date.parse(entry.updatedAt) + slackInMs).toISOString(),
    };
    for (const decoyId of [entry.decoyId, ...entry.placementDecoyIds]) windows.set(decoyId, [...(windows.get(decoyId) ?? []), window]);
  }
  return windows;
}

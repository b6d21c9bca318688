import type { MailAppBaseline } from '../domain/mailBaselines.js';

/** Judging a read against a mailbox's baseline is pure: the baseline in, the new baseline and a verdict out. */
export type BaselineVerdict = 'learning' | 'known' | 'firstSeen';

/** The pair a MailItemsAccessed record names: the app (AppId) and the client app (ClientAppId). */
export function appPairOf(appId: string | undefined, clientAppId: string | undefined): string {
  const key = `${appId ?? ''}|${clientAppId ?? ''}`;
  let pair = PAIRS.get(key);
  if (pair === undefined) {
    pair = key.toLowerCase();
    // A tenant's mail is read by a handful of apps: the same few pairs come back (bounded all the same, in
    // count and size: two GUIDs and a bar are 73 characters).
    if (key.length <= MAX_REMEMBERED_PAIR_LENGTH) {
      if (PAIRS.size >= MAX_REMEMBERED_PAIRS) PAIRS.clear();
      PAIRS.set(key, pair);
    }
  }
  return pair;
}

/**
 * Pairs as written → their canonical form. Every MailItemsAccessed record names one; handing back the same
 * string each time spares the lower-casing and lets the baseline's lookup reuse the string's hash.
 */
const PAIRS = new Map<string, string>();
const MAX_REMEMBERED_PAIRS = 4_096;
const MAX_REMEMBERED_PAIR_LENGTH = 256;

/** A pair's last sighting is rewritten only when it moved this far, so a busy mailbox costs few writes. */
const LAST_SEEN_STEP_IN_MS = 24 * 3_600_000;

/**
 * Adds one access to the baseline. During the learning period (`learningInDays` from the mailbox's first
 * record) everything is learned silently; after it, a pair never seen for the mailbox is `firstSeen` (and
 * learned, so it fires once). `changed` says whether the baseline must be written.
 */
export function observeMailAccess(
  baseline: MailAppBaseline | undefined,
  access: { readonly mailbox: string; readonly pair: string; readonly time: string },
  settings: { readonly learningInDays: number; readonly maxPairs: number },
): { readonly baseline: MailAppBaseline; readonly verdict: BaselineVerdict; readonly changed: boolean } {
  if (baseline === undefined) {
    return { baseline: { mailbox: access.mailbox, firstSeen: access.time, pairs: { [access.pair]: access.time } }, verdict: 'learning', changed: true };
  }
  const firstSeen = access.time < baseline.firstSeen ? access.time : baseline.firstSeen;
  const lastSeen = baseline.pairs[access.pair];
  // Every MailItemsAccessed record comes through here. A known pair (nearly all) seen again the same UTC day
  // has not moved a day on: no timestamp needs parsing.
  const verdict: BaselineVerdict =
    lastSeen !== undefined ? 'known' : Date.parse(access.time) < Date.parse(firstSeen) + settings.learningInDays * 86_400_000 ? 'learning' : 'firstSeen';
  const moved = lastSeen === undefined || (!sameUtcDay(access.time, lastSeen) && Date.parse(access.time) - Date.parse(lastSeen) >= LAST_SEEN_STEP_IN_MS);
  if (!moved && firstSeen === baseline.firstSeen) return { baseline, verdict, changed: false };
  const pairs = { ...baseline.pairs, ...(moved ? { [access.pair]: access.time } : {}) };
  return { baseline: { mailbox: baseline.mailbox, firstSeen, pairs: boundPairs(pairs, settings.maxPairs) }, verdict, changed: true };
}

/** Whether two canonical timestamps (`YYYY-MM-DDT…`) fall on the same UTC day: then they are under a day apart. */
function sameUtcDay(a: string, b: string): boolean {
  for (let index = 0; index < 10; index += 1) if (a.charCodeAt(index) !== b.charCodeAt(index)) return false;
  return a.length >= 10 && b.length >= 10;
}

function boundPairs(pairs: Record<string, string>, maxPairs: number): Record<string, string> {
  const entries = Object.entries(pairs);
  if (entries.length <= maxPairs) return pairs;
  return Object.fromEntries(entries.sort(([, a], [, b]) => (a < b ? 1 : a > b ? -1 : 0)).slice(0, maxPairs));
}

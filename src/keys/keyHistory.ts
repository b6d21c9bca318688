import type { KeySetFetch, KeySetName, SigningKey } from '../domain/signingKeys.js';

/**
 * The key history after one fetch: every key the fetch listed is seen now (first seen kept); keys it did
 * not list keep their last sighting. Nothing is ever forgotten here: a key that left the published set is
 * exactly the one a forger would use.
 */
export function recordFetch(history: readonly SigningKey[], fetched: readonly SigningKey[], fetchedAt: string): SigningKey[] {
  const byKid = new Map(history.map((key) => [key.kid, key]));
  for (const key of fetched) {
    const known = byKid.get(key.kid);
    const set = known === undefined ? key.set : strongerSet(known.set, key.set);
    byKid.set(key.kid, { ...known, ...key, set, firstSeen: known?.firstSeen ?? fetchedAt, lastSeen: fetchedAt });
  }
  return [...byKid.values()];
}

/**
 * A key listed by several sets keeps the label that matters most: consumer over organisation over an
 * app's own set. An app's key document carries no issuer, and a consumer key it happened to list must stay
 * a consumer key, or the consumer-key-on-an-organisation-token check would go quiet.
 */
function strongerSet(a: KeySetName, b: KeySetName): KeySetName {
  const rank = (set: KeySetName) => (set === 'consumer' ? 2 : set === 'organization' ? 1 : 0);
  return rank(b) > rank(a) ? b : a;
}

/**
 * Since when a key has been retired, if it has: its set was fetched more than `graceInHours` after the key
 * was last listed. The published sets flap (a key missing from one fetch is back in the next), so one
 * missed fetch never retires a key. Keys loaded from files have no history and are never retired.
 */
export function retiredSince(key: SigningKey, lastFetchOfSet: string | undefined, graceInHours: number): string | undefined {
  if (key.lastSeen === undefined || lastFetchOfSet === undefined) return undefined;
  return Date.parse(lastFetchOfSet) - Date.parse(key.lastSeen) > graceInHours * 3_600_000 ? key.lastSeen : undefined;
}

/** A key as the detection sees it: what it is, and since when it has been retired, if it has. */
export interface KnownSigningKey {
  readonly key: SigningKey;
  readonly retiredSince?: string;
}

/** Every key Lure knows, by `kid` and by `x5t`, with its retirement worked out once. */
export class SigningKeyIndex {
  private readonly byId = new Map<string, KnownSigningKey>();
  readonly size: number;

  constructor(keys: readonly SigningKey[], fetches: readonly KeySetFetch[], retirementGraceInHours: number) {
    const lastFetch = new Map<KeySetName, string>();
    for (const fetch of fetches) {
      const previous = lastFetch.get(fetch.set);
      if (previous === undefined || fetch.fetchedAt > previous) lastFetch.set(fetch.set, fetch.fetchedAt);
    }
    for (const key of keys) {
      const since = retiredSince(key, lastFetch.get(key.set), retirementGraceInHours);
      const known: KnownSigningKey = since === undefined ? { key } : { key, retiredSince: since };
      this.byId.set(key.kid, known);
      if (key.x5t !== undefined && !this.byId.has(key.x5t)) this.byId.set(key.x5t, known);
    }
    this.size = keys.length;
  }

  find(id: string | undefined): KnownSigningKey | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }
}

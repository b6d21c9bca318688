/**
 * Token ids this process indexed lately, bounded: when full, the earliest indexed go first. A use found here
 * is matched without a store round trip; a miss only means "ask the store later".
 */
export class RecentTokens {
  private readonly tokens = new Set<string>();

  constructor(private readonly capacity: number) {}

  add(uti: string): void {
    if (this.capacity === 0) return;
    // One probe per sign-in: a token indexed again (a redelivered batch) keeps its place, since a sign-in's
    // token id is unique and its first indexing is the age that matters.
    this.tokens.add(uti);
    if (this.tokens.size > this.capacity) this.tokens.delete(this.tokens.values().next().value!);
  }

  has(uti: string): boolean {
    return this.tokens.has(uti);
  }

  get size(): number {
    return this.tokens.size;
  }
}

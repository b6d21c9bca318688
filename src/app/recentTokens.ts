/**
 * Token ids this process indexed lately, bounded: when full, the earliest indexed go first. A use found here
 * is matched without a store round trip; a miss only means "ask the store later".
 */
export class RecentTokens {
  private readonly tokens = new Set<string>();
  /**
   * The same ids in the order they came, in a ring: the oldest is the next slot. Asking the set for its
   * oldest instead (`values().next()`) walks past every slot its deletions left empty until it compacts,
   * which cost 30 µs per sign-in once the cache was full.
   */
  private readonly order: string[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.order = new Array<string>(capacity);
  }

  add(uti: string): void {
    if (this.capacity === 0) return;
    // A token indexed again (a redelivered batch) keeps its place: a sign-in's token id is unique, and its
    // first indexing is the age that matters.
    const size = this.tokens.size;
    this.tokens.add(uti);
    if (this.tokens.size === size) return;
    // Over capacity means the ring is full: the next slot holds the oldest id.
    const oldest = this.order[this.next];
    if (this.tokens.size > this.capacity && oldest !== undefined) this.tokens.delete(oldest);
    this.order[this.next] = uti;
    this.next = (this.next + 1) % this.capacity;
  }

  has(uti: string): boolean {
    return this.tokens.has(uti);
  }

  get size(): number {
    return this.tokens.size;
  }
}

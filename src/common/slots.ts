/** A fixed number of slots; whoever finds none free waits, first come first served. */
export class Slots {
  private free: number;
  /** Waiting requests in arrival order (a Set keeps insertion order). */
  private readonly waiting = new Set<{ granted: () => void }>();

  constructor(size: number) {
    this.free = size;
  }

  /**
   * Calls `granted` once a slot is taken (at once when one is free); `give()` returns it.
   * Returns a function that withdraws a request still waiting (it does nothing once granted).
   */
  take(granted: () => void): () => void {
    if (this.free > 0) {
      this.free--;
      granted();
      return () => undefined;
    }
    const entry = { granted };
    this.waiting.add(entry);
    return () => this.waiting.delete(entry);
  }

  give(): void {
    const next = this.waiting.values().next();
    if (next.done) {
      this.free++;
      return;
    }
    this.waiting.delete(next.value);
    next.value.granted();
  }
}

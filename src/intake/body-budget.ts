/**
 * The bytes of request bodies held in memory, summed over every body being read or still in use
 * (INGEST_BODY_BUDGET). A reader takes bytes as they arrive; past the budget it is told to wait,
 * and pauses its socket (TCP backpressure) until bytes are given back. So memory stays bounded
 * however many clients send at once, and a slow sender holds only what it actually sent, never
 * a processing slot.
 *
 * The oldest body still being read may always go over the budget: otherwise bodies that each
 * hold part of the budget could all wait for one another until their deadlines. The budget can
 * thus be exceeded by at most one body (BODY_LIMIT).
 */
export class BodyBudget {
  private used = 0;
  /** Holds still reading, oldest first (a Set keeps insertion order). */
  private readonly reading = new Set<BudgetHold>();
  private waiting: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  /** Bytes held at the moment (for tests and the drill). */
  get bytesHeld(): number {
    return this.used;
  }

  /** A hold for one body, counted as reading until `doneReading()` or `release()`. */
  open(): BudgetHold {
    const hold = new BudgetHold(this);
    this.reading.add(hold);
    return hold;
  }

  /** @internal */
  add(hold: BudgetHold, bytes: number): boolean {
    this.used += bytes;
    return this.mayTake(hold);
  }

  /** @internal */
  mayTake(hold: BudgetHold): boolean {
    return this.used < this.capacity || this.reading.values().next().value === hold;
  }

  /** @internal */
  wait(resume: () => void): void {
    this.waiting.push(resume);
  }

  /** @internal */
  finish(hold: BudgetHold, bytes: number): void {
    this.used -= bytes;
    this.reading.delete(hold);
    // Every waiter checks again: one may now be the oldest, or there may be room.
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }
}

/** What one body holds of the budget. */
export class BudgetHold {
  private bytes = 0;
  private released = false;

  constructor(private readonly budget: BodyBudget) {}

  /** Counts `bytes` more; false: over the budget, wait (`whenAvailable`) before reading on. */
  take(bytes: number): boolean {
    this.bytes += bytes;
    return this.budget.add(this, bytes);
  }

  /** Calls `resume` once this hold may take bytes again. */
  whenAvailable(resume: () => void): void {
    const check = () => {
      if (this.released) return;
      if (this.budget.mayTake(this)) resume();
      else this.budget.wait(check);
    };
    this.budget.wait(check);
  }

  /** The body is read: it no longer counts as reading (its bytes stay held until `release()`). */
  doneReading(): void {
    if (!this.released) this.budget.finish(this, 0);
  }

  /** Gives every byte back; idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.finish(this, this.bytes);
    this.bytes = 0;
  }
}

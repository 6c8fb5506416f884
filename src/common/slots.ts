/** A fixed number of slots; whoever finds none free waits, first come first served. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Calls `granted` once a slot is taken (at once when one is free); `give()` returns it. */
  take(granted: () => void): void {
    if (this.free > 0) {
      this.free--;
      granted();
    } else {
      this.waiting.push(granted);
    }
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

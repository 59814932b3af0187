// A FIFO between two pipeline stages that holds at most `capacity` entries: push waits while it is full,
// so a fast producer never runs more than `capacity` entries ahead of its consumer and memory stays flat
// however many files a drop holds. close() ends it after what is queued; fail() hands an error to the
// consumer; abandon() drops what is queued and releases a waiting producer (its push returns false).
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: Array<(r: IteratorResult<T>) => void> = [];
  private readonly failers: Array<(e: unknown) => void> = [];
  private waitingPush: (() => void) | null = null;
  private closed = false;
  private abandoned = false;
  private error: { e: unknown } | null = null;
  /** Most entries ever held at once (for tests and the bench). */
  peak = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`BoundedQueue: capacity must be at least 1 (got ${capacity})`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds one entry, waiting while the queue is full. False when the consumer abandoned the queue. */
  async push(item: T): Promise<boolean> {
    while (!this.abandoned && this.items.length >= this.capacity) {
      await new Promise<void>((resolve) => (this.waitingPush = resolve));
    }
    if (this.abandoned) return false;
    if (this.closed) throw new Error('BoundedQueue: push after close');
    const taker = this.takers.shift();
    this.failers.shift();
    if (taker) taker({ value: item, done: false });
    else {
      this.items.push(item);
      this.peak = Math.max(this.peak, this.items.length);
    }
    return true;
  }

  /** The next entry; done once the queue is closed and empty. Rejects with the producer's error. */
  take(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = this.items.shift() as T;
      this.releasePush();
      return Promise.resolve({ value, done: false });
    }
    if (this.error) return Promise.reject(this.error.e);
    if (this.closed || this.abandoned) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.takers.push(resolve);
      this.failers.push(reject);
    });
  }

  /** No more entries: the consumer gets what is queued, then done. */
  close(): void {
    this.closed = true;
    for (const t of this.takers.splice(0)) t({ value: undefined, done: true });
    this.failers.length = 0;
  }

  /** The producer failed: the consumer gets what is queued, then this error. */
  fail(e: unknown): void {
    this.error = { e };
    this.closed = true;
    this.takers.length = 0;
    for (const f of this.failers.splice(0)) f(e);
  }

  /** The consumer stopped: queued entries are dropped and a waiting producer is released. */
  abandon(): void {
    this.abandoned = true;
    this.items.length = 0;
    this.releasePush();
    this.close();
  }

  private releasePush(): void {
    const w = this.waitingPush;
    this.waitingPush = null;
    w?.();
  }
}

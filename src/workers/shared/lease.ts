// A value shared by calls that may outlive its replacement (the engine's encoders across a version
// switch): every call holds a lease, and the value is freed when it has been retired and the last lease
// is released — not by a timer, so a long ingest that started before a switch still finishes.

export interface Lease<T> {
  readonly value: T;
  /** Idempotent; the last release of a retired value frees it. */
  release(): void;
}

export class Leased<T> {
  private refs = 0;
  private retiredFlag = false;
  private freed = false;

  constructor(
    readonly value: T,
    private readonly free: (v: T) => void,
  ) {}

  get retired(): boolean {
    return this.retiredFlag;
  }

  /** Number of leases not yet released (tests, diagnostics). */
  get holders(): number {
    return this.refs;
  }

  /** A new lease, or null once the value was freed (the caller then asks for the current value again). */
  tryAcquire(): Lease<T> | null {
    if (this.freed) return null;
    this.refs++;
    let released = false;
    return {
      value: this.value,
      release: () => {
        if (released) return;
        released = true;
        this.refs--;
        this.maybeFree();
      },
    };
  }

  /** No new work should start on this value; it is freed when the last lease ends (at once if none). */
  retire(): void {
    this.retiredFlag = true;
    this.maybeFree();
  }

  private maybeFree(): void {
    if (!this.retiredFlag || this.refs > 0 || this.freed) return;
    this.freed = true;
    this.free(this.value);
  }
}

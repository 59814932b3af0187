// A wall-clock budget for the whole benchmark run, so that `npm run bench` ends in bounded time on a
// slow or busy machine: sections ask how much time is left and cap (or skip, saying so) what they run.
export class Budget {
  private readonly endMs: number;

  constructor(totalMs: number, private readonly now: () => number = Date.now) {
    this.endMs = now() + totalMs;
  }

  leftMs(): number {
    return Math.max(0, this.endMs - this.now());
  }

  /** The smaller of `wantMs` and what is left after keeping `reserveMs` for later sections. */
  cap(wantMs: number, reserveMs = 0): number {
    return Math.max(0, Math.min(wantMs, this.leftMs() - reserveMs));
  }
}

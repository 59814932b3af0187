// Pause / resume / cancel for a long training loop: the loop awaits checkpoint() between batches, which
// also yields a macrotask so the worker can receive the pause or cancel message that changes the gate.

export type GateState = 'running' | 'paused' | 'cancelled';

export class TrainGate {
  private stateNow: GateState = 'running';
  private wake: (() => void) | null = null;
  private readonly listeners = new Set<(s: GateState) => void>();

  get state(): GateState {
    return this.stateNow;
  }

  pause(): void {
    if (this.stateNow === 'running') this.set('paused');
  }

  resume(): void {
    if (this.stateNow === 'paused') this.set('running');
  }

  cancel(): void {
    if (this.stateNow !== 'cancelled') this.set('cancelled');
  }

  onChange(cb: (s: GateState) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Resolves true to go on, false when cancelled; waits while paused. */
  async checkpoint(): Promise<boolean> {
    await new Promise<void>((r) => setTimeout(r, 0));
    while (this.stateNow === 'paused') await new Promise<void>((r) => (this.wake = r));
    return this.stateNow === 'running';
  }

  private set(s: GateState): void {
    this.stateNow = s;
    const w = this.wake;
    this.wake = null;
    w?.();
    for (const cb of this.listeners) cb(s);
  }
}

/** Applies a page's control message to the running job's gate (null: no job runs) and reports its state. */
export function controlGate(gate: TrainGate | null, action: 'pause' | 'resume' | 'cancel'): { state: GateState | 'idle' } {
  if (!gate) return { state: 'idle' };
  if (action === 'pause') gate.pause();
  else if (action === 'resume') gate.resume();
  else gate.cancel();
  return { state: gate.state };
}

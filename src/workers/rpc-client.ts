// Main-thread supervisor of one worker: typed calls under which every promise settles (result, typed
// error, worker crash, device loss, terminate, timeout, cancel). After a crash or a device loss the
// worker is respawned and idempotent calls in flight are re-run once; the others fail with a typed error.
// A worker that stops without any event (it closed itself, or the browser stopped it for memory) is
// noticed by a heartbeat: while calls are pending the client pings, and a worker silent for too long is
// treated as crashed.
import {
  RpcError,
  isFromWorker,
  type FromWorker,
  type MethodMap,
  type ParamsOf,
  type ProgressOf,
  type ResultOf,
  type ToWorker,
  type WorkerLike,
} from './protocol';

export interface RpcClientOptions {
  /** Creates a fresh worker (called lazily, and again after a crash). */
  spawn: () => WorkerLike;
  /** Inactivity timeout per call (no reply or progress for this long), ms. Default 60 s. */
  defaultTimeoutMs?: number;
  /** After cancel(), how long to wait for the worker's own answer before rejecting, ms. Default 3 s. */
  cancelGraceMs?: number;
  /** Events the worker emits ({kind:'event'}). */
  onEvent?: (event: unknown) => void;
  /** Called when the worker was replaced after a crash or a device loss. */
  onRestart?: (reason: string, code: 'crashed' | 'device-lost') => void;
  onLog?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Ping interval while calls are pending, ms. Default 2 s; 0 turns the watchdog off. */
  heartbeatMs?: number;
  /**
   * A worker that sends nothing (no pong, progress or reply) for this long while calls are pending is
   * replaced, ms. Default 30 s: longer than any single synchronous step of the model on a slow machine.
   */
  silentLimitMs?: number;
}

export interface CallOptions<Pr> {
  onProgress?: (p: Pr) => void;
  /** Safe to run again from scratch after a crash (re-run once). Default false. */
  idempotent?: boolean;
  /** Overrides defaultTimeoutMs; 0 disables the timeout. */
  timeoutMs?: number;
  transfer?: Transferable[];
}

export interface RpcCall<T> {
  promise: Promise<T>;
  cancel(): void;
}

interface Pending {
  id: number;
  method: string;
  params: unknown;
  opts: CallOptions<unknown>;
  attempts: number;
  resolve(v: unknown): void;
  reject(e: RpcError): void;
  timer: ReturnType<typeof setTimeout> | null;
  cancelTimer: ReturnType<typeof setTimeout> | null;
  worker: WorkerLike | null;
}

export class RpcClient<M extends MethodMap> {
  private worker: WorkerLike | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly heartbeatMs: number;
  private readonly silentLimitMs: number;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastHeardMs = 0;
  private pingSeq = 0;

  constructor(private readonly opts: RpcClientOptions) {
    this.timeoutMs = opts.defaultTimeoutMs ?? 60_000;
    this.graceMs = opts.cancelGraceMs ?? 3_000;
    this.heartbeatMs = opts.heartbeatMs ?? 2_000;
    this.silentLimitMs = opts.silentLimitMs ?? 30_000;
  }

  /** Number of calls not yet settled (for tests and diagnostics). */
  get inFlight(): number {
    return this.pending.size;
  }

  call<K extends keyof M & string>(
    method: K,
    params: ParamsOf<M, K>,
    opts: CallOptions<ProgressOf<M, K>> = {},
  ): RpcCall<ResultOf<M, K>> {
    let p!: Pending;
    const promise = new Promise<ResultOf<M, K>>((resolve, reject) => {
      p = {
        id: this.nextId++, method, params, opts: opts as CallOptions<unknown>, attempts: 0,
        resolve: resolve as (v: unknown) => void, reject, timer: null, cancelTimer: null, worker: null,
      };
    });
    if (this.disposed) {
      p.reject(new RpcError('terminated', `${method}: the worker was terminated`));
      return { promise, cancel: () => undefined };
    }
    this.pending.set(p.id, p);
    this.send(p);
    this.startWatchdog();
    return { promise, cancel: () => this.cancel(p.id) };
  }

  /** Kills the worker and rejects every pending call with 'terminated'. The client can spawn again unless disposed. */
  terminate(reason = 'the worker was terminated', dispose = true): void {
    this.disposed = this.disposed || dispose;
    const w = this.worker;
    this.worker = null;
    w?.terminate();
    for (const p of [...this.pending.values()]) this.settle(p, new RpcError('terminated', `${p.method}: ${reason}`));
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.opts.spawn();
    this.worker = w;
    this.lastHeardMs = Date.now();
    w.addEventListener('message', (ev) => {
      if (this.worker !== w) return;
      this.lastHeardMs = Date.now();
      this.onMessage((ev as MessageEvent).data);
    });
    w.addEventListener('error', (ev) => {
      if (this.worker !== w) return;
      const msg = (ev as ErrorEvent).message || 'uncaught error in the worker';
      (ev as Event).preventDefault?.();
      this.onFailure('crashed', `the worker crashed: ${msg}`);
    });
    w.addEventListener('messageerror', () => {
      if (this.worker === w) this.onFailure('crashed', 'the worker sent a message that could not be read');
    });
    return w;
  }

  private send(p: Pending): void {
    p.attempts++;
    let w: WorkerLike;
    try {
      w = this.ensureWorker();
    } catch (e) {
      this.settle(p, new RpcError('crashed', `${p.method}: the worker could not start: ${String(e)}`));
      return;
    }
    p.worker = w;
    const msg: ToWorker = { kind: 'call', id: p.id, method: p.method, params: p.params };
    try {
      // Buffers are transferred on the first attempt only: a re-run needs them still readable.
      w.postMessage(msg, p.attempts === 1 && !p.opts.idempotent ? (p.opts.transfer ?? []) : []);
    } catch (e) {
      this.settle(p, new RpcError('bad-input', `${p.method}: could not send the request: ${String(e)}`));
      return;
    }
    this.armTimer(p);
  }

  private armTimer(p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    const ms = p.opts.timeoutMs ?? this.timeoutMs;
    p.timer = ms > 0 ? setTimeout(() => this.onTimeout(p.id, ms), ms) : null;
  }

  private onTimeout(id: number, ms: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.post({ kind: 'cancel', id });
    this.settle(p, new RpcError('timeout', `${p.method}: no answer from the worker for ${Math.round(ms / 1000)} s`));
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p || p.cancelTimer) return;
    this.post({ kind: 'cancel', id });
    // The worker may still answer (e.g. a partial report); if it does not, settle as cancelled.
    p.cancelTimer = setTimeout(() => this.settle(p, new RpcError('cancelled', `${p.method}: cancelled`)), this.graceMs);
  }

  private post(m: ToWorker): void {
    try {
      this.worker?.postMessage(m);
    } catch {
      /* the worker is gone; supervision settles the call */
    }
  }

  private onMessage(data: unknown): void {
    if (!isFromWorker(data)) return;
    const m: FromWorker = data;
    switch (m.kind) {
      case 'ok': {
        const p = this.pending.get(m.id);
        if (p) this.settle(p, null, m.result);
        return;
      }
      case 'error': {
        const p = this.pending.get(m.id);
        if (p) this.settle(p, RpcError.fromWire(m.error));
        return;
      }
      case 'progress': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.armTimer(p);
        try {
          p.opts.onProgress?.(m.progress);
        } catch {
          /* a listener's bug must not break supervision */
        }
        return;
      }
      case 'event':
        this.opts.onEvent?.(m.event);
        return;
      case 'log':
        this.opts.onLog?.(m.level, m.message);
        return;
      case 'device-lost':
        this.onFailure('device-lost', `the GPU device was lost: ${m.reason}`);
        return;
      case 'pong':
        return;
    }
  }

  /**
   * Pings while calls are pending; replaces a worker that has not said anything since a ping sent more
   * than silentLimitMs ago. Measured from the unanswered ping, so throttled timers of a hidden tab do
   * not count as silence.
   */
  private startWatchdog(): void {
    if (this.heartbeat || this.heartbeatMs <= 0 || this.pending.size === 0) return;
    let pingSentMs: number | null = null;
    this.heartbeat = setInterval(() => {
      if (this.pending.size === 0 || this.disposed) {
        this.stopWatchdog();
        return;
      }
      if (!this.worker) return;
      const now = Date.now();
      if (pingSentMs !== null && this.lastHeardMs < pingSentMs) {
        if (now - pingSentMs <= this.silentLimitMs) return;
        pingSentMs = null;
        const silentS = Math.round((now - this.lastHeardMs) / 1000);
        this.onFailure('crashed', `the worker stopped answering for ${silentS} s (it was closed or the browser stopped it, e.g. for lack of memory)`);
        return;
      }
      pingSentMs = now;
      this.post({ kind: 'ping', n: ++this.pingSeq });
    }, this.heartbeatMs);
  }

  private stopWatchdog(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Crash or device loss: replace the worker, re-run idempotent calls once, fail the rest. */
  private onFailure(code: 'crashed' | 'device-lost', reason: string): void {
    const dead = this.worker;
    this.worker = null;
    try {
      dead?.terminate();
    } catch {
      /* already gone */
    }
    const victims = [...this.pending.values()].filter((p) => p.worker === dead);
    const rerun: Pending[] = [];
    for (const p of victims) {
      if (p.opts.idempotent && p.attempts < 2 && !p.cancelTimer) rerun.push(p);
      else this.settle(p, new RpcError(code, `${p.method}: ${reason}`));
    }
    if (this.disposed) return;
    this.opts.onRestart?.(reason, code);
    for (const p of rerun) this.send(p);
  }

  private settle(p: Pending, err: RpcError | null, value?: unknown): void {
    if (!this.pending.delete(p.id)) return;
    if (this.pending.size === 0) this.stopWatchdog();
    if (p.timer) clearTimeout(p.timer);
    if (p.cancelTimer) clearTimeout(p.cancelTimer);
    if (err) p.reject(err);
    else p.resolve(value);
  }
}

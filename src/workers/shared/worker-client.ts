// One factory for every main-thread worker client: a worker's method map states once, per method,
// whether a call is safe to re-run after a crash (`idempotent`), its inactivity timeout and whether it
// is a job (progress + cancel); the typed client is derived from that spec over the supervised
// RpcClient, so every call settles (ok, error, crash, device loss, timeout, cancel) and every client
// reports a replaced worker as a 'worker-restarted' event.
import type { Job } from '../api';
import { createEventHub } from '../event-hub';
import type { MethodMap, ParamsOf, ProgressOf, ResultOf, WorkerLike } from '../protocol';
import { RpcClient } from '../rpc-client';

export interface MethodSpec {
  /** Safe to run again from scratch after a crash (re-run once), else it fails with the crash. */
  readonly idempotent: boolean;
  /** Inactivity timeout, ms (0: none); absent: the worker's default. */
  readonly timeoutMs?: number;
  /** A long call: returns Job<T> (progress, cancel) instead of a promise. */
  readonly job?: boolean;
}

/** Every method of M, stated once. */
export type MethodSpecs<M extends MethodMap> = { readonly [K in keyof M]: MethodSpec };

export type ClientMethods<M extends MethodMap, S extends MethodSpecs<M>> = {
  readonly [K in keyof M & string]: S[K] extends { job: true }
    ? (params: ParamsOf<M, K>, onProgress?: (p: ProgressOf<M, K>) => void) => Job<ResultOf<M, K>>
    : (params: ParamsOf<M, K>) => Promise<ResultOf<M, K>>;
};

export type RestartEvent = { type: 'worker-restarted'; reason: string };

export interface WorkerSpec<M extends MethodMap, S extends MethodSpecs<M>> {
  /** For log lines ("[engine] ..."). */
  label: string;
  methods: S;
  spawn(): WorkerLike;
  /** Inactivity timeout of calls whose spec states none, ms. */
  defaultTimeoutMs: number;
  /** Supervision timings (tests); see RpcClientOptions. */
  heartbeatMs?: number;
  silentLimitMs?: number;
}

export interface WorkerClient<M extends MethodMap, S extends MethodSpecs<M>, E> {
  readonly call: ClientMethods<M, S>;
  /** The worker's events plus 'worker-restarted' when a crashed or silent worker was replaced. */
  onEvent(cb: (e: E | RestartEvent) => void): () => void;
  /** Replaces the worker with a fresh one on the next call; calls in flight fail with 'terminated'. */
  restart(reason: string): void;
  /** Ends the worker for good; every pending call settles with 'terminated'. */
  dispose(reason?: string): void;
  /** Calls not yet settled. */
  readonly inFlight: number;
}

export function createWorkerClient<M extends MethodMap, S extends MethodSpecs<M>, E = never>(spec: WorkerSpec<M, S>): WorkerClient<M, S, E> {
  const events = createEventHub<E | RestartEvent>();
  const rpc = new RpcClient<M>({
    spawn: spec.spawn,
    defaultTimeoutMs: spec.defaultTimeoutMs,
    heartbeatMs: spec.heartbeatMs,
    silentLimitMs: spec.silentLimitMs,
    onEvent: (e) => events.emit(e as E),
    onRestart: (reason) => events.emit({ type: 'worker-restarted', reason }),
    onLog: (level, message) => (level === 'error' ? console.error : console.warn)(`[${spec.label}] ${message}`),
  });
  const call = {} as Record<string, unknown>;
  for (const name of Object.keys(spec.methods) as (keyof M & string)[]) {
    const m: MethodSpec = spec.methods[name];
    const opts = { idempotent: m.idempotent, ...(m.timeoutMs !== undefined ? { timeoutMs: m.timeoutMs } : {}) };
    call[name] = m.job
      ? (params: ParamsOf<M, typeof name>, onProgress?: (p: ProgressOf<M, typeof name>) => void) => rpc.call(name, params, { ...opts, onProgress })
      : (params: ParamsOf<M, typeof name>) => rpc.call(name, params, opts).promise;
  }
  return {
    call: call as ClientMethods<M, S>,
    onEvent: events.on,
    restart: (reason) => rpc.terminate(reason, false),
    dispose(reason = 'the client was disposed') {
      events.clear();
      rpc.terminate(reason);
    },
    get inFlight() {
      return rpc.inFlight;
    },
  };
}

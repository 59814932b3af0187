// Worker side of the protocol: a typed handler registry. Each call gets an AbortSignal (cancel messages),
// a progress reporter, and its error converted to a typed reply, so no call is left without an answer.
import {
  isToWorker,
  isTransfer,
  toWireError,
  type FromWorker,
  type MethodMap,
  type ParamsOf,
  type ProgressOf,
  type ResultOf,
  type Transfer,
  type WorkerScopeLike,
} from './protocol';

export interface HandlerContext<Pr> {
  signal: AbortSignal;
  progress(p: Pr): void;
}

export type Handler<M extends MethodMap, K extends keyof M> = (
  params: ParamsOf<M, K>,
  ctx: HandlerContext<ProgressOf<M, K>>,
) => Promise<ResultOf<M, K> | Transfer<ResultOf<M, K>>> | ResultOf<M, K> | Transfer<ResultOf<M, K>>;

export type Handlers<M extends MethodMap> = { [K in keyof M]: Handler<M, K> };

export interface RpcServer {
  /** Broadcasts an app-level event to the client's onEvent. */
  emit(event: unknown): void;
  /** Reports that the GPU device is gone; the client replaces this worker. */
  deviceLost(reason: string): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/** Starts answering calls on `scope` (the worker global by default). */
export function serveRpc<M extends MethodMap>(handlers: Handlers<M>, scope: WorkerScopeLike = self as unknown as WorkerScopeLike): RpcServer {
  const running = new Map<number, AbortController>();
  const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

  scope.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!isToWorker(m)) return;
    if (m.kind === 'cancel') {
      running.get(m.id)?.abort();
      return;
    }
    if (m.kind === 'ping') {
      post({ kind: 'pong', n: m.n });
      return;
    }
    const { id, method, params } = m;
    const handler = Object.prototype.hasOwnProperty.call(handlers, method) ? handlers[method as keyof M] : undefined;
    if (!handler) {
      post({ kind: 'error', id, error: { code: 'unknown-method', name: 'Error', message: `unknown method "${method}"` } });
      return;
    }
    const ctrl = new AbortController();
    running.set(id, ctrl);
    const ctx: HandlerContext<unknown> = {
      signal: ctrl.signal,
      progress: (p) => post({ kind: 'progress', id, progress: p }),
    };
    Promise.resolve()
      .then(() => (handler as unknown as Handler<MethodMap, string>)(params, ctx))
      .then(
        (r) => {
          if (isTransfer(r)) post({ kind: 'ok', id, result: r.value }, r.transfer);
          else post({ kind: 'ok', id, result: r });
        },
        (e: unknown) => post({ kind: 'error', id, error: toWireError(e) }),
      )
      .catch((e: unknown) => post({ kind: 'error', id, error: toWireError(e) })) // e.g. DataCloneError
      .finally(() => running.delete(id));
  });

  return {
    emit: (event) => post({ kind: 'event', event }),
    deviceLost: (reason) => post({ kind: 'device-lost', reason }),
    log: (level, message) => post({ kind: 'log', level, message }),
  };
}

export { throwIfCancelled } from './shared/errors';

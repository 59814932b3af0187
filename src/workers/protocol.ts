// The wire protocol between the main thread and any worker: a typed union with call ids, `ok | error`
// replies, progress, events, device-loss and log messages, and cancellation. Generic over a method map
// so every worker (engine, lab...) reuses it; see rpc-client.ts and rpc-worker.ts.

/** A worker's API: method name -> params, result and progress payload types. */
export type MethodMap = Record<string, { params: unknown; result: unknown; progress?: unknown }>;

export type ParamsOf<M extends MethodMap, K extends keyof M> = M[K]['params'];
export type ResultOf<M extends MethodMap, K extends keyof M> = M[K]['result'];
export type ProgressOf<M extends MethodMap, K extends keyof M> = M[K] extends { progress: infer P } ? P : never;

/** Why a call failed. 'handler' = the worker's code reported an error; the rest are supervision outcomes. */
export type RpcErrorCode =
  | 'handler'
  | 'unknown-method'
  | 'cancelled'
  | 'timeout'
  | 'crashed'
  | 'device-lost'
  | 'terminated'
  | 'storage-full'
  | 'bad-input';

export interface WireError {
  code: RpcErrorCode;
  name: string;
  message: string;
}

/** Main thread -> worker. */
export type ToWorker =
  | { kind: 'call'; id: number; method: string; params: unknown }
  | { kind: 'cancel'; id: number }
  /** Heartbeat: the worker answers 'pong' at once (see the watchdog in rpc-client.ts). */
  | { kind: 'ping'; n: number };

/** Worker -> main thread. */
export type FromWorker =
  | { kind: 'ok'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: WireError }
  | { kind: 'progress'; id: number; progress: unknown }
  | { kind: 'event'; event: unknown }
  | { kind: 'device-lost'; reason: string }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { kind: 'pong'; n: number };

/** A typed error that every failed call rejects with. */
export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    /** Original error name from the worker (e.g. "StorageFullError"). */
    readonly remoteName?: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
  static fromWire(e: WireError): RpcError {
    return new RpcError(e.code, e.message, e.name);
  }
}

/** Converts anything thrown inside a worker into a WireError (keeps a `code` the error carries). */
export function toWireError(e: unknown): WireError {
  if (e instanceof RpcError) return { code: e.code, name: e.remoteName ?? e.name, message: e.message };
  if (e && typeof e === 'object') {
    const o = e as { name?: unknown; message?: unknown; code?: unknown };
    const code = typeof o.code === 'string' && isCode(o.code) ? o.code : 'handler';
    return { code, name: typeof o.name === 'string' ? o.name : 'Error', message: typeof o.message === 'string' ? o.message : String(e) };
  }
  return { code: 'handler', name: 'Error', message: String(e) };
}

const CODES: ReadonlySet<string> = new Set<RpcErrorCode>([
  'handler', 'unknown-method', 'cancelled', 'timeout', 'crashed', 'device-lost', 'terminated', 'storage-full', 'bad-input',
]);
const isCode = (s: string): s is RpcErrorCode => CODES.has(s);

/** Narrows an incoming message to FromWorker (messages from elsewhere are ignored). */
export function isFromWorker(m: unknown): m is FromWorker {
  if (!m || typeof m !== 'object') return false;
  const k = (m as { kind?: unknown }).kind;
  return k === 'ok' || k === 'error' || k === 'progress' || k === 'event' || k === 'device-lost' || k === 'log' || k === 'pong';
}

export function isToWorker(m: unknown): m is ToWorker {
  if (!m || typeof m !== 'object') return false;
  const o = m as { kind?: unknown; id?: unknown; method?: unknown };
  return (
    (o.kind === 'call' && typeof o.id === 'number' && typeof o.method === 'string') ||
    (o.kind === 'cancel' && typeof o.id === 'number') ||
    (o.kind === 'ping' && typeof (m as { n?: unknown }).n === 'number')
  );
}

/** A value plus the buffers to transfer (not copy) with it. */
export interface Transfer<T> {
  readonly __transfer: true;
  value: T;
  transfer: Transferable[];
}
export const withTransfer = <T>(value: T, transfer: Transferable[]): Transfer<T> => ({ __transfer: true, value, transfer });
export const isTransfer = (v: unknown): v is Transfer<unknown> =>
  !!v && typeof v === 'object' && (v as { __transfer?: unknown }).__transfer === true;

/** The minimal Worker surface the client needs (the DOM Worker, or a fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (ev: Event) => void): void;
}

/** The minimal worker-global surface the handler registry needs. */
export interface WorkerScopeLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
}

// The main-thread door to the engine worker: implements StudioApi over the supervised RPC client.
// Every promise settles (result, typed RpcError, crash, device loss, timeout); after a crash or a lost
// GPU the worker is respawned and idempotent jobs (ingest and reads) run again.
import type { BackendChoice, BackendInfo, IngestReport, Job, PageFile, Progress, StudioApi, StudioEvent } from './api';
import { RpcClient } from './rpc-client';
import type { WorkerLike } from './protocol';
import { engineWorkerName, parseBackendParam, type EngineMethods } from './engine/methods';
import { createEventHub } from './event-hub';

export interface StudioClientOptions {
  /** Creates the worker; defaults to the bundled engine.worker.ts. `name` carries the forced backend. */
  spawn?: (name: string) => WorkerLike;
  /** The page's query string (defaults to location.search) for `?backend=`. */
  search?: string;
  /** Inactivity timeout of calls that may load the model, ms (default 180 s). */
  timeoutMs?: number;
}

const spawnEngine = (name: string): WorkerLike =>
  new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name });

export function createStudioClient(opts: StudioClientOptions = {}): StudioApi {
  const events = createEventHub<StudioEvent>();
  const emit = events.emit;
  const search = opts.search ?? (typeof location !== 'undefined' ? location.search : '');
  let forced: BackendChoice | null = parseBackendParam(search);
  const spawn = opts.spawn ?? spawnEngine;
  const timeoutMs = opts.timeoutMs ?? 180_000;

  const rpc = new RpcClient<EngineMethods>({
    spawn: () => spawn(engineWorkerName(forced)),
    defaultTimeoutMs: timeoutMs,
    onEvent: (e) => emit(e as StudioEvent),
    onRestart: (reason) => emit({ type: 'worker-restarted', reason }),
    onLog: (level, message) => (level === 'error' ? console.error : console.warn)(`[engine] ${message}`),
  });

  const read = <K extends keyof EngineMethods & string>(method: K, params: EngineMethods[K]['params']) =>
    rpc.call(method, params, { idempotent: true }).promise;

  // Jobs in flight: a backend change waits for them instead of ending them.
  const jobs = new Set<Promise<unknown>>();
  const job = (method: 'ingest' | 'loadDemo', params: { files: PageFile[] } | null, onProgress: (p: Progress) => void): Job<IngestReport> => {
    // Ingest skips items already stored, so re-running it after a crash continues where it stopped.
    const call = rpc.call(method, params as never, { idempotent: true, onProgress });
    const settled = call.promise.then(() => undefined, () => undefined);
    jobs.add(settled);
    void settled.finally(() => jobs.delete(settled));
    return call;
  };

  const api: StudioApi = {
    backend: () => read('backend', null),
    async setBackend(choice: BackendChoice): Promise<BackendInfo> {
      await rpc.call('saveBackendChoice', { choice }, { idempotent: true }).promise;
      while (jobs.size > 0) await Promise.all([...jobs]);
      // An explicit choice replaces the URL's; a fresh worker starts clean on the new backend.
      forced = choice === 'auto' ? null : choice;
      rpc.terminate('the compute backend was changed', false);
      return read('backend', null);
    },
    ingest: (files, onProgress) => job('ingest', { files }, onProgress),
    loadDemo: (onProgress) => job('loadDemo', null, onProgress),
    stats: () => read('stats', null),
    clearLibrary: async () => {
      await read('clearLibrary', null);
    },
    searchFiles: (files, k) => read('searchFiles', { files, k }),
    searchText: (text, k) => read('searchText', { text, k }),
    getEcg: (id) => read('getEcg', { id }),
    getThumb: (id) => read('getThumb', { id }),
    embedText: (text) => read('embedText', { text }),
    activeVersion: () => read('activeVersion', null),
    interruptedJobs: () => read('interruptedJobs', null),
    importEmbeddings: (files) => rpc.call('importEmbeddings', { files }, { idempotent: true, timeoutMs: 0 }).promise,
    jobRunning: () => jobs.size > 0,
    onEvent: events.on,
    dispose() {
      events.clear();
      rpc.terminate('the client was disposed');
    },
  };
  return api;
}

// The main-thread door to the engine worker: StudioApi over the client derived from the engine's
// method map (engine/methods.ts states each call's idempotence and timeout). Every promise settles
// (result, typed RpcError, crash, device loss, timeout); after a crash or a lost GPU the worker is
// respawned and idempotent calls (ingest and reads) run again.
import type { BackendChoice, BackendInfo, IngestReport, Job, StudioApi, StudioEvent } from './api';
import type { WorkerLike } from './protocol';
import { engineMethods, engineWorkerName, parseBackendParam, type EngineEvent, type EngineMethods } from './engine/methods';
import { createWorkerClient } from './shared/worker-client';

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
  const search = opts.search ?? (typeof location !== 'undefined' ? location.search : '');
  let forced: BackendChoice | null = parseBackendParam(search);
  const spawn = opts.spawn ?? spawnEngine;
  const w = createWorkerClient<EngineMethods, typeof engineMethods, EngineEvent>({
    label: 'engine',
    methods: engineMethods,
    spawn: () => spawn(engineWorkerName(forced)),
    defaultTimeoutMs: opts.timeoutMs ?? 180_000,
  });
  const c = w.call;

  // Ingest jobs in flight: a backend change waits for them instead of ending them.
  const jobs = new Set<Promise<unknown>>();
  const tracked = (job: Job<IngestReport>): Job<IngestReport> => {
    const settled = job.promise.then(() => undefined, () => undefined);
    jobs.add(settled);
    void settled.finally(() => jobs.delete(settled));
    return job;
  };

  return {
    backend: () => c.backend(null),
    async setBackend(choice: BackendChoice): Promise<BackendInfo> {
      await c.saveBackendChoice({ choice });
      while (jobs.size > 0) await Promise.all([...jobs]);
      // An explicit choice replaces the URL's; a fresh worker starts clean on the new backend.
      forced = choice === 'auto' ? null : choice;
      w.restart('the compute backend was changed');
      return c.backend(null);
    },
    ingest: (files, onProgress) => tracked(c.ingest({ files }, onProgress)),
    loadDemo: (onProgress) => tracked(c.loadDemo(null, onProgress)),
    stats: () => c.stats(null),
    clearLibrary: async () => void (await c.clearLibrary(null)),
    searchFiles: (files, k) => c.searchFiles({ files, k }),
    searchText: (text, k) => c.searchText({ text, k }),
    getEcg: (id) => c.getEcg({ id }),
    getThumb: (id) => c.getThumb({ id }),
    embedText: (text) => c.embedText({ text }),
    activeVersion: () => c.activeVersion(null),
    activateVersion: (version, onProgress) => c.activateVersion({ version }, onProgress),
    interruptedJobs: () => c.interruptedJobs(null),
    importEmbeddings: (files) => c.importEmbeddings({ files }),
    jobRunning: () => jobs.size > 0,
    onEvent: (cb) => w.onEvent((e) => cb(e as StudioEvent)),
    dispose: () => w.dispose(),
  };
}

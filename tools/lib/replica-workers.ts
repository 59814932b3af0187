// Node worker threads for data-parallel pretraining: tfjs wasm in Node runs on one core, so each extra
// core gets a worker holding a copy of the parameters (tools/lib/replica-worker.ts), seen by the
// coordinator as a ReplicaClient (src/model/parallel/step.ts).
import { Worker } from 'node:worker_threads';
import type { MedbindConfig } from '../../src/model/config';
import type { ReplicaClient } from '../../src/model/parallel/step';
import type { ReplicaInit, ReplicaRequest } from './replica-worker';

// Node 20 does not apply `--import tsx` given in a worker's execArgv to the worker's own entry file, so
// the worker starts from a small script that loads the TypeScript entry through tsx's API.
const ENTRY = new URL('./replica-worker.ts', import.meta.url).href;
const TSX_API = import.meta.resolve('tsx/esm/api');
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ tsImport }) => tsImport(${JSON.stringify(ENTRY)}, ${JSON.stringify(import.meta.url)}))`;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Op = ReplicaRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;

function startOne(init: ReplicaInit, index: number): Promise<ReplicaClient> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: init });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failed: Error | null = null;
  const failAll = (e: Error) => {
    failed = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const ready = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));
  worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(`replica worker ${index}: ${m.error}`));
    else p.resolve(m.result);
  });
  worker.on('error', (e) => failAll(new Error(`replica worker ${index}: ${e.message}`)));
  worker.on('exit', (code) => failAll(new Error(`replica worker ${index} exited (code ${code})`)));
  const call = <T>(op: Op, body: Record<string, unknown> = {}): Promise<T> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, ...body });
    });
  };
  const client: ReplicaClient = {
    forward: (shard) => call('forward', { shard }),
    backward: (grads) => call('backward', { grads }),
    setParams: (values) => call('setParams', { values }),
    async dispose() {
      await call('dispose').catch(() => undefined);
      await worker.terminate();
    },
  };
  return ready.then(() => client);
}

/** Starts `count` worker replicas holding `values`; config must carry the tokenizer's vocabSize. */
export async function startReplicaWorkers(count: number, config: MedbindConfig, values: Record<string, Float32Array>, shapes: Record<string, number[]>): Promise<ReplicaClient[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startOne({ config, values, shapes }, i)));
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const bad = started.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
  if (bad) {
    await Promise.all(ok.map((c) => c.dispose()));
    throw bad.reason;
  }
  return ok;
}

// Worker-thread side of data-parallel pretraining: one Replica on its own wasm backend (one core), driven
// by messages from tools/lib/replica-workers.ts. Started with `--import tsx`, like the CLIs.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../src/model/backend';
import type { MedbindConfig } from '../../src/model/config';
import { Replica } from '../../src/model/parallel/replica';

export interface ReplicaInit {
  config: MedbindConfig;
  values: Record<string, Float32Array>;
  shapes: Record<string, number[]>;
}

export type ReplicaRequest = { id: number } & ({ op: 'forward'; shard: Parameters<Replica['forward']>[0] } | { op: 'backward'; grads: Parameters<Replica['backward']>[0] } | { op: 'setParams'; values: Record<string, Float32Array> } | { op: 'dispose' });

async function run(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('replica-worker: not started as a worker thread');
  await initBackend('wasm');
  const init = workerData as ReplicaInit;
  const replica = new Replica(init.config, init.values, init.shapes);
  port.on('message', async (msg: ReplicaRequest) => {
    try {
      let result: unknown = null;
      if (msg.op === 'forward') result = await replica.forward(msg.shard);
      else if (msg.op === 'backward') result = await replica.backward(msg.grads);
      else if (msg.op === 'setParams') replica.setParams(msg.values);
      else if (msg.op === 'dispose') replica.dispose();
      port.postMessage({ id: msg.id, result });
    } catch (e) {
      port.postMessage({ id: msg.id, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
    }
  });
  port.postMessage({ id: 0, result: 'ready' });
}

run().catch((e) => {
  parentPort?.postMessage({ id: 0, error: e instanceof Error ? e.message : String(e) });
});

// Measures the MEDBind training step (CXR + ECG + text, TMCL + EMCL, AdamW) of the default configuration
// on one backend with synthetic inputs, in one thread or data-parallel over worker threads; reusable by the
// bench CLI. Usage as a script (the last argument is the number of worker threads, 1 = this thread):
//   node --import tsx tools/lib/train-step-bench.ts wasm 32 3 both 2
import { initBackend } from '../../src/model/backend';
import { defaultConfig } from '../../src/model/config';
import { makeNormal, makeRng } from '../../src/model/rng';
import { Tokenizer } from '../../src/model/tokenizer';
import { paramShapes, paramValues, parallelTrainStep, type ReplicaClient } from '../../src/model/parallel/step';
import { createTrainer, type TrainBatch } from '../../src/model/train';
import { startReplicaWorkers } from './replica-workers';

export interface StepTiming {
  backend: string;
  batchPerModality: number;
  part: 'cxr' | 'ecg' | 'both';
  workers: number;
  msPerStep: number[];
  /** CPU time of this process per step (user + system, every thread of it); in-thread runs only. */
  cpuMsPerStep: number[];
}

export async function benchTrainStep(backend: 'wasm' | 'cpu', n: number, steps: number, parts: StepTiming['part'][] = ['cxr', 'ecg', 'both'], workers = 1): Promise<StepTiming[]> {
  await initBackend(backend);
  const config = defaultConfig();
  const texts = Array.from({ length: n }, (_, i) => `finding number ${i % 7} with sinus rhythm and clear lungs`);
  const tokenizer = Tokenizer.build(texts, config.text);
  const trainer = createTrainer(config, 0, tokenizer);
  const normal = makeNormal(makeRng(1));
  const cxr = { pixels: Float32Array.from({ length: n * 224 * 224 }, () => normal()), n, texts };
  const ecg = { signals: Float32Array.from({ length: n * 12000 }, () => normal() * 0.3), n, texts };
  const batches: Record<StepTiming['part'], TrainBatch> = { cxr: { cxr }, ecg: { ecg }, both: { cxr, ecg, paired: Math.floor(n / 4) } };
  const out: StepTiming[] = [];
  let replicas: ReplicaClient[] = [];
  try {
    if (workers > 1) replicas = await startReplicaWorkers(workers, trainer.config, await paramValues(trainer.params), paramShapes(trainer.params));
    const step = (b: TrainBatch) => (replicas.length ? parallelTrainStep(trainer, replicas, b) : trainer.trainStep(b));
    for (const part of parts) {
      await step(batches[part]); // warm-up
      const ms: number[] = [];
      const cpuMs: number[] = [];
      for (let i = 0; i < steps; i++) {
        const c0 = process.cpuUsage();
        ms.push((await step(batches[part])).ms);
        const c = process.cpuUsage(c0);
        cpuMs.push((c.user + c.system) / 1000);
      }
      out.push({ backend, batchPerModality: n, part, workers, msPerStep: ms, cpuMsPerStep: cpuMs });
    }
  } finally {
    await Promise.all(replicas.map((r) => r.dispose()));
    trainer.dispose();
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [backend = 'wasm', n = '32', steps = '3', part, workers = '1'] = process.argv.slice(2);
  benchTrainStep(backend as 'wasm' | 'cpu', Number(n), Number(steps), part ? [part as StepTiming['part']] : undefined, Number(workers)).then((r) => {
    for (const t of r) {
      const cpu = t.workers > 1 ? '' : ` (cpu ${t.cpuMsPerStep.map((m) => m.toFixed(0)).join(', ')} ms)`;
      console.log(`${t.backend} ${t.part} batch ${t.batchPerModality} workers ${t.workers}: ${t.msPerStep.map((m) => m.toFixed(0)).join(', ')} ms/step${cpu}`);
    }
  });
}

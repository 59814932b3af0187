// Times the three encoders' inference on tfjs wasm, one thread, warm, batch 16 (the runtime's inferBatch),
// with the shipped weights' configuration, and prints one JSON line with the CPU time (this process, user +
// system) and wall time of each timed batch: input upload, forward pass and read-back, as the runtime does.
// The PyTorch side is tools/bench/encoder_infer.py (same architecture, same shapes).
//   node --import tsx tools/bench/encoder-infer-child.ts '{"batch":16,"repeats":5,"warmup":2}'
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../src/model/backend';
import { cxrForward } from '../../src/model/encoders/cxr';
import { ecgForward } from '../../src/model/encoders/ecg';
import { textForward } from '../../src/model/encoders/text';
import { loadWeights } from '../../src/model/load';
import { makeNormal, makeRng } from '../../src/model/rng';
import { fileWeightSource } from '../lib/weights-fs';

/** Text rows are padded to this many tokens (as encoder_infer.py does). */
export const TEXT_TOKENS = 32;

export interface EncoderTimings {
  engine: string;
  threads: number;
  batch: number;
  encoders: Record<'cxr' | 'ecg' | 'text', { cpuMs: number[]; wallMs: number[] }>;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as { batch?: number; repeats?: number; warmup?: number; weights?: string };
  const n = job.batch ?? 16;
  await initBackend('wasm');
  const w = await loadWeights(fileWeightSource(job.weights ?? 'public/weights'));
  const c = w.config;
  const normal = makeNormal(makeRng(1));
  const pixels = Float32Array.from({ length: n * c.cxr.sizePx ** 2 }, () => normal());
  const signals = Float32Array.from({ length: n * c.ecg.leads.length * c.ecg.nSamples }, () => normal());
  const ids = Int32Array.from({ length: n * TEXT_TOKENS }, (_, i) => (i % TEXT_TOKENS < 20 ? 3 + (i % 50) : 0));
  const runs: Record<keyof EncoderTimings['encoders'], () => tf.Tensor> = {
    cxr: () => cxrForward(w.params, c, tf.tensor2d(pixels, [n, c.cxr.sizePx ** 2])),
    ecg: () => ecgForward(w.params, c, tf.tensor2d(signals, [n, c.ecg.leads.length * c.ecg.nSamples])),
    text: () => textForward(w.params, c, tf.tensor2d(ids, [n, TEXT_TOKENS], 'int32')),
  };
  const out: EncoderTimings = { engine: `tfjs ${tf.version.tfjs} wasm`, threads: getThreadsCount(), batch: n, encoders: {} as EncoderTimings['encoders'] };
  for (const [name, fn] of Object.entries(runs) as [keyof EncoderTimings['encoders'], () => tf.Tensor][]) {
    const once = async () => {
      const y = tf.tidy(fn);
      try {
        await y.data();
      } finally {
        y.dispose();
      }
    };
    for (let i = 0; i < (job.warmup ?? 2); i++) await once();
    const cpuMs: number[] = [];
    const wallMs: number[] = [];
    for (let i = 0; i < (job.repeats ?? 5); i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await once();
      wallMs.push(performance.now() - t0);
      const d = process.cpuUsage(c0);
      cpuMs.push((d.user + d.system) / 1000);
    }
    out.encoders[name] = { cpuMs, wallMs };
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Child process for webgpu.test.ts: runs the tiny model's forward pass (all three encoders) on the tfjs
// webgpu backend through dawn.node and on cpu, and prints one JSON line with the adapter and the largest
// absolute difference. Exits 2 when no WebGPU adapter comes up.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
(globalThis as unknown as { navigator: unknown }).navigator = { gpu: create([]) };

async function main(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { initBackend } = await import('../backend');
  const { createParams } = await import('../params');
  const { encodersFromParams } = await import('../encoders/runtime');
  const { tinyConfig, tinyTokenizer, tinyBatch } = await import('./tiny');
  const c = tinyConfig();
  const tok = tinyTokenizer();
  c.text.vocabSize = tok.vocabSize;
  const batch = tinyBatch(c, 3, 11);
  const texts = ['normal sinus rhythm', 'no evidence of pneumonia at all', 'left bundle branch block'];

  async function embedAll(backend: 'cpu' | 'webgpu') {
    const info = await initBackend(backend);
    const params = createParams(c, 5);
    const enc = encodersFromParams(params, c, tok, 'x', { inferBatch: 3 });
    try {
      const before = tf.memory().numTensors;
      const out = [
        (await enc.embedCxr(batch.cxr.pixels, 3)).vectors,
        (await enc.embedEcg(batch.ecg.signals, 3)).vectors,
        (await enc.embedText(texts)).vectors,
      ];
      return { info, out, leaked: tf.memory().numTensors - before };
    } finally {
      enc.dispose();
    }
  }

  let gpu;
  try {
    gpu = await embedAll('webgpu');
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
    process.exit(2);
  }
  const cpu = await embedAll('cpu');
  let maxAbsDiff = 0;
  cpu.out.forEach((a, j) => a.forEach((v, i) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - gpu.out[j][i])))));
  console.log(JSON.stringify({ ok: true, backend: gpu.info.backend, adapter: gpu.info.adapter, maxAbsDiff, leaked: gpu.leaked, n: cpu.out.map((a) => a.length) }));
  process.exit(0);
}

main().catch((e) => {
  console.log(JSON.stringify({ ok: false, error: String(e?.stack ?? e) }));
  process.exit(1);
});

// Child process of the training benchmark: one backend and one kernel set per process (kernel registration
// is global, a stock cpu step cannot be interrupted in-process, and Dawn must see its Vulkan environment
// before it loads). Reads a JSON job from argv[2] and prints one JSON line per finished measurement, so a
// parent that kills it on timeout keeps everything measured until then.
//
// Order: encoder inference, then training steps, then kernels. An encoder step is the real encoder forward + contrastive loss against fixed targets + backward + the
// project's AdamW update of that encoder's parameters.
export interface StepCase {
  encoder: 'cxr' | 'ecg' | 'text';
  batch: number;
  warmup: number;
  repeats: number;
}

export interface TrainJob {
  backend: 'cpu' | 'wasm' | 'webgpu';
  kernels: 'ours' | 'stock';
  /** 'default' = the shipped model's sizes; 'tiny' = the test configuration (SwiftShader only). */
  config: 'default' | 'tiny';
  steps: StepCase[];
  /** Also time each custom kernel against the stock one at model-like shapes. */
  kernelBench: boolean;
  kernelRepeats: number;
  /** Also time encoder inference (items/s) at this batch size (0 = skip). */
  inferBatch: number;
  inferRepeats: number;
  /** Also time the full MEDBind step (CXR + ECG + texts, TMCL + EMCL, AdamW) at this batch per modality (0 = skip). */
  fullStepBatch?: number;
}

export type ChildLine =
  | { kind: 'init'; backend: string; adapter: string | null; reason: string }
  | { kind: 'step'; encoder: string; batch: number; samplesMs: number[]; cpuMs: number[] }
  | { kind: 'kernel'; kernel: string; shape: string; impl: 'ours' | 'stock'; samplesMs: number[]; cpuMs: number[]; error?: string; scaledFrom?: string }
  | { kind: 'infer'; encoder: string; batch: number; samplesMs: number[]; cpuMs: number[] }
  | { kind: 'full-step'; batch: number; samplesMs: number[]; cpuMs: number[] }
  | { kind: 'error'; message: string };

const emit = (line: ChildLine) => console.log(JSON.stringify(line));

async function main(job: TrainJob): Promise<void> {
  if (job.backend === 'webgpu') {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    (globalThis as unknown as { navigator: unknown }).navigator = { gpu: create([]) };
  }
  const tf = await import('@tensorflow/tfjs');
  const { initBackend } = await import('../../src/model/backend');
  const { restoreStockKernels } = await import('../../src/model/kernels');
  const { defaultConfig } = await import('../../src/model/config');
  const { tinyConfig } = await import('../../src/model/testing/tiny');
  const { createParams, disposeParams, paramSpecs } = await import('../../src/model/params');
  const { AdamW } = await import('../../src/model/optimizer');
  const { cxrForward } = await import('../../src/model/encoders/cxr');
  const { ecgForward } = await import('../../src/model/encoders/ecg');
  const { textForward } = await import('../../src/model/encoders/text');
  const { makeNormal, makeRng } = await import('../../src/model/rng');
  const { timeRuns } = await import('./timing');

  const init = await initBackend(job.backend);
  if (job.kernels === 'stock' && init.backend !== 'webgpu') restoreStockKernels(init.backend);
  emit({ kind: 'init', backend: init.backend, adapter: init.adapter, reason: init.reason });

  const c = job.config === 'tiny' ? tinyConfig() : defaultConfig();
  // A vocabulary the size the shipped tokenizer may reach: the embedding gradient (UnsortedSegmentSum) scales with it.
  c.text.vocabSize = job.config === 'tiny' ? 64 : c.text.maxVocab;
  const normal = makeNormal(makeRng(7));
  const cxrLen = c.cxr.sizePx * c.cxr.sizePx;
  const ecgLen = c.ecg.leads.length * c.ecg.nSamples;
  const textLen = Math.min(c.text.maxTokens, 48);

  const inputOf = (encoder: StepCase['encoder'], n: number) =>
    encoder === 'cxr'
      ? tf.tensor2d(Float32Array.from({ length: n * cxrLen }, () => normal()), [n, cxrLen])
      : encoder === 'ecg'
        ? tf.tensor2d(Float32Array.from({ length: n * ecgLen }, () => 0.3 * normal()), [n, ecgLen])
        : tf.tensor2d(Int32Array.from({ length: n * textLen }, (_, i) => (i % textLen === 0 ? 1 : 2 + ((i * 7919) % (c.text.vocabSize - 2)))), [n, textLen], 'int32');
  const forwardOf = (encoder: StepCase['encoder']) => (p: Map<string, import('@tensorflow/tfjs').Tensor>, x: import('@tensorflow/tfjs').Tensor) =>
    encoder === 'cxr' ? cxrForward(p, c, x) : encoder === 'ecg' ? ecgForward(p, c, x) : textForward(p, c, x as import('@tensorflow/tfjs').Tensor2D);

  if (job.inferBatch > 0) {
    const { encodersFromParams } = await import('../../src/model/encoders/runtime');
    const { Tokenizer } = await import('../../src/model/tokenizer');
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
    const corpus = Array.from({ length: 200 }, (_, i) => Array.from({ length: 30 }, (_, j) => words[(i * 31 + j * 17) % words.length]).join(' '));
    const tok = Tokenizer.build(corpus, { ...c.text, maxVocab: 1000 });
    const ci = { ...c, text: { ...c.text, vocabSize: tok.vocabSize } };
    const n = job.inferBatch;
    const enc = encodersFromParams(createParams(ci, 2), ci, tok, 'bench', { inferBatch: n });
    try {
      const pixels = Float32Array.from({ length: n * cxrLen }, () => normal());
      const signals = Float32Array.from({ length: n * ecgLen }, () => 0.3 * normal());
      const texts = corpus.slice(0, n);
      const runs: [string, () => Promise<unknown>][] = [
        ['cxr', () => enc.embedCxr(pixels, n)],
        ['ecg', () => enc.embedEcg(signals, n)],
        ['text', () => enc.embedText(texts)],
      ];
      for (const [encoder, fn] of runs) {
        const cpuMs: number[] = [];
        const samplesMs = await timeRuns(fn, { warmup: 1, repeats: job.inferRepeats }, cpuMs);
        emit({ kind: 'infer', encoder, batch: n, samplesMs, cpuMs });
      }
    } finally {
      enc.dispose();
    }
  }

  for (const sc of job.steps) {
    const params = createParams(c, 1, [sc.encoder]);
    const specs = paramSpecs(c, [sc.encoder]);
    const opt = new AdamW(params, specs, c.train);
    const nameOf = new Map([...params].map(([name, v]) => [v.name, name]));
    const x = inputOf(sc.encoder, sc.batch);
    const targets = tf.tidy(() => {
      const t = tf.randomNormal([sc.batch, c.embedDim], 0, 1, 'float32', 3);
      return t.div(t.norm('euclidean', 1, true));
    });
    const labels = tf.tidy(() => tf.oneHot(tf.range(0, sc.batch, 1, 'int32'), sc.batch));
    const fwd = forwardOf(sc.encoder);
    const step = async () => {
      const { value, grads } = tf.variableGrads(() => {
        const z = fwd(params, x);
        const logits = tf.matMul(z, targets, false, true).div(c.tau);
        return tf.losses.softmaxCrossEntropy(labels, logits) as import('@tensorflow/tfjs').Scalar;
      }, [...params.values()]);
      const named: Record<string, import('@tensorflow/tfjs').Tensor> = {};
      for (const [vName, g] of Object.entries(grads)) named[nameOf.get(vName) ?? vName] = g;
      try {
        opt.apply(named, 1e-4);
        await value.data();
        await params.values().next().value!.data();
      } finally {
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
      }
    };
    try {
      const cpuMs: number[] = [];
      const samplesMs = await timeRuns(step, { warmup: sc.warmup, repeats: sc.repeats }, cpuMs);
      emit({ kind: 'step', encoder: sc.encoder, batch: sc.batch, samplesMs, cpuMs });
    } catch (e) {
      emit({ kind: 'error', message: `${sc.encoder} batch ${sc.batch}: ${(e as Error).message}` });
    } finally {
      opt.dispose();
      disposeParams(params);
      tf.dispose([x, targets, labels]);
    }
  }

  if (job.fullStepBatch) {
    const { benchTrainStep } = await import('../lib/train-step-bench');
    const c0 = process.cpuUsage();
    const [t] = await benchTrainStep(init.backend as 'cpu' | 'wasm', job.fullStepBatch, 1, ['both']);
    const c1 = process.cpuUsage(c0);
    // CPU time covers the warm-up step too: halve it for one step.
    emit({ kind: 'full-step', batch: job.fullStepBatch, samplesMs: t.msPerStep, cpuMs: [(c1.user + c1.system) / 2000] });
  }

  if (job.kernelBench && init.backend !== 'webgpu') await kernelBench(job, init.backend as 'cpu' | 'wasm');
}

/**
 * Times each custom kernel (registered by initBackend) and then the stock one, at model-like shapes. The
 * stock cpu kernels are far slower (UnsortedSegmentSum loops over every segment with whole-tensor ops), so
 * where `stockScale` is given the stock kernel runs on a smaller case and its time is multiplied by the
 * scale (its cost is linear in that size); the line says so.
 */
async function kernelBench(job: TrainJob, backend: 'cpu' | 'wasm'): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { registerTrainingKernels, restoreStockKernels } = await import('../../src/model/kernels');
  const { timeRuns } = await import('./timing');
  type T = import('@tensorflow/tfjs').Tensor;
  const c = (await import('../../src/model/config')).defaultConfig();
  const n = 32;
  const T = 48;
  const dim = c.text.dim;
  const vocab = c.text.maxVocab;
  const owned: T[] = [];
  const keep = <X extends T>(t: X): X => (owned.push(t), t);
  interface Case { kernel: string; shape: string; run: () => T; stock?: { run: () => T; scale: number; shape: string } }
  const cases: Case[] = [];
  // Embedding gradient: [n*T, dim] rows summed into [vocab, dim].
  const seg = keep(tf.randomNormal([n * T, dim]));
  const segIds = (v: number) => keep(tf.tensor1d(Int32Array.from({ length: n * T }, (_, i) => (i * 7919) % v), 'int32'));
  const idsFull = segIds(vocab);
  const smallVocab = 80;
  const idsSmall = segIds(smallVocab);
  cases.push({
    kernel: 'UnsortedSegmentSum', shape: `[${n * T}, ${dim}] -> [${vocab}, ${dim}]`, run: () => tf.unsortedSegmentSum(seg, idsFull, vocab),
    stock: backend === 'cpu' ? { run: () => tf.unsortedSegmentSum(seg, idsSmall, smallVocab), scale: vocab / smallVocab, shape: `${smallVocab} segments` } : undefined,
  });
  // Conv weight gradient at a patch-stem shape (8x8 stride 8 over 224x224, 32 filters).
  const conv = (b: number) => {
    const x = keep(tf.randomNormal([b, 224, 224, 1]));
    const dy = keep(tf.randomNormal([b, 28, 28, 32]));
    return () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [8, 8], pad: 'valid', dataFormat: 'NHWC', filterShape: [8, 8, 1, 32] }) as T;
  };
  cases.push({
    kernel: 'Conv2DBackpropFilter', shape: 'x [8,224,224,1], filter 8x8x1x32, stride 8', run: conv(8),
    stock: backend === 'cpu' ? { run: conv(1), scale: 8, shape: 'batch 1' } : undefined,
  });
  if (backend === 'wasm') {
    // Linear-layer gradients: dW = x^T dy (transposeA) and dx = dy W^T (transposeB), and attention scores q k^T.
    const rows = n * 101;
    const la = keep(tf.randomNormal([1, rows, 128]));
    const lb = keep(tf.randomNormal([1, rows, 512]));
    const w = keep(tf.randomNormal([1, 128, 512]));
    const q = keep(tf.randomNormal([n * 4, 101, 32]));
    const k = keep(tf.randomNormal([n * 4, 101, 32]));
    cases.push({ kernel: 'BatchMatMul transposeA (dW)', shape: `[${rows},128]^T x [${rows},512]`, run: () => tf.matMul(la, lb, true, false) });
    cases.push({ kernel: 'BatchMatMul transposeB (dx)', shape: `[${rows},512] x [128,512]^T`, run: () => tf.matMul(lb, w, false, true) });
    cases.push({ kernel: 'BatchMatMul transposeB (attention q k^T)', shape: `[${n * 4},101,32] x [${n * 4},101,32]^T`, run: () => tf.matMul(q, k, false, true) });
  }
  for (const impl of ['ours', 'stock'] as const) {
    if (impl === 'ours') registerTrainingKernels(backend);
    else restoreStockKernels(backend);
    for (const cs of cases) {
      const run = impl === 'stock' && cs.stock ? cs.stock.run : cs.run;
      const scale = impl === 'stock' && cs.stock ? cs.stock.scale : 1;
      try {
        const cpuMs: number[] = [];
        const samplesMs = await timeRuns(async () => {
          const out = run();
          await out.data();
          out.dispose();
        }, { warmup: 1, repeats: job.kernelRepeats, budgetMs: 20_000 }, cpuMs);
        emit({ kind: 'kernel', kernel: cs.kernel, shape: cs.shape, impl, samplesMs: samplesMs.map((v) => v * scale), cpuMs: cpuMs.map((v) => v * scale), scaledFrom: scale !== 1 ? cs.stock!.shape : undefined });
      } catch (e) {
        emit({ kind: 'kernel', kernel: cs.kernel, shape: cs.shape, impl, samplesMs: [], cpuMs: [], error: (e as Error).message.slice(0, 160) });
      }
    }
  }
  tf.dispose(owned);
}

main(JSON.parse(process.argv[2] ?? '{}') as TrainJob)
  .then(() => process.exit(0))
  .catch((e) => {
    emit({ kind: 'error', message: String((e as Error)?.stack ?? e).slice(0, 400) });
    process.exit(1);
  });

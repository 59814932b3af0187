// Trains one clinical predictor (LoRA factors, soft-token projections, head) on a subset of the examples
// with AdamW and a class-weighted cross-entropy (weights n / (C * n_c), so a rare outcome is not ignored),
// seeded batches, fixed epochs (no selection on held-out data, which keeps the cross-validation honest),
// pause/cancel between batches. The base encoder's tensors are only read. Every tensor made here is
// disposed in `finally`, however the run ends.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import type { TrainGate } from '../finetune/gate';
import type { ParamArrays } from '../finetune/trainer';
import { AdamW } from '../optimizer';
import type { ParamMap, Params } from '../params';
import { makeRng, shuffleInPlace, subSeed } from '../rng';
import { PAD_ID, type Tokenizer } from '../tokenizer';
import { clinicalLogits, type ClinicalBatch, type ForwardOptions } from './forward';
import { clinicalSpecs, createClinicalVariables } from './params';
import type { ClinicalExamples, ClinicalSettings, EpochReport, SoftModality } from './types';

/** Token ids of all texts at one width, leaving room for the soft tokens. */
export function encodeTexts(tok: Tokenizer, c: MedbindConfig, texts: string[], softTotal: number): { ids: Int32Array; lengths: Int32Array; T: number } {
  const cap = c.text.maxTokens - softTotal;
  if (cap < 2) throw new Error(`clinical model: ${softTotal} soft tokens leave no room for text (maxTokens ${c.text.maxTokens})`);
  const { ids, n, T } = tok.encodeBatch(texts, c.text.lengthBucket, cap);
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let L = 0;
    for (let t = 0; t < T; t++) if (ids[i * T + t] !== PAD_ID) L = t + 1;
    lengths[i] = L;
  }
  return { ids, lengths, T };
}

/** Device copies of the examples (ids, lengths, embeddings), sliced into batches by index. */
export class ExampleTensors {
  readonly ids: tf.Tensor2D;
  readonly lengths: tf.Tensor1D;
  readonly emb: Partial<Record<SoftModality, tf.Tensor2D>> = {};
  constructor(tok: Tokenizer, c: MedbindConfig, ex: ClinicalExamples, readonly modalities: readonly SoftModality[], softTokens: number) {
    const n = ex.texts.length;
    const enc = encodeTexts(tok, c, ex.texts, softTokens * modalities.length);
    this.ids = tf.tensor2d(enc.ids, [n, enc.T], 'int32');
    this.lengths = tf.tensor1d(enc.lengths, 'int32');
    for (const m of modalities) {
      const e = ex.embeddings[m];
      if (!e || e.length !== n * ex.embedDim) throw new Error(`clinical model: ${m.toUpperCase()} embeddings missing or of the wrong size`);
      this.emb[m] = tf.tensor2d(e, [n, ex.embedDim]);
    }
  }
  batch(idx: tf.Tensor1D): ClinicalBatch {
    const embeddings: ClinicalBatch['embeddings'] = {};
    for (const m of this.modalities) embeddings[m] = tf.gather(this.emb[m]!, idx) as tf.Tensor2D;
    return { ids: tf.gather(this.ids, idx) as tf.Tensor2D, lengths: tf.gather(this.lengths, idx) as tf.Tensor1D, embeddings };
  }
  dispose(): void {
    this.ids.dispose();
    this.lengths.dispose();
    for (const t of Object.values(this.emb)) t?.dispose();
  }
}

export interface TrainedPredictor {
  status: 'done' | 'cancelled';
  params: ParamArrays;
  history: EpochReport[];
}

const CHUNK = 64;

/** Class probabilities [idx.length, C] of the examples at `idx` under trainable parameters `train`. */
export async function predictProbabilities(base: Params, c: MedbindConfig, train: Params, o: ForwardOptions, data: ExampleTensors, idx: readonly number[]): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let s = 0; s < idx.length; s += CHUNK) {
    const probs = tf.tidy(() => {
      const b = data.batch(tf.tensor1d(idx.slice(s, s + CHUNK), 'int32'));
      return tf.softmax(clinicalLogits(base, c, train, o, b));
    });
    try {
      parts.push((await probs.data()) as Float32Array);
    } finally {
      probs.dispose();
    }
  }
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) out.set(p, (off += p.length) - p.length);
  return out;
}

function accuracyOf(probs: Float32Array, y: ArrayLike<number>, C: number): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let j = 1; j < C; j++) if (probs[i * C + j] > probs[i * C + best]) best = j;
    if (best === y[i]) ok++;
  }
  return y.length ? ok / y.length : NaN;
}

export interface TrainArgs {
  base: Params;
  config: MedbindConfig;
  data: ExampleTensors;
  y: Int32Array;
  nClasses: number;
  embedDim: number;
  train: readonly number[];
  /** Monitored only (never used to pick epochs). */
  val: readonly number[];
  settings: ClinicalSettings;
  /** Seed of this run's initial values and batch order. */
  seed: number;
  gate: TrainGate;
  onEpoch?: (e: EpochReport) => void;
  /** Measure train / held-out accuracy after this epoch (default every epoch; the last one always). */
  monitor?: (epoch: number) => boolean;
}

export async function trainPredictor(a: TrainArgs): Promise<TrainedPredictor> {
  const { base, config: c, data, settings: s, nClasses: C } = a;
  const o: ForwardOptions = { rank: s.rank, alpha: s.alpha, softTokens: s.softTokens, modalities: data.modalities };
  const specs = clinicalSpecs(c, s, data.modalities, C, a.embedDim);
  const vars: ParamMap = createClinicalVariables(specs, a.seed);
  const byVarName = new Map([...vars].map(([name, v]) => [v.name, name]));
  const varList = [...vars.values()];
  const counts = new Array<number>(C).fill(0);
  for (const i of a.train) counts[a.y[i]]++;
  const classWeight = tf.tensor1d(counts.map((n) => (n > 0 ? a.train.length / (C * n) : 0)));
  const yAll = tf.tidy(() => tf.oneHot(tf.tensor1d(a.y, 'int32'), C).toFloat());
  const optimizer = new AdamW(vars, specs, {
    beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: s.weightDecay,
    peakLr: s.learningRate, warmupSteps: 0, totalSteps: 1, minLrFrac: 1,
    variant: 'NM', initStd: 0, ecgNoiseStdMv: 0, cxrMaxShiftPx: 0, cxrIntensityJitter: 0,
  });
  const history: EpochReport[] = [];
  try {
    const rng = makeRng(subSeed(a.seed, 'clinical-batches'));
    const order = [...a.train];
    const batch = Math.max(1, Math.min(s.batchSize, order.length));
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let nBatches = 0;
      for (let st = 0; st < order.length; st += batch) {
        if (!(await a.gate.checkpoint())) return { status: 'cancelled', params: {}, history };
        const idx = tf.tensor1d(order.slice(st, st + batch), 'int32');
        try {
          const { value, grads } = tf.variableGrads(() => {
            const b = data.batch(idx);
            const y = tf.gather(yAll, idx);
            const w = tf.sum(tf.mul(y, classWeight), 1);
            return tf.losses.softmaxCrossEntropy(y, clinicalLogits(base, c, vars, o, b), w) as tf.Scalar;
          }, varList);
          try {
            lossSum += (await value.data())[0];
            nBatches++;
            const named: Record<string, tf.Tensor> = {};
            for (const [vn, g] of Object.entries(grads)) named[byVarName.get(vn) ?? vn] = g;
            optimizer.apply(named, s.learningRate);
          } finally {
            value.dispose();
            tf.dispose(grads);
          }
        } finally {
          idx.dispose();
        }
      }
      const measure = epoch === s.epochs || (a.monitor?.(epoch) ?? true);
      const trainAcc = !measure ? NaN : accuracyOf(await predictProbabilities(base, c, vars, o, data, a.train), a.train.map((i) => a.y[i]), C);
      const valAcc = measure && a.val.length ? accuracyOf(await predictProbabilities(base, c, vars, o, data, a.val), a.val.map((i) => a.y[i]), C) : NaN;
      const e = { epoch, loss: lossSum / Math.max(1, nBatches), trainAccuracy: trainAcc, valAccuracy: valAcc };
      history.push(e);
      a.onEpoch?.(e);
    }
    const params: ParamArrays = {};
    for (const [name, v] of vars) params[name] = { shape: v.shape.slice(), values: (await v.data()) as Float32Array };
    return { status: 'done', params, history };
  } finally {
    optimizer.dispose();
    classWeight.dispose();
    yAll.dispose();
    for (const v of vars.values()) v.dispose();
  }
}

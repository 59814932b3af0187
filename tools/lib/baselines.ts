// Reference points for the embedding, on the same splits as `npm run eval`: (a) a supervised classifier,
// the same ECG encoder (config and initialisation as the shipped model) plus a linear head, trained with
// cross-entropy on the training labels alone (same augmentation and class-balanced sampling as
// pretraining, checkpoint chosen on the validation split), and (b) linear probes on a fixed simple
// representation: the raw leads averaged to 5 Hz (12 x 50 values), standardised with training statistics.
import * as tf from '@tensorflow/tfjs';
import { augmentEcgRecords } from '../../src/model/augment';
import type { MedbindConfig } from '../../src/model/config';
import { ecgForward } from '../../src/model/encoders/ecg';
import { fewShotEval, predictProbe, trainLinearProbe } from '../../src/model/fewshot';
import { balancedAccuracy } from '../../src/model/metrics';
import { AdamW, lrAt } from '../../src/model/optimizer';
import { createParams, disposeParams, ecgSpecs, type ParamSpec } from '../../src/model/params';
import { makeRng, subSeed } from '../../src/model/rng';
import { round4 } from './eval-dataset';
import type { EvalTask } from './eval-tasks';
import { selectBest } from './model-selection';
import { ECG_INPUT_LEN, stackInputs, type PreparedItem } from './prepared';
import { sqrtInverseFrequency } from './sampler';

/** Raw-lead features: each lead averaged over windows of `poolSamples` samples. [n, leads * nSamples/pool]. */
export function rawLeadFeatures(items: PreparedItem[], leads: number, nSamples: number, poolSamples: number): Float32Array {
  const per = nSamples / poolSamples;
  const out = new Float32Array(items.length * leads * per);
  items.forEach((p, i) => {
    for (let l = 0; l < leads; l++) {
      for (let j = 0; j < per; j++) {
        let s = 0;
        for (let t = 0; t < poolSamples; t++) s += p.input[l * nSamples + j * poolSamples + t];
        out[(i * leads + l) * per + j] = s / poolSamples;
      }
    }
  });
  return out;
}

/** Standardises columns of `x` (and `others`) with the mean and sd of x's rows, in place. */
export function standardise(x: Float32Array, d: number, others: Float32Array[]): void {
  const n = x.length / d;
  for (let k = 0; k < d; k++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + k];
    m /= Math.max(1, n);
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + k] - m) ** 2;
    const sd = Math.sqrt(v / Math.max(1, n)) || 1;
    for (const a of [x, ...others]) for (let i = 0; i < a.length / d; i++) a[i * d + k] = (a[i * d + k] - m) / sd;
  }
}

export interface Labelled {
  items: PreparedItem[];
  y: number[];
}

export function labelled(task: EvalTask, items: PreparedItem[]): Labelled {
  const out: Labelled = { items: [], y: [] };
  for (const p of items) {
    const c = task.classOf(p.item.labels);
    if (c >= 0) {
      out.items.push(p);
      out.y.push(c);
    }
  }
  return out;
}

export function rawLeadBaseline(c: MedbindConfig, train: Labelled, val: Labelled, nClasses: number, shots: number[], repeats: number, seed: number) {
  const pool = c.ecg.fsHz / 5;
  const d = c.ecg.leads.length * (c.ecg.nSamples / pool);
  const xTr = rawLeadFeatures(train.items, c.ecg.leads.length, c.ecg.nSamples, pool);
  const xVa = rawLeadFeatures(val.items, c.ecg.leads.length, c.ecg.nSamples, pool);
  standardise(xTr, d, [xVa]);
  const probe = trainLinearProbe(xTr, train.y, nClasses, { l2: 1e-2 });
  const full = round4(balancedAccuracy(val.y, predictProbe(probe, xVa), nClasses));
  const fewShot: Record<string, { mean: number; sd: number; repeats: number }> = {};
  for (const K of shots) {
    const f = fewShotEval(xVa, val.y, nClasses, K, { repeats, seed: seed + K });
    fewShot[String(K)] = { mean: round4(f.mean), sd: round4(f.sd), repeats: f.repeats };
  }
  return { representation: `raw leads averaged to 5 Hz (${d} values), standardised`, trainedOnLabels: { nTrain: train.y.length, balancedAccuracy: full }, fewShot };
}

/** Logits of the supervised classifier: the ECG embedding (unit norm) times a linear head, scaled by 1/tau. */
function logits(params: Map<string, tf.Variable>, c: MedbindConfig, x: tf.Tensor): tf.Tensor2D {
  const z = ecgForward(params, c, x);
  return tf.mul(tf.add(tf.matMul(z, params.get('sup/head/w')!), params.get('sup/head/b')!), 1 / c.tau) as tf.Tensor2D;
}

async function predict(params: Map<string, tf.Variable>, c: MedbindConfig, items: PreparedItem[]): Promise<Int32Array> {
  const out = new Int32Array(items.length);
  for (let i = 0; i < items.length; i += 32) {
    const chunk = items.slice(i, i + 32);
    const t = tf.tidy(() => tf.argMax(logits(params, c, tf.tensor3d(stackInputs(chunk, ECG_INPUT_LEN), [chunk.length, c.ecg.leads.length, c.ecg.nSamples])), 1));
    out.set((await t.data()) as Int32Array, i);
    t.dispose();
  }
  return out;
}

export async function supervisedBaseline(config: MedbindConfig, train: Labelled, val: Labelled, nClasses: number, opts: { steps: number; batch: number; evalEvery: number; seed: number; log?: (s: string) => void }) {
  const c: MedbindConfig = { ...config, train: { ...config.train, totalSteps: opts.steps, warmupSteps: Math.min(config.train.warmupSteps, Math.floor(opts.steps / 5)) } };
  const params = createParams(c, opts.seed, ['ecg']);
  const headSpecs: ParamSpec[] = [
    { name: 'sup/head/w', shape: [c.embedDim, nClasses], init: 'normal', decay: true },
    { name: 'sup/head/b', shape: [nClasses], init: 'zeros', decay: false },
  ];
  params.set('sup/head/w', tf.variable(tf.randomNormal([c.embedDim, nClasses], 0, c.train.initStd, 'float32', opts.seed)));
  params.set('sup/head/b', tf.variable(tf.zeros([nClasses])));
  const specs = [...ecgSpecs(c), ...headSpecs];
  const optimizer = new AdamW(params, specs, c.train);
  const weights = sqrtInverseFrequency(train.items);
  const cum: number[] = [];
  weights.reduce((a, w) => (cum.push(a + w), a + w), 0);
  const total = cum[cum.length - 1];
  const aug = { leads: c.ecg.leads.length, nSamples: c.ecg.nSamples, fsHz: c.ecg.fsHz, noiseStdMv: c.train.ecgNoiseStdMv, scaleJitter: c.train.ecgScaleJitter ?? 0, wanderMv: c.train.ecgWanderMv ?? 0, leadDropout: c.train.ecgLeadDropout ?? 0, cropProb: c.train.ecgCropProb ?? 0, cropSeconds: c.train.ecgCropSeconds ?? [10, 10] as [number, number] };
  const curve: { step: number; score: number }[] = [];
  const preds = new Map<number, Int32Array>();
  const vars = specs.map((s) => params.get(s.name)!);
  for (let step = 0; step < opts.steps; step++) {
    const rng = makeRng(subSeed(opts.seed, `supervised/${step}`));
    const idx = Array.from({ length: opts.batch }, () => {
      const u = rng() * total;
      return Math.min(cum.length - 1, cum.findIndex((v) => v > u));
    });
    const batch = idx.map((i) => train.items[i]);
    const x = augmentEcgRecords(stackInputs(batch, ECG_INPUT_LEN), batch.length, aug, rng);
    const y = idx.map((i) => train.y[i]);
    const lr = lrAt(step, c.train);
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const lg = logits(params, c, tf.tensor3d(x, [batch.length, c.ecg.leads.length, c.ecg.nSamples]));
        return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(y, 'int32'), nClasses), tf.logSoftmax(lg)), 1))) as tf.Scalar;
      }, vars);
      const byName: Record<string, tf.Tensor> = {};
      specs.forEach((s, i) => {
        if (grads[vars[i].name]) byName[s.name] = grads[vars[i].name];
      });
      optimizer.apply(byName, lr);
      return value;
    });
    const lv = (await loss.data())[0];
    loss.dispose();
    if ((step + 1) % opts.evalEvery === 0 || step + 1 === opts.steps) {
      const p = await predict(params, c, val.items);
      const ba = balancedAccuracy(val.y, p, nClasses);
      curve.push({ step: step + 1, score: ba });
      preds.set(step + 1, p);
      opts.log?.(`supervised step ${step + 1}/${opts.steps} loss ${lv.toFixed(3)} validation balanced accuracy ${ba.toFixed(3)}`);
    }
  }
  optimizer.dispose();
  disposeParams(params);
  const best = selectBest(curve);
  return {
    model: 'same ECG encoder (config and initialisation) + linear head, cross-entropy on the training labels, checkpoint chosen on the validation split',
    nTrain: train.y.length,
    steps: opts.steps,
    batch: opts.batch,
    selectedStep: best?.step ?? null,
    balancedAccuracy: best ? round4(curve.find((p) => p.step === best.step)!.score) : null,
    curve: curve.map((p) => ({ step: p.step, balancedAccuracy: round4(p.score) })),
  };
}

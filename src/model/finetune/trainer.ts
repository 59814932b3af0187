// The local fine-tuning loop: trains a small set of named parameters (a modality's projection head, and
// optionally its last encoder block) on cached frozen features, against the class-prompt text embeddings
// (cross-entropy over cosine/tau logits, i.e. the z->t direction of TMCL restricted to class prompts, so the
// result stays a zero-shot model) or with a plain trainable linear classifier. Memory: every tensor made
// here is disposed in `finally`, whatever way the run ends (done, early stop, cancel, error).
import * as tf from '@tensorflow/tfjs';
import { AdamW } from '../optimizer';
import type { ParamMap, ParamSpec } from '../params';
import { makeRng, shuffleInPlace, subSeed } from '../rng';
import { balancedAccuracy } from '../metrics';
import type { TrainGate } from './gate';

export type FinetuneObjective = 'prompt-contrastive' | 'cross-entropy';

/** A parameter as plain data: values row-major in `shape`. */
export interface ParamArray {
  shape: number[];
  values: Float32Array;
}
export type ParamArrays = Record<string, ParamArray>;

/** What is trained: named parameters and a forward from cached features to L2-normalised embeddings. */
export interface TrainableHead {
  /** Initial values, keyed by their names in the shared parameter map. */
  initial: ParamArrays;
  /** features [b, featDim] -> embeddings [b, embedDim], L2-normalised. Plain tf ops (called inside tidy/grad). */
  embed(params: Record<string, tf.Tensor>, feats: tf.Tensor2D): tf.Tensor2D;
}

export interface FinetuneData {
  /** [nTrain, featDim] frozen features and their class indices. */
  trainFeats: Float32Array;
  trainLabels: Int32Array;
  /** [nVal, featDim] held-out features (may be empty: then the training set is monitored). */
  valFeats: Float32Array;
  valLabels: Int32Array;
  featDim: number;
  nClasses: number;
  /** [nClasses, embedDim] class-prompt text embeddings (templates averaged, L2-normalised). */
  classText: Float32Array;
  embedDim: number;
}

export interface FinetuneSettings {
  objective: FinetuneObjective;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Decoupled (AdamW-style) decay on rank >= 2 parameters. */
  weightDecay: number;
  /** Logit temperature for cosine logits (the model's tau). */
  tau: number;
  /** Stop after this many epochs without a better validation balanced accuracy (0 = never). */
  patience: number;
  seed: number;
}

export interface EpochMetrics {
  /** 0 = before any update. */
  epoch: number;
  /** Mean training loss over the epoch's batches (NaN for epoch 0). */
  loss: number;
  trainBalancedAccuracy: number;
  valBalancedAccuracy: number;
  elapsedMs: number;
}

export interface FinetuneResult {
  status: 'done' | 'early-stopped' | 'cancelled';
  history: EpochMetrics[];
  /** Epoch whose parameters are returned (best validation balanced accuracy). */
  bestEpoch: number;
  bestValBalancedAccuracy: number;
  /** Best parameters of the head (same names as TrainableHead.initial); empty when cancelled. */
  params: ParamArrays;
  /** The linear classifier of the cross-entropy objective (names "classifier/w" [C,d], "classifier/b" [C]). */
  classifier: ParamArrays;
}

const EVAL_CHUNK = 512;

export async function finetuneHead(
  head: TrainableHead,
  data: FinetuneData,
  settings: FinetuneSettings,
  gate: TrainGate,
  onEpoch: (m: EpochMetrics) => void = () => undefined,
): Promise<FinetuneResult> {
  checkInputs(data, settings);
  const { featDim, nClasses, embedDim } = data;
  const nTrain = data.trainLabels.length;
  const nVal = data.valLabels.length;
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (owned.push(t), t);
  let best: Record<string, tf.Tensor> = {};
  let optimizer: AdamW | null = null;
  try {
    const vars: Record<string, tf.Variable> = {};
    const mkVar = (name: string, init: () => tf.Tensor) => keep(tf.tidy(() => tf.variable(init(), true, uniqueName(name))));
    for (const [name, p] of Object.entries(head.initial)) vars[name] = mkVar(name, () => tf.tensor(p.values, p.shape));
    const clsVars: Record<string, tf.Variable> = {};
    if (settings.objective === 'cross-entropy') {
      clsVars['classifier/w'] = mkVar('classifier/w', () => tf.tensor2d(data.classText, [nClasses, embedDim]));
      clsVars['classifier/b'] = mkVar('classifier/b', () => tf.zeros([nClasses]));
    }
    const paramMap: ParamMap = new Map(Object.entries({ ...vars, ...clsVars }));
    const specs: ParamSpec[] = [...paramMap].map(([name, v]) => ({ name, shape: v.shape, init: 'zeros', decay: v.rank >= 2 }));
    const byVarName = new Map([...paramMap].map(([name, v]) => [v.name, name]));
    // [embedDim, nClasses]: a plain matMul (no transpose flag, which is slow on wasm).
    const textByCol = keep(tf.tidy(() => tf.tensor2d(data.classText, [nClasses, embedDim]).transpose()));
    const trainX = keep(tf.tensor2d(data.trainFeats, [nTrain, featDim]));
    const trainY = keep(tf.tidy(() => tf.oneHot(tf.tensor1d(data.trainLabels, 'int32'), nClasses).toFloat()));
    const valX = nVal > 0 ? keep(tf.tensor2d(data.valFeats, [nVal, featDim])) : trainX;
    const valLabels = nVal > 0 ? data.valLabels : data.trainLabels;
    const invTau = 1 / settings.tau;

    const logitsOf = (x: tf.Tensor2D): tf.Tensor2D => {
      const z = head.embed(vars, x);
      if (settings.objective === 'prompt-contrastive') return tf.matMul(z, textByCol).mul(invTau);
      return tf.matMul(z, clsVars['classifier/w'], false, true).mul(invTau).add(clsVars['classifier/b']);
    };
    const predict = async (x: tf.Tensor2D, n: number): Promise<Int32Array> => {
      const out = new Int32Array(n);
      for (let s = 0; s < n; s += EVAL_CHUNK) {
        const e = Math.min(n, s + EVAL_CHUNK);
        const am = tf.tidy(() => logitsOf(x.slice([s, 0], [e - s, featDim])).argMax(1));
        try {
          out.set(await am.data(), s);
        } finally {
          am.dispose();
        }
      }
      return out;
    };
    const evaluate = async (): Promise<[number, number]> => {
      const trainAcc = balancedAccuracy(data.trainLabels, await predict(trainX, nTrain), nClasses);
      const valAcc = nVal > 0 ? balancedAccuracy(valLabels, await predict(valX, nVal), nClasses) : trainAcc;
      return [trainAcc, valAcc];
    };
    const snapshot = () => {
      for (const t of Object.values(best)) t.dispose();
      best = {};
      for (const [k, v] of Object.entries({ ...vars, ...clsVars })) best[k] = v.clone();
    };

    const t0 = performance.now();
    const [tr0, va0] = await evaluate();
    const history: EpochMetrics[] = [{ epoch: 0, loss: NaN, trainBalancedAccuracy: tr0, valBalancedAccuracy: va0, elapsedMs: 0 }];
    onEpoch(history[0]);
    snapshot();
    let bestEpoch = 0;
    let bestVal = va0;
    let status: FinetuneResult['status'] = 'done';

    optimizer = new AdamW(paramMap, specs, {
      beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: settings.weightDecay,
      peakLr: settings.learningRate, warmupSteps: 0, totalSteps: 1, minLrFrac: 1,
      variant: 'NM', initStd: 0, ecgNoiseStdMv: 0, cxrMaxShiftPx: 0, cxrIntensityJitter: 0,
    });
    const varList = [...paramMap.values()];
    const rng = makeRng(subSeed(settings.seed, 'finetune-batches'));
    const order = Array.from({ length: nTrain }, (_, i) => i);
    const batch = Math.max(1, Math.min(settings.batchSize, nTrain));

    outer: for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      shuffleInPlace(order, rng);
      const losses: tf.Scalar[] = [];
      try {
        for (let s = 0; s < nTrain; s += batch) {
          if (!(await gate.checkpoint())) {
            status = 'cancelled';
            break outer;
          }
          const idx = tf.tensor1d(order.slice(s, s + batch), 'int32');
          try {
            const { value, grads } = tf.variableGrads(() => {
              const x = tf.gather(trainX, idx) as tf.Tensor2D;
              const y = tf.gather(trainY, idx);
              return tf.losses.softmaxCrossEntropy(y, logitsOf(x)) as tf.Scalar;
            }, varList);
            losses.push(value);
            try {
              const named: Record<string, tf.Tensor> = {};
              for (const [vn, g] of Object.entries(grads)) named[byVarName.get(vn) ?? vn] = g;
              optimizer.apply(named, settings.learningRate);
            } finally {
              tf.dispose(grads);
            }
          } finally {
            idx.dispose();
          }
        }
        const meanLoss = tf.tidy(() => tf.addN(losses).div(losses.length));
        const loss = (await meanLoss.data())[0];
        meanLoss.dispose();
        const [trAcc, vaAcc] = await evaluate();
        const m = { epoch, loss, trainBalancedAccuracy: trAcc, valBalancedAccuracy: vaAcc, elapsedMs: performance.now() - t0 };
        history.push(m);
        onEpoch(m);
        if (vaAcc > bestVal) {
          bestVal = vaAcc;
          bestEpoch = epoch;
          snapshot();
        } else if (settings.patience > 0 && epoch - bestEpoch >= settings.patience) {
          status = 'early-stopped';
          break;
        }
      } finally {
        for (const l of losses) l.dispose();
      }
    }

    if (status === 'cancelled') {
      return { status, history, bestEpoch, bestValBalancedAccuracy: bestVal, params: {}, classifier: {} };
    }
    const params: ParamArrays = {};
    const classifier: ParamArrays = {};
    for (const [k, t] of Object.entries(best)) {
      const arr = { shape: t.shape.slice(), values: (await t.data()) as Float32Array };
      if (k in clsVars) classifier[k] = arr;
      else params[k] = arr;
    }
    return { status, history, bestEpoch, bestValBalancedAccuracy: bestVal, params, classifier };
  } finally {
    optimizer?.dispose();
    for (const t of Object.values(best)) t.dispose();
    for (const t of owned) t.dispose();
  }
}

let varCounter = 0;
/** tfjs variable names are global: make each run's unique so two runs can coexist. */
const uniqueName = (name: string) => `finetune_${++varCounter}_${name}`;

function checkInputs(d: FinetuneData, s: FinetuneSettings): void {
  const bad = (m: string) => {
    throw new Error(`finetune: ${m}`);
  };
  if (d.trainLabels.length < 1) bad('the training set is empty');
  if (d.trainFeats.length !== d.trainLabels.length * d.featDim) bad(`trainFeats has ${d.trainFeats.length} values, expected ${d.trainLabels.length} x ${d.featDim}`);
  if (d.valFeats.length !== d.valLabels.length * d.featDim) bad(`valFeats has ${d.valFeats.length} values, expected ${d.valLabels.length} x ${d.featDim}`);
  if (d.classText.length !== d.nClasses * d.embedDim) bad(`classText has ${d.classText.length} values, expected ${d.nClasses} x ${d.embedDim}`);
  for (const y of [...d.trainLabels, ...d.valLabels]) if (y < 0 || y >= d.nClasses) bad(`label ${y} outside 0..${d.nClasses - 1}`);
  if (!(s.epochs >= 1) || !(s.batchSize >= 1) || !(s.learningRate > 0) || !(s.tau > 0)) bad('epochs, batchSize, learningRate and tau must be positive');
}

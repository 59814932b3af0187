// The pair-binding loop: trains the projection heads of CXR, ECG and text (the parameters a browser can
// train over cached frozen features) with TMCL + EMCL on batches of training pairs, evaluates CXR -> ECG
// and ECG -> CXR Recall@K on the validation pairs after every epoch, keeps the best epoch by validation
// CXR -> ECG R@10 (ties: R@1, then R@5, then the earlier epoch) and stops early after `patience` epochs
// without a better one. Pause / resume / cancel through the TrainGate. Every tensor made here is disposed
// in `finally`, whatever way the run ends; the initial values are copied, never changed.
import * as tf from '@tensorflow/tfjs';
import type { TrainGate } from '../finetune/gate';
import type { ParamArrays } from '../finetune/trainer';
import { l2Normalize, linear } from '../layers';
import { AdamW } from '../optimizer';
import type { ParamMap, ParamSpec } from '../params';
import { makeRng, shuffleInPlace, subSeed } from '../rng';
import { bindLoss } from './loss';
import { pairRetrieval } from './retrieval';

export type BindModality = 'cxr' | 'ecg' | 'text';

/** One side of the split: distinct items' features, their texts (rows of BindData.textFeats) and the pairs. */
export interface BindSplit {
  /** [nCxr, featDim.cxr] and [nEcg, featDim.ecg]. */
  cxrFeats: Float32Array;
  ecgFeats: Float32Array;
  /** Text row of each CXR / ECG (identical texts share a row). */
  cxrText: Int32Array;
  ecgText: Int32Array;
  /** [cxrRow, ecgRow] per pair. */
  pairs: [number, number][];
}

export interface BindData {
  featDim: Record<BindModality, number>;
  /** [nTexts, featDim.text] text features of every distinct text. */
  textFeats: Float32Array;
  train: BindSplit;
  val: BindSplit;
}

export interface BindSettings {
  epochs: number;
  /** Pairs per batch (n = m: every row of a batch is paired). */
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  tau: number;
  /** Epochs without a better validation CXR -> ECG R@10 before stopping (0 = never). */
  patience: number;
  seed: number;
  /** Which heads train (default all three). */
  heads?: BindModality[];
}

export interface RecallPoint {
  'R@1': number;
  'R@5': number;
  'R@10': number;
}

export interface BindEpoch {
  /** 0 = before any update. */
  epoch: number;
  /** Mean training losses over the epoch's batches (NaN for epoch 0). */
  loss: number;
  tmclCxr: number;
  tmclEcg: number;
  emcl: number;
  valCxrToEcg: RecallPoint;
  valEcgToCxr: RecallPoint;
  elapsedMs: number;
}

export interface BindResult {
  status: 'done' | 'early-stopped' | 'cancelled';
  history: BindEpoch[];
  bestEpoch: number;
  /** Best head parameters (names as in the shared parameter map); empty when cancelled. */
  params: ParamArrays;
}

export const headNames = (m: BindModality): [string, string] => [`${m}/head/w`, `${m}/head/b`];

/** The projection head on features: [n, featDim] -> L2-normalised [n, embedDim] (same ops as clsHead). */
export function projectHead(p: ReadonlyMap<string, tf.Tensor>, m: BindModality, feats: tf.Tensor2D): tf.Tensor2D {
  return l2Normalize(linear(p, `${m}/head`, feats) as tf.Tensor2D);
}

/** Embeds feature rows with head parameters given as plain arrays: [n, embedDim] row-major. */
export async function embedRows(params: ParamArrays, m: BindModality, feats: Float32Array, featDim: number): Promise<Float32Array> {
  const n = feats.length / featDim;
  if (n === 0) return new Float32Array(0);
  const [w, b] = headNames(m);
  const z = tf.tidy(() => {
    const p = new Map<string, tf.Tensor>([[w, tf.tensor(params[w].values, params[w].shape)], [b, tf.tensor(params[b].values, params[b].shape)]]);
    return projectHead(p, m, tf.tensor2d(feats, [n, featDim]));
  });
  try {
    return (await z.data()) as Float32Array;
  } finally {
    z.dispose();
  }
}

/** Lexicographic "better": R@10, then R@1, then R@5. */
const better = (a: RecallPoint, b: RecallPoint) =>
  a['R@10'] !== b['R@10'] ? a['R@10'] > b['R@10'] : a['R@1'] !== b['R@1'] ? a['R@1'] > b['R@1'] : a['R@5'] > b['R@5'];

const point = (r: { recall: Record<string, { estimate: number }> }): RecallPoint => ({ 'R@1': r.recall['R@1'].estimate, 'R@5': r.recall['R@5'].estimate, 'R@10': r.recall['R@10'].estimate });

let varCounter = 0;

export async function bindHeads(initial: ParamArrays, data: BindData, s: BindSettings, gate: TrainGate, onEpoch: (e: BindEpoch) => void = () => undefined): Promise<BindResult> {
  checkInputs(initial, data, s);
  const trained = new Set(s.heads ?? ['cxr', 'ecg', 'text']);
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (owned.push(t), t);
  let best: Record<string, tf.Tensor> = {};
  let optimizer: AdamW | null = null;
  try {
    const run = ++varCounter;
    const vars: ParamMap = new Map();
    for (const m of ['cxr', 'ecg', 'text'] as const) {
      for (const name of headNames(m)) {
        const a = initial[name];
        vars.set(name, keep(tf.tidy(() => tf.variable(tf.tensor(a.values, a.shape), trained.has(m), `bind_${run}_${name}`))));
      }
    }
    const trainable = new Map([...vars].filter(([name]) => trained.has(name.split('/')[0] as BindModality)));
    const specs: ParamSpec[] = [...trainable].map(([name, v]) => ({ name, shape: v.shape, init: 'zeros', decay: v.rank >= 2 }));
    const byVarName = new Map([...trainable].map(([name, v]) => [v.name, name]));
    const { featDim: fd } = data;
    const mk = (x: Float32Array, d: number) => keep(tf.tensor2d(x, [x.length / d, d]));
    const textX = mk(data.textFeats, fd.text);
    const tr = { cxr: mk(data.train.cxrFeats, fd.cxr), ecg: mk(data.train.ecgFeats, fd.ecg) };
    const va = { cxr: mk(data.val.cxrFeats, fd.cxr), ecg: mk(data.val.ecgFeats, fd.ecg) };

    const evaluate = async () => {
      const zc = tf.tidy(() => projectHead(vars, 'cxr', va.cxr));
      const ze = tf.tidy(() => projectHead(vars, 'ecg', va.ecg));
      try {
        const d = zc.shape[1];
        const r = pairRetrieval((await zc.data()) as Float32Array, (await ze.data()) as Float32Array, d, data.val.pairs, { iterations: 0 });
        return { c2e: point(r.cxrToEcg), e2c: point(r.ecgToCxr) };
      } finally {
        tf.dispose([zc, ze]);
      }
    };
    const snapshot = () => {
      tf.dispose(Object.values(best));
      best = {};
      for (const [k, v] of vars) best[k] = v.clone();
    };

    const t0 = performance.now();
    const r0 = await evaluate();
    const history: BindEpoch[] = [{ epoch: 0, loss: NaN, tmclCxr: NaN, tmclEcg: NaN, emcl: NaN, valCxrToEcg: r0.c2e, valEcgToCxr: r0.e2c, elapsedMs: 0 }];
    onEpoch(history[0]);
    snapshot();
    let bestEpoch = 0;
    let bestVal = r0.c2e;
    let status: BindResult['status'] = 'done';

    optimizer = new AdamW(trainable, specs, {
      beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: s.weightDecay,
      peakLr: s.learningRate, warmupSteps: 0, totalSteps: 1, minLrFrac: 1,
      variant: 'BD', initStd: 0, ecgNoiseStdMv: 0, cxrMaxShiftPx: 0, cxrIntensityJitter: 0,
    });
    const varList = [...trainable.values()];
    const rng = makeRng(subSeed(s.seed, 'bind-batches'));
    const nPairs = data.train.pairs.length;
    const order = Array.from({ length: nPairs }, (_, i) => i);
    // Batches of at least 2 pairs (a contrastive batch of 1 has no negatives); a last batch of 1 joins the previous.
    const B = Math.max(2, Math.min(s.batchSize, nPairs));

    const bounds: [number, number][] = [];
    for (let st = 0; st < nPairs; st += B) bounds.push([st, Math.min(nPairs, st + B)]);
    const last = bounds[bounds.length - 1];
    if (bounds.length > 1 && last[1] - last[0] < 2) bounds[bounds.length - 2][1] = bounds.pop()![1];

    outer: for (let epoch = 1; epoch <= s.epochs; epoch++) {
      shuffleInPlace(order, rng);
      const parts: tf.Scalar[][] = [];
      try {
        for (const [st, end] of bounds) {
          if (!(await gate.checkpoint())) {
            status = 'cancelled';
            break outer;
          }
          const rows = order.slice(st, end).map((u) => data.train.pairs[u]);
          const cIdx = rows.map((r) => r[0]);
          const eIdx = rows.map((r) => r[1]);
          const ctIds = Int32Array.from(cIdx, (c) => data.train.cxrText[c]);
          const etIds = Int32Array.from(eIdx, (e) => data.train.ecgText[e]);
          const [ci, ei, cti, eti] = [cIdx, eIdx, ctIds, etIds].map((a) => tf.tensor1d(Int32Array.from(a), 'int32'));
          try {
            let lossParts: tf.Scalar[] = [];
            const { value, grads } = tf.variableGrads(() => {
              lossParts = bindLoss(
                {
                  zCxr: projectHead(vars, 'cxr', tf.gather(tr.cxr, ci) as tf.Tensor2D),
                  tCxr: projectHead(vars, 'text', tf.gather(textX, cti) as tf.Tensor2D),
                  zEcg: projectHead(vars, 'ecg', tf.gather(tr.ecg, ei) as tf.Tensor2D),
                  tEcg: projectHead(vars, 'text', tf.gather(textX, eti) as tf.Tensor2D),
                  cxrTextIds: ctIds, ecgTextIds: etIds, m: rows.length,
                },
                s.tau,
              );
              for (const t of lossParts.slice(1)) tf.keep(t);
              return lossParts[0];
            }, varList);
            parts.push([value, ...lossParts.slice(1)]);
            try {
              const named: Record<string, tf.Tensor> = {};
              for (const [vn, g] of Object.entries(grads)) named[byVarName.get(vn) ?? vn] = g;
              optimizer.apply(named, s.learningRate);
            } finally {
              tf.dispose(grads);
            }
          } finally {
            tf.dispose([ci, ei, cti, eti]);
          }
        }
        const means = tf.tidy(() => tf.stack(parts.map((p) => tf.stack(p))).mean(0));
        const [loss, tmclCxr, tmclEcg, em] = Array.from(await means.data());
        means.dispose();
        const r = await evaluate();
        const e: BindEpoch = { epoch, loss, tmclCxr, tmclEcg, emcl: em, valCxrToEcg: r.c2e, valEcgToCxr: r.e2c, elapsedMs: performance.now() - t0 };
        history.push(e);
        onEpoch(e);
        if (better(r.c2e, bestVal)) {
          bestVal = r.c2e;
          bestEpoch = epoch;
          snapshot();
        } else if (s.patience > 0 && epoch - bestEpoch >= s.patience) {
          status = 'early-stopped';
          break;
        }
      } finally {
        tf.dispose(parts.flat());
      }
    }
    if (status === 'cancelled') return { status, history, bestEpoch, params: {} };
    const params: ParamArrays = {};
    for (const [k, t] of Object.entries(best)) {
      if (trained.has(k.split('/')[0] as BindModality)) params[k] = { shape: t.shape.slice(), values: (await t.data()) as Float32Array };
    }
    return { status, history, bestEpoch, params };
  } finally {
    optimizer?.dispose();
    tf.dispose(Object.values(best));
    tf.dispose(owned);
  }
}

function checkInputs(initial: ParamArrays, d: BindData, s: BindSettings): void {
  const bad = (m: string): never => {
    throw new Error(`pair binding: ${m}`);
  };
  for (const m of ['cxr', 'ecg', 'text'] as const) for (const n of headNames(m)) if (!initial[n]) bad(`missing initial parameter "${n}"`);
  for (const [name, sp] of [['training', d.train], ['validation', d.val]] as const) {
    const nC = sp.cxrFeats.length / d.featDim.cxr;
    const nE = sp.ecgFeats.length / d.featDim.ecg;
    if (!Number.isInteger(nC) || !Number.isInteger(nE)) bad(`${name} features do not fit the feature widths`);
    if (sp.cxrText.length !== nC || sp.ecgText.length !== nE) bad(`${name} text rows: ${sp.cxrText.length} for ${nC} CXRs, ${sp.ecgText.length} for ${nE} ECGs`);
    const nT = d.textFeats.length / d.featDim.text;
    for (const t of [...sp.cxrText, ...sp.ecgText]) if (t < 0 || t >= nT) bad(`${name}: text row ${t} outside 0..${nT - 1}`);
    for (const [c, e] of sp.pairs) if (!(c >= 0 && c < nC && e >= 0 && e < nE)) bad(`${name}: pair [${c}, ${e}] outside the items`);
  }
  if (d.train.pairs.length < 2) bad(`needs at least 2 training pairs (got ${d.train.pairs.length})`);
  if (d.val.pairs.length < 1) bad('needs at least 1 validation pair');
  if (!(s.epochs >= 1) || !(s.batchSize >= 1) || !(s.learningRate > 0) || !(s.tau > 0)) bad('epochs, batchSize, learningRate and tau must be positive');
}

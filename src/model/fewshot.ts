// Few-shot evaluation on frozen embeddings (the paper's protocol): a multinomial logistic-regression
// probe trained on K labelled items per class, repeated over many seeded random support sets and tested
// on the items outside each support set; plus cross-modal zero-shot by class centroids of a labelled
// support set in the other modality. Plain TS, deterministic, no tfjs.
import { argmaxRows, balancedAccuracy, cosineMatrix } from './metrics';
import { makeRng, shuffleInPlace } from './rng';

export interface ProbeOptions {
  /** L2 penalty (l2/2)||W||^2 added to the MEAN cross-entropy. */
  l2: number;
  maxIters: number;
  /** Stop when the gradient's max-abs entry falls below this. */
  tol: number;
}

export const DEFAULT_PROBE: ProbeOptions = { l2: 1e-3, maxIters: 500, tol: 1e-4 };

export interface LinearProbe {
  d: number;
  nClasses: number;
  /** [d, C] row-major */
  W: Float64Array;
  b: Float64Array;
  iters: number;
}

/** Objective and gradient of mean softmax cross-entropy + (l2/2)||W||^2 (bias not penalised). */
export function probeObjective(x: Float32Array, y: ArrayLike<number>, d: number, C: number, W: Float64Array, b: Float64Array, l2: number, gW?: Float64Array, gb?: Float64Array): number {
  const n = y.length;
  const logits = new Float64Array(C);
  let loss = 0;
  gW?.fill(0);
  gb?.fill(0);
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    for (let c = 0; c < C; c++) logits[c] = b[c];
    for (let k = 0; k < d; k++) {
      const v = x[xi + k];
      if (v === 0) continue;
      const wk = k * C;
      for (let c = 0; c < C; c++) logits[c] += v * W[wk + c];
    }
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[c]);
    let z = 0;
    for (let c = 0; c < C; c++) z += Math.exp(logits[c] - max);
    loss += Math.log(z) + max - logits[y[i]];
    if (gW && gb) {
      for (let c = 0; c < C; c++) logits[c] = Math.exp(logits[c] - max) / z - (c === y[i] ? 1 : 0);
      for (let c = 0; c < C; c++) gb[c] += logits[c] / n;
      for (let k = 0; k < d; k++) {
        const v = x[xi + k] / n;
        if (v === 0) continue;
        const wk = k * C;
        for (let c = 0; c < C; c++) gW[wk + c] += v * logits[c];
      }
    }
  }
  let reg = 0;
  for (let j = 0; j < W.length; j++) reg += W[j] * W[j];
  if (gW) for (let j = 0; j < W.length; j++) gW[j] += l2 * W[j];
  return loss / Math.max(1, n) + 0.5 * l2 * reg;
}

/** Largest eigenvalue of X^T X / n (power iteration), for the gradient step size. */
function maxEigen(x: Float32Array, n: number, d: number): number {
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  let lambda = 0;
  for (let it = 0; it < 30; it++) {
    const xv = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) xv[i] += x[i * d + k] * v[k];
    const w = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) w[k] += x[i * d + k] * xv[i];
    let norm = 0;
    for (let k = 0; k < d; k++) norm += w[k] * w[k];
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    lambda = norm / n;
    v = w.map((a) => a / norm);
  }
  return lambda;
}

/**
 * Trains the probe with Nesterov-accelerated gradient descent, step 1/L where L bounds the Hessian
 * (0.5 * lambda_max(X'X/n) for the augmented [x, 1] + l2). Deterministic.
 * x [n, d] row-major, y class indices 0..nClasses-1.
 */
export function trainLinearProbe(x: Float32Array, y: ArrayLike<number>, nClasses: number, opts: Partial<ProbeOptions> = {}): LinearProbe {
  const o = { ...DEFAULT_PROBE, ...opts };
  const n = y.length;
  const d = n === 0 ? 0 : x.length / n;
  if (!Number.isInteger(d)) throw new Error(`trainLinearProbe: ${x.length} values do not split into ${n} rows`);
  const C = nClasses;
  const W = new Float64Array(d * C);
  const b = new Float64Array(C);
  if (n === 0) return { d, nClasses, W, b, iters: 0 };
  const L = 0.5 * (maxEigen(x, n, d) + 1) + o.l2;
  const step = 1 / L;
  const gW = new Float64Array(d * C);
  const gb = new Float64Array(C);
  let yW = Float64Array.from(W);
  let yb = Float64Array.from(b);
  let prevW = Float64Array.from(W);
  let prevB = Float64Array.from(b);
  let t = 1;
  let iters = 0;
  for (; iters < o.maxIters; iters++) {
    probeObjective(x, y, d, C, yW, yb, o.l2, gW, gb);
    let gmax = 0;
    for (let j = 0; j < gW.length; j++) gmax = Math.max(gmax, Math.abs(gW[j]));
    for (let c = 0; c < C; c++) gmax = Math.max(gmax, Math.abs(gb[c]));
    if (gmax < o.tol) break;
    for (let j = 0; j < W.length; j++) W[j] = yW[j] - step * gW[j];
    for (let c = 0; c < C; c++) b[c] = yb[c] - step * gb[c];
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const mom = (t - 1) / tNext;
    yW = W.map((w, j) => w + mom * (w - prevW[j]));
    yb = b.map((v, c) => v + mom * (v - prevB[c]));
    prevW = Float64Array.from(W);
    prevB = Float64Array.from(b);
    t = tNext;
  }
  return { d, nClasses, W, b, iters };
}

export function predictProbe(p: LinearProbe, x: Float32Array): Int32Array {
  const n = x.length / p.d;
  const scores = new Float32Array(n * p.nClasses);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < p.nClasses; c++) {
      let s = p.b[c];
      for (let k = 0; k < p.d; k++) s += x[i * p.d + k] * p.W[k * p.nClasses + c];
      scores[i * p.nClasses + c] = s;
    }
  }
  return argmaxRows(scores, n, p.nClasses);
}

export interface SupportSplit {
  support: number[];
  test: number[];
  /** Items drawn per class (min(K, count - 1): each class keeps at least one item for testing). */
  effectiveK: number[];
}

/** Draws up to K items per class for the support set; the rest are for testing. */
export function sampleSupport(labels: ArrayLike<number>, nClasses: number, K: number, rng: () => number): SupportSplit {
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const support: number[] = [];
  const effectiveK: number[] = [];
  const inSupport = new Uint8Array(labels.length);
  for (const items of byClass) {
    const k = Math.min(K, Math.max(0, items.length - 1));
    const chosen = shuffleInPlace([...items], rng).slice(0, k);
    chosen.forEach((i) => (inSupport[i] = 1));
    support.push(...chosen);
    effectiveK.push(k);
  }
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) if (!inSupport[i]) test.push(i);
  return { support, test, effectiveK };
}

function rows(x: Float32Array, d: number, idx: number[]): Float32Array {
  const out = new Float32Array(idx.length * d);
  idx.forEach((i, r) => out.set(x.subarray(i * d, (i + 1) * d), r * d));
  return out;
}

export interface FewShotResult {
  K: number;
  repeats: number;
  mean: number;
  sd: number;
  /** Effective shots per class (the same in every repeat). */
  effectiveK: number[];
}

/**
 * The paper's few-shot protocol: `repeats` random support sets of K shots per class (seeded), a linear
 * probe on each, balanced accuracy on the items outside the support set; mean and sd over repeats.
 */
export function fewShotEval(x: Float32Array, labels: ArrayLike<number>, nClasses: number, K: number, opts: { repeats?: number; seed?: number; probe?: Partial<ProbeOptions> } = {}): FewShotResult {
  const repeats = opts.repeats ?? 300;
  const n = labels.length;
  const d = x.length / n;
  const rng = makeRng(opts.seed ?? 0);
  const accs: number[] = [];
  let effectiveK: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const split = sampleSupport(labels, nClasses, K, rng);
    effectiveK = split.effectiveK;
    if (split.test.length === 0) continue;
    const probe = trainLinearProbe(rows(x, d, split.support), split.support.map((i) => labels[i]), nClasses, opts.probe);
    const pred = predictProbe(probe, rows(x, d, split.test));
    accs.push(balancedAccuracy(split.test.map((i) => labels[i]), pred, nClasses));
  }
  const mean = accs.reduce((a, b) => a + b, 0) / Math.max(1, accs.length);
  const sd = Math.sqrt(accs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, accs.length - 1));
  return { K, repeats: accs.length, mean, sd, effectiveK };
}

/**
 * Cross-modal zero-shot (the paper's Table 3): queries in one modality [nq, d], a labelled support set in
 * the other [ns, d]; each class is the renormalised mean of its support vectors; argmax cosine.
 */
export function crossModalZeroShot(queries: Float32Array, support: Float32Array, supportLabels: ArrayLike<number>, nClasses: number, d: number): { scores: Float32Array; predictions: Int32Array } {
  const centroids = new Float32Array(nClasses * d);
  for (let i = 0; i < supportLabels.length; i++) {
    const c = supportLabels[i];
    for (let k = 0; k < d; k++) centroids[c * d + k] += support[i * d + k];
  }
  const nq = queries.length / d;
  const scores = cosineMatrix(queries, centroids, d);
  return { scores, predictions: argmaxRows(scores, nq, nClasses) };
}

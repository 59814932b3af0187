// Barnes-Hut t-SNE (van der Maaten 2014) in pure TS for the explorer's 2-D/3-D maps of up to ~10k
// sampled points, as the Embedding Projector does: exact kNN affinities calibrated to a perplexity,
// early exaggeration, momentum with per-coordinate gains, and O(n log n) repulsion from a BhTree.
// Callers drive it step by step so a worker can report progress and honour cancel between steps.
import { makeNormal, makeRng } from '../rng';
import { BhTree } from './bh-tree';
import { approxKnnSelf } from './ivf';
import { knnSquared, type Knn } from './knn';

/** Above this many points the input kNN comes from an IVF index (approximate) instead of a full scan. */
const EXACT_KNN_MAX = 3000;

export interface TsneOptions {
  dims: 2 | 3;
  perplexity?: number; // default 30 (clamped to (n - 1) / 3)
  nIter?: number; // default 1000 (750 above 5k points: each iteration costs O(n log n))
  theta?: number; // Barnes-Hut accuracy, default 0.5
  learningRate?: number; // default max(50, n / 48), as scikit-learn's "auto"
  earlyExaggeration?: number; // default 12
  exaggerationIters?: number; // default 250
  seed?: number;
}

/** Sparse symmetric affinities P (CSR; an (i, j) pair may appear twice, values add). Sums to 1. */
export interface SparseP {
  rowPtr: Int32Array; // [n + 1]
  col: Int32Array;
  val: Float64Array;
}

/** Conditional p_{j|i} over each row's kNN with the Gaussian bandwidth that meets the perplexity. */
export function conditionalP(knn: Knn, n: number, perplexity: number): Float64Array {
  const k = knn.k;
  const out = new Float64Array(n * k);
  const target = Math.log(perplexity);
  const p = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    const dmin = knn.dist2[o];
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let it = 0; it < 200; it++) {
      let sum = 0;
      let sumDP = 0;
      for (let a = 0; a < k; a++) {
        const dd = knn.dist2[o + a] - dmin;
        p[a] = Math.exp(-beta * dd);
        sum += p[a];
        sumDP += dd * p[a];
      }
      const h = Math.log(sum) + (beta * sumDP) / sum;
      if (Math.abs(h - target) < 1e-5) break;
      if (h > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let a = 0; a < k; a++) sum += p[a];
    for (let a = 0; a < k; a++) out[o + a] = p[a] / sum;
  }
  return out;
}

/** P_ij = (p_{j|i} + p_{i|j}) / (2n) as CSR with both directions of every kNN edge. */
export function symmetrise(knn: Knn, cond: Float64Array, n: number): SparseP {
  const k = knn.k;
  const rowCount = new Int32Array(n);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) {
      rowCount[i]++;
      rowCount[knn.indices[i * k + a]]++;
    }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + rowCount[i];
  const fill = rowPtr.slice(0, n);
  const col = new Int32Array(rowPtr[n]);
  const val = new Float64Array(rowPtr[n]);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) {
      const j = knn.indices[i * k + a];
      const v = cond[i * k + a] / (2 * n);
      col[fill[i]] = j;
      val[fill[i]++] = v;
      col[fill[j]] = i;
      val[fill[j]++] = v;
    }
  return { rowPtr, col, val };
}

export class Tsne {
  readonly n: number;
  readonly dims: 2 | 3;
  readonly nIter: number;
  iter = 0;
  /** Current layout [n, dims]. */
  readonly y: Float32Array;
  private readonly p: SparseP;
  private readonly gains: Float32Array;
  private readonly update: Float32Array;
  private readonly tree: BhTree;
  private readonly opts: Required<Omit<TsneOptions, 'seed' | 'learningRate'>> & { learningRate: number };

  constructor(p: SparseP, n: number, opts: TsneOptions) {
    this.n = n;
    this.dims = opts.dims;
    this.p = p;
    this.opts = {
      dims: opts.dims,
      perplexity: opts.perplexity ?? 30,
      nIter: opts.nIter ?? (n > 5000 ? 750 : 1000),
      theta: opts.theta ?? 0.5,
      learningRate: opts.learningRate ?? Math.max(50, n / 48),
      earlyExaggeration: opts.earlyExaggeration ?? 12,
      exaggerationIters: opts.exaggerationIters ?? 250,
    };
    this.nIter = this.opts.nIter;
    const normal = makeNormal(makeRng(opts.seed ?? 1));
    this.y = Float32Array.from({ length: n * this.dims }, () => normal() * 1e-4);
    this.gains = new Float32Array(n * this.dims).fill(1);
    this.update = new Float32Array(n * this.dims);
    this.tree = new BhTree(this.dims);
  }

  /** One gradient-descent iteration. */
  step(): void {
    const { n, dims: D, y, p } = this;
    const o = this.opts;
    const exag = this.iter < o.exaggerationIters ? o.earlyExaggeration : 1;
    const momentum = this.iter < o.exaggerationIters ? 0.5 : 0.8;
    this.tree.build(y, n);
    const rep = new Float64Array(n * D);
    const f = new Float64Array(D);
    let z = 0;
    const theta2 = o.theta * o.theta;
    for (let i = 0; i < n; i++) {
      f.fill(0);
      z += this.tree.repulsion(y, i, theta2, f);
      for (let a = 0; a < D; a++) rep[i * D + a] = f[a];
    }
    z = Math.max(z - n, 1e-12); // drop the n self terms (qz_ii = 1)
    const grad = new Float64Array(D);
    for (let i = 0; i < n; i++) {
      grad.fill(0);
      for (let e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) {
        const j = p.col[e];
        let dist2 = 0;
        for (let a = 0; a < D; a++) dist2 += (y[i * D + a] - y[j * D + a]) ** 2;
        const m = (exag * p.val[e]) / (1 + dist2);
        for (let a = 0; a < D; a++) grad[a] += m * (y[i * D + a] - y[j * D + a]);
      }
      for (let a = 0; a < D; a++) {
        const idx = i * D + a;
        const g = 4 * (grad[a] - rep[idx] / z);
        const sameSign = g > 0 === this.update[idx] > 0;
        this.gains[idx] = Math.max(0.01, sameSign ? this.gains[idx] * 0.8 : this.gains[idx] + 0.2);
        this.update[idx] = momentum * this.update[idx] - o.learningRate * this.gains[idx] * g;
      }
    }
    const mean = new Float64Array(D);
    for (let idx = 0; idx < n * D; idx++) {
      y[idx] += this.update[idx];
      mean[idx % D] += y[idx];
    }
    for (let idx = 0; idx < n * D; idx++) y[idx] -= mean[idx % D] / n;
    this.iter++;
  }

  get done(): boolean {
    return this.iter >= this.nIter;
  }
}

/** Builds t-SNE's affinities for x [n, d] (kNN with k = 3 * perplexity; approximate above 3000 points) and returns a ready Tsne. */
export function prepareTsne(x: Float32Array, n: number, d: number, opts: TsneOptions): Tsne {
  if (n < 4) throw new Error(`t-SNE needs at least 4 points, got ${n}`);
  const perplexity = Math.max(1, Math.min(opts.perplexity ?? 30, (n - 1) / 3));
  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  const knn = n > EXACT_KNN_MAX ? approxKnnSelf(x, n, d, k, opts.seed ?? 1) : knnSquared(x, n, x, n, d, k, 0);
  const p = symmetrise(knn, conditionalP(knn, n, perplexity), n);
  return new Tsne(p, n, { ...opts, perplexity });
}

// PCA for the embedding explorer: a map that appears at once, and the same fitted axes place a text
// query later. Pure TS (no tfjs): the covariance [d, d] of a seeded row sample, then its top-k
// eigenvectors by subspace iteration with a Rayleigh-Ritz step.
import { makeRng } from '../rng';
import { jacobiEigen } from './jacobi';

export interface PcaModel {
  /** Input dimension d. */
  dim: number;
  /** Number of components k. */
  k: number;
  /** Column means [d]. */
  mean: Float32Array;
  /** Principal axes [k, d] row-major, unit length, sign fixed so each axis' largest |coordinate| is positive. */
  components: Float32Array;
  /** Variance along each axis [k] (eigenvalues of the covariance, n-1 denominator), descending. */
  variance: Float64Array;
  /** Trace of the covariance: total variance, so variance[i] / totalVariance is the explained ratio. */
  totalVariance: number;
  /** How many rows the covariance was computed from. */
  nFit: number;
}

export interface PcaOptions {
  /** Rows beyond this are sampled (seeded) for the covariance; all rows are still projected. */
  maxFitRows?: number;
  seed?: number;
  /** Subspace-iteration cap. */
  maxIter?: number;
  /** Stop when the Ritz values change by less than this (relative). */
  tol?: number;
}

/**
 * Rows the covariance is fitted on (a seeded sample; every row is still projected). On unit-norm
 * embeddings the sample's axes agree with the full fit's (pca.test.ts checks clustered data), and the
 * covariance costs rows * d^2 / 2 multiply-adds, so the first map of a 100k library is 10x cheaper.
 */
export const PCA_MAX_FIT_ROWS = 10_000;

/** Picks `m` distinct row indices of `n` (ascending), seeded; all rows when m >= n. */
export function sampleRows(n: number, m: number, seed: number): Uint32Array {
  if (m >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  const rng = makeRng(seed);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m).sort();
}

/** Sample covariance [d, d] (n-1 denominator) of the given rows of x [n, d], and the column means. */
export function covariance(x: Float32Array, d: number, rows: Uint32Array): { cov: Float64Array; mean: Float32Array } {
  const m = rows.length;
  const mean64 = new Float64Array(d);
  for (const r of rows) {
    const o = r * d;
    for (let j = 0; j < d; j++) mean64[j] += x[o + j];
  }
  for (let j = 0; j < d; j++) mean64[j] /= Math.max(1, m);
  const cov = new Float64Array(d * d);
  // Blocks of centred rows, transposed to [d, block] so each (i, j) entry is a contiguous dot product.
  const block = 256;
  const bt = new Float64Array(d * block);
  for (let start = 0; start < m; start += block) {
    const b = Math.min(block, m - start);
    for (let r = 0; r < b; r++) {
      const o = rows[start + r] * d;
      for (let j = 0; j < d; j++) bt[j * block + r] = x[o + j] - mean64[j];
    }
    accumulateUpper(cov, bt, d, block, b);
  }
  const denom = Math.max(1, m - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j] / denom;
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  return { cov, mean: Float32Array.from(mean64) };
}

/** One (i, j) entry: cov[i, j] += the dot product of columns i and j of bt's first b rows. */
function accumulateOne(cov: Float64Array, bt: Float64Array, d: number, block: number, b: number, i: number, j: number): void {
  const oi = i * block;
  const oj = j * block;
  let s = 0;
  for (let r = 0; r < b; r++) s += bt[oi + r] * bt[oj + r];
  cov[i * d + j] += s;
}

/**
 * cov[i, j] += sum_r bt[i, r] * bt[j, r] for i <= j (bt is [d, block], b rows used). Tiles of 2 x 2 entries
 * share their four column loads (half the memory reads per multiply of the one-entry loop); the tile's
 * (i+1, i) entry lands below the diagonal, which the caller ignores.
 */
function accumulateUpper(cov: Float64Array, bt: Float64Array, d: number, block: number, b: number): void {
  const even = d - (d % 2);
  for (let i = 0; i < even; i += 2) {
    const oi = i * block;
    const oi1 = oi + block;
    for (let j = i; j < even; j += 2) {
      const oj = j * block;
      const oj1 = oj + block;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let r = 0; r < b; r++) {
        const a0 = bt[oi + r];
        const a1 = bt[oi1 + r];
        const c0 = bt[oj + r];
        const c1 = bt[oj1 + r];
        s00 += a0 * c0;
        s01 += a0 * c1;
        s10 += a1 * c0;
        s11 += a1 * c1;
      }
      cov[i * d + j] += s00;
      cov[i * d + j + 1] += s01;
      cov[(i + 1) * d + j] += s10;
      cov[(i + 1) * d + j + 1] += s11;
    }
  }
  if (even < d) for (let i = 0; i < d; i++) accumulateOne(cov, bt, d, block, b, i, d - 1); // the odd last column
}

const dot = (a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number => {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[ao + i] * b[bo + i];
  return s;
};

/** Orthonormalises the p rows of q [p, d] in place (modified Gram-Schmidt, twice for stability). */
function orthonormalise(q: Float64Array, d: number, p: number, rng: () => number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < p; a++) {
      const oa = a * d;
      for (let b = 0; b < a; b++) {
        const ob = b * d;
        const t = dot(q, oa, q, ob, d);
        for (let i = 0; i < d; i++) q[oa + i] -= t * q[ob + i];
      }
      const norm = Math.sqrt(dot(q, oa, q, oa, d));
      if (norm < 1e-300) {
        // A rank-deficient direction: restart it at random; the next pass orthogonalises it.
        for (let i = 0; i < d; i++) q[oa + i] = rng() - 0.5;
        a--;
        continue;
      }
      for (let i = 0; i < d; i++) q[oa + i] /= norm;
    }
  }
}

/** Top-k eigenpairs of a symmetric [d, d] matrix (descending), eigenvectors as rows [k, d]. */
export function topEigen(
  a: Float64Array,
  d: number,
  k: number,
  opts: { seed?: number; maxIter?: number; tol?: number } = {},
): { values: Float64Array; vectors: Float64Array } {
  // Oversampling makes the convergence rate (lambda_{p+1} / lambda_k)^iter fast even for close eigenvalues.
  const p = Math.min(d, k + 10);
  const rng = makeRng(opts.seed ?? 1);
  let q = new Float64Array(p * d); // rows = current basis
  for (let i = 0; i < q.length; i++) q[i] = rng() - 0.5;
  orthonormalise(q, d, p, rng);
  const z = new Float64Array(p * d);
  const t = new Float64Array(p * p);
  let prev = new Float64Array(p).fill(NaN);
  const maxIter = opts.maxIter ?? 300;
  const tol = opts.tol ?? 1e-10;
  let ritz: { values: Float64Array; vectors: Float64Array } = { values: new Float64Array(p), vectors: new Float64Array(p * p) };
  for (let it = 0; it < maxIter; it++) {
    // z_c = A q_c (A symmetric: row i of A is contiguous)
    for (let c = 0; c < p; c++) for (let i = 0; i < d; i++) z[c * d + i] = dot(a, i * d, q, c * d, d);
    // Rayleigh-Ritz on span(q): T = Q^T A Q, its eigenvectors rotate the basis.
    for (let r = 0; r < p; r++) for (let c = r; c < p; c++) t[r * p + c] = t[c * p + r] = dot(q, r * d, z, c * d, d);
    ritz = jacobiEigen(t, p);
    let change = 0;
    let scale = 1e-300;
    for (let c = 0; c < k; c++) {
      change = Math.max(change, Math.abs(ritz.values[c] - prev[c]));
      scale = Math.max(scale, Math.abs(ritz.values[c]));
    }
    prev = Float64Array.from(ritz.values);
    const rotate = (src: Float64Array) => {
      const out = new Float64Array(p * d);
      for (let c = 0; c < p; c++)
        for (let r = 0; r < p; r++) {
          const w = ritz.vectors[c * p + r];
          if (w === 0) continue;
          for (let i = 0; i < d; i++) out[c * d + i] += w * src[r * d + i];
        }
      return out;
    };
    if ((it > 1 && change <= tol * scale) || it === maxIter - 1) {
      q = rotate(q); // Ritz vectors, paired with ritz.values
      break;
    }
    q = rotate(z);
    orthonormalise(q, d, p, rng);
  }
  const values = Float64Array.from(ritz.values.subarray(0, k));
  const vectors = Float64Array.from(q.subarray(0, k * d));
  return { values, vectors };
}

/** Fits PCA on x [n, d] (row-major) with k components. */
export function fitPca(x: Float32Array, n: number, d: number, k: number, opts: PcaOptions = {}): PcaModel {
  if (x.length !== n * d) throw new Error(`fitPca: x has ${x.length} values, expected n*d = ${n * d}`);
  if (n < 1 || k < 1 || k > d) throw new Error(`fitPca: need n >= 1 and 1 <= k <= d (n=${n}, k=${k}, d=${d})`);
  const seed = opts.seed ?? 1;
  const rows = sampleRows(n, opts.maxFitRows ?? PCA_MAX_FIT_ROWS, seed);
  const { cov, mean } = covariance(x, d, rows);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += cov[i * d + i];
  const { values, vectors } = topEigen(cov, d, k, { seed, maxIter: opts.maxIter, tol: opts.tol });
  const components = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let i = 0; i < d; i++) if (Math.abs(vectors[c * d + i]) > Math.abs(big)) big = vectors[c * d + i];
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < d; i++) components[c * d + i] = sign * vectors[c * d + i];
  }
  const variance = Float64Array.from(values, (v) => Math.max(0, v));
  return { dim: d, k, mean, components, variance, totalVariance: trace, nFit: rows.length };
}

/** Projects x [n, d] onto the model's axes: [n, k]. */
export function projectPca(model: PcaModel, x: Float32Array, n: number): Float32Array {
  const { dim: d, k, mean, components } = model;
  if (x.length !== n * d) throw new Error(`projectPca: x has ${x.length} values, expected n*d = ${n * d}`);
  const out = new Float32Array(n * k);
  const c = new Float32Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) c[j] = x[o + j] - mean[j];
    for (let a = 0; a < k; a++) {
      const ca = a * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += c[j] * components[ca + j];
      out[r * k + a] = s;
    }
  }
  return out;
}

/** Fraction of the total variance each component explains [k]. */
export const explainedRatio = (m: PcaModel): number[] =>
  Array.from(m.variance, (v) => (m.totalVariance > 0 ? v / m.totalVariance : 0));

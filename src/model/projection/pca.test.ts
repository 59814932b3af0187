import { describe, expect, it } from 'vitest';
import { makeNormal, makeRng } from '../rng';
import { PCA_MAX_FIT_ROWS, covariance, explainedRatio, fitPca, projectPca, sampleRows } from './pca';

/** Oracle: plain one-rotation-at-a-time Jacobi on the full covariance (textbook, no shortcuts). */
function oracleEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((r) => r.slice());
  const v: number[][] = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  for (let iter = 0; iter < 10000; iter++) {
    let p = 0;
    let q = 1;
    let best = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++)
        if (Math.abs(m[i][j]) > best) {
          best = Math.abs(m[i][j]);
          p = i;
          q = j;
        }
    if (best < 1e-14) break;
    const phi = 0.5 * Math.atan2(2 * m[p][q], m[q][q] - m[p][p]);
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    for (let k = 0; k < n; k++) {
      const mkp = m[k][p];
      const mkq = m[k][q];
      m[k][p] = c * mkp - s * mkq;
      m[k][q] = s * mkp + c * mkq;
    }
    for (let k = 0; k < n; k++) {
      const mpk = m[p][k];
      const mqk = m[q][k];
      m[p][k] = c * mpk - s * mqk;
      m[q][k] = s * mpk + c * mqk;
    }
    for (let k = 0; k < n; k++) {
      const vkp = v[k][p];
      const vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }
  const order = m.map((_, i) => i).sort((x, y) => m[y][y] - m[x][x]);
  return { values: order.map((i) => m[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

function naiveCov(x: number[][]): number[][] {
  const n = x.length;
  const d = x[0].length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / (n - 1)),
  );
}

/** Correlated data with a known decaying spectrum. */
function makeData(n: number, d: number, seed: number): number[][] {
  const normal = makeNormal(makeRng(seed));
  const mix = Array.from({ length: d }, () => Array.from({ length: d }, () => normal()));
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: d }, (_, j) => normal() * (3 / (j + 1)));
    return Array.from({ length: d }, (_, i) => z.reduce((s, zj, j) => s + zj * mix[j][i], 0) + 0.5);
  });
}

describe('fitPca', () => {
  it('matches an exact Jacobi eigen-decomposition of the covariance (values, ratios, sign-invariant axes)', () => {
    const n = 200;
    const d = 12;
    const k = 3;
    const rows = makeData(n, d, 7);
    const x = Float32Array.from(rows.flat());
    const model = fitPca(x, n, d, k, { seed: 3 });
    const cov = naiveCov(rows);
    const ref = oracleEigen(cov);
    const trace = cov.reduce((s, r, i) => s + r[i], 0);
    expect(model.totalVariance).toBeCloseTo(trace, 4);
    for (let c = 0; c < k; c++) {
      expect(model.variance[c] / ref.values[c]).toBeCloseTo(1, 4);
      expect(explainedRatio(model)[c]).toBeCloseTo(ref.values[c] / trace, 5);
      let dot = 0;
      for (let i = 0; i < d; i++) dot += model.components[c * d + i] * ref.vectors[c][i];
      expect(Math.abs(dot)).toBeGreaterThan(1 - 1e-5);
    }
  });

  it('projects onto centred axes: coordinates have the fitted variances and are uncorrelated', () => {
    const n = 300;
    const d = 8;
    const rows = makeData(n, d, 11);
    const x = Float32Array.from(rows.flat());
    const model = fitPca(x, n, d, 2);
    const y = projectPca(model, x, n);
    const col = (a: number) => Array.from({ length: n }, (_, r) => y[r * 2 + a]);
    const mean0 = col(0).reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(mean0)).toBeLessThan(1e-4);
    const var0 = col(0).reduce((s, v) => s + v * v, 0) / (n - 1);
    expect(var0 / model.variance[0]).toBeCloseTo(1, 4);
    const cross = col(0).reduce((s, v, r) => s + v * col(1)[r], 0) / (n - 1);
    expect(Math.abs(cross) / model.variance[0]).toBeLessThan(1e-4);
  });

  it('recovers the known axes of a diagonal covariance, with a deterministic sign', () => {
    // Points spread along e2 (var 9) and e0 (var 4), almost nothing along e1.
    const n = 400;
    const normal = makeNormal(makeRng(5));
    const x = new Float32Array(n * 3);
    for (let r = 0; r < n; r++) {
      x[r * 3] = 2 * normal();
      x[r * 3 + 1] = 0.01 * normal();
      x[r * 3 + 2] = -3 * normal();
    }
    const m = fitPca(x, n, 3, 2);
    expect(m.components[2]).toBeGreaterThan(0.99);
    expect(m.components[3]).toBeGreaterThan(0.99);
  });

  it('samples at most maxFitRows rows, seeded and distinct', () => {
    const a = sampleRows(1000, 50, 9);
    expect(a.length).toBe(50);
    expect(new Set(a).size).toBe(50);
    expect(Array.from(sampleRows(1000, 50, 9))).toEqual(Array.from(a));
    const rows = makeData(100, 4, 2);
    const m = fitPca(Float32Array.from(rows.flat()), 100, 4, 2, { maxFitRows: 40 });
    expect(m.nFit).toBe(40);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => fitPca(new Float32Array(10), 3, 4, 2)).toThrow(/n\*d/);
    expect(() => fitPca(new Float32Array(12), 3, 4, 5)).toThrow(/k <= d/);
  });

  it('computes the covariance of odd and even widths like the textbook formula', () => {
    for (const d of [7, 10]) {
      const rows = makeData(60, d, d);
      const { cov } = covariance(Float32Array.from(rows.flat()), d, Uint32Array.from({ length: 60 }, (_, i) => i));
      const ref = naiveCov(rows);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(cov[i * d + j]).toBeCloseTo(ref[i][j], 5);
    }
  });
});

/**
 * Embedding-like data: n unit vectors in d dims around 12 cluster centres of unequal size, the centres
 * spread along directions of decaying scale, each point with isotropic noise (as in a model's shared space).
 */
function clusteredUnitRows(n: number, d: number, seed: number): Float32Array {
  const normal = makeNormal(makeRng(seed));
  const rng = makeRng(seed + 1);
  const nClusters = 12;
  const dirs = Array.from({ length: nClusters }, () => Array.from({ length: d }, () => normal()));
  const centres = Array.from({ length: nClusters }, (_, c) => {
    const v = new Float64Array(d);
    for (let j = 0; j < nClusters; j++) {
      const w = (normal() * 2) / (j + 1);
      for (let i = 0; i < d; i++) v[i] += w * dirs[j][i];
    }
    for (let i = 0; i < d; i++) v[i] += 0.3 * c * dirs[0][i];
    return v;
  });
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const c = Math.min(nClusters - 1, Math.floor(nClusters * rng() * rng() * 1.5)); // unequal cluster sizes
    let s = 0;
    for (let i = 0; i < d; i++) s += (x[r * d + i] = centres[c][i] + 1.5 * normal()) ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < d; i++) x[r * d + i] *= inv;
  }
  return x;
}

describe('fitPca on a sample of the rows', () => {
  it('finds the same axes and explained variance as the fit on every row (clustered unit vectors)', () => {
    const n = 40_000;
    const d = 64;
    const k = 3;
    const x = clusteredUnitRows(n, d, 21);
    const full = fitPca(x, n, d, k, { maxFitRows: n });
    const sample = fitPca(x, n, d, k, { seed: 42 });
    expect(full.nFit).toBe(n);
    expect(sample.nFit).toBe(PCA_MAX_FIT_ROWS);
    // The data has distinct leading eigenvalues (else single axes would be ill-defined, spans compared only).
    expect(full.variance[1] / full.variance[0]).toBeLessThan(0.9);
    expect(full.variance[2] / full.variance[1]).toBeLessThan(0.9);
    const fullRatio = explainedRatio(full);
    const sampleRatio = explainedRatio(sample);
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += full.components[c * d + i] * sample.components[c * d + i];
      expect(dot).toBeGreaterThan(0.998); // same sign rule too, so the map is not mirrored (1,000 rows: 0.993)
      expect(Math.abs(sampleRatio[c] - fullRatio[c]) / fullRatio[c]).toBeLessThan(0.02);
    }
    // Every point lands where the full fit puts it, within a fifth of the first axis' standard deviation.
    const a = projectPca(full, x, n);
    const b = projectPca(sample, x, n);
    let worst = 0;
    for (let i = 0; i < n * k; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst / Math.sqrt(full.variance[0])).toBeLessThan(0.2);
  });
});


import { describe, expect, it } from 'vitest';
import { makeNormal, makeRng } from '../rng';
import { BhTree } from './bh-tree';
import { buildIvf, searchIvf } from './ivf';
import { knnSquared } from './knn';
import { ProjectionCancelled, runProjection, type ProjectionRequest } from './project';

/** Two Gaussian blobs in d dimensions, far apart; labels[i] is 0 or 1. */
function twoClusters(nPer: number, d: number, seed: number) {
  const normal = makeNormal(makeRng(seed));
  const n = 2 * nPer;
  const x = new Float32Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    labels.push(c);
    for (let a = 0; a < d; a++) x[i * d + a] = normal() + (a === 0 ? (c ? 12 : -12) : 0) + (a === 1 ? (c ? -6 : 6) : 0);
  }
  return { x, n, labels };
}

function separation(coords: Float32Array, n: number, dims: number, labels: number[]) {
  const cent = [new Float64Array(dims), new Float64Array(dims)];
  const cnt = [0, 0];
  for (let i = 0; i < n; i++) {
    cnt[labels[i]]++;
    for (let a = 0; a < dims; a++) cent[labels[i]][a] += coords[i * dims + a];
  }
  cent.forEach((c, l) => c.forEach((_, a) => (c[a] /= cnt[l])));
  let spread = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < dims; a++) s += (coords[i * dims + a] - cent[labels[i]][a]) ** 2;
    spread += Math.sqrt(s) / n;
  }
  const between = Math.sqrt(cent[0].reduce((s, v, a) => s + (v - cent[1][a]) ** 2, 0));
  // Nearest-neighbour label agreement in the map.
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let bj = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let a = 0; a < dims; a++) s += (coords[i * dims + a] - coords[j * dims + a]) ** 2;
      if (s < best) {
        best = s;
        bj = j;
      }
    }
    if (labels[bj] === labels[i]) agree++;
  }
  return { ratio: between / spread, agree: agree / n };
}

describe('knnSquared', () => {
  it('agrees with a brute-force sort and skips self', () => {
    const rng = makeRng(3);
    const n = 40;
    const d = 5;
    const x = Float32Array.from({ length: n * d }, () => rng());
    const knn = knnSquared(x, n, x, n, d, 4, 0);
    for (let i = 0; i < n; i++) {
      const ref = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => ({ j, dd: Array.from({ length: d }, (_, a) => (x[i * d + a] - x[j * d + a]) ** 2).reduce((s, v) => s + v) }))
        .sort((a, b) => a.dd - b.dd)
        .slice(0, 4);
      expect(Array.from(knn.indices.subarray(i * 4, i * 4 + 4))).toEqual(ref.map((r) => r.j));
      expect(knn.dist2[i * 4]).toBeCloseTo(ref[0].dd, 4);
    }
  });
});

describe('buildIvf / searchIvf', () => {
  it('finds the exact nearest neighbour for most queries', () => {
    const rng = makeRng(8);
    const m = 2000;
    const d = 8;
    const ref = Float32Array.from({ length: m * d }, () => rng());
    const q = Float32Array.from({ length: 100 * d }, () => rng());
    const exact = knnSquared(q, 100, ref, m, d, 1);
    const approx = searchIvf(buildIvf(ref, m, d), q, 100, 1, 6);
    let hits = 0;
    for (let i = 0; i < 100; i++) if (exact.indices[i] === approx.indices[i]) hits++;
    expect(hits).toBeGreaterThanOrEqual(80);
  });
});

describe('BhTree', () => {
  it('with theta = 0 its repulsion equals the exact pairwise sum (2-D and 3-D, duplicates included)', () => {
    for (const dims of [2, 3] as const) {
      const rng = makeRng(dims);
      const n = 60;
      const y = Float32Array.from({ length: n * dims }, () => rng() * 10 - 5);
      y.set(y.subarray(0, dims), dims); // point 1 duplicates point 0
      const tree = new BhTree(dims);
      tree.build(y, n);
      for (const i of [0, 1, 17, 59]) {
        const f = new Float64Array(dims);
        const z = tree.repulsion(y, i, 0, f);
        let zRef = 0;
        const fRef = new Float64Array(dims);
        for (let j = 0; j < n; j++) {
          let dd = 0;
          for (let a = 0; a < dims; a++) dd += (y[i * dims + a] - y[j * dims + a]) ** 2;
          const qz = 1 / (1 + dd);
          zRef += qz;
          for (let a = 0; a < dims; a++) fRef[a] += qz * qz * (y[i * dims + a] - y[j * dims + a]);
        }
        expect(z).toBeCloseTo(zRef, 6);
        for (let a = 0; a < dims; a++) expect(f[a]).toBeCloseTo(fRef[a], 6);
      }
    }
  });
});

describe('runProjection', () => {
  const { x, n, labels } = twoClusters(60, 10, 21);
  const cases: [string, ProjectionRequest][] = [
    ['t-SNE 2-D', { method: 'tsne', dims: 2, tsneIter: 1000, perplexity: 15, seed: 1 }],
    ['t-SNE 3-D', { method: 'tsne', dims: 3, tsneIter: 1000, perplexity: 15, seed: 1 }],
    ['UMAP 2-D', { method: 'umap', dims: 2, seed: 1, nNeighbors: 10 }],
    ['PCA 3-D', { method: 'pca', dims: 3 }],
  ];
  for (const [name, req] of cases) {
    it(`${name} separates two well-separated clusters`, async () => {
      const progress: number[] = [];
      const out = await runProjection(x, n, 10, req, (p) => progress.push(p.done));
      expect(out.coords.length).toBe(n * req.dims);
      expect(out.coords.every(Number.isFinite)).toBe(true);
      const s = separation(out.coords, n, req.dims, labels);
      expect(s.agree).toBe(1);
      expect(s.ratio).toBeGreaterThan(3);
      expect(progress.length).toBeGreaterThan(0);
    });
  }

  it('is reproducible for a fixed seed', async () => {
    const req: ProjectionRequest = { method: 'tsne', dims: 2, tsneIter: 50, perplexity: 10, seed: 4 };
    const a = await runProjection(x, n, 10, req);
    const b = await runProjection(x, n, 10, req);
    expect(Array.from(a.coords)).toEqual(Array.from(b.coords));
  });

  it('fits a sample and places the rest beside their own cluster', async () => {
    const out = await runProjection(x, n, 10, { method: 'tsne', dims: 2, tsneIter: 250, perplexity: 10, maxFit: 50 });
    expect(out.nFit).toBe(50);
    expect(separation(out.coords, n, 2, labels).agree).toBeGreaterThan(0.97);
  });

  it('stops with ProjectionCancelled when the signal aborts', async () => {
    const ctl = new AbortController();
    let seen = 0;
    const p = runProjection(x, n, 10, { method: 'tsne', dims: 2, tsneIter: 100000 }, () => {
      if (++seen === 3) ctl.abort();
    }, ctl.signal);
    await expect(p).rejects.toBeInstanceOf(ProjectionCancelled);
  });
});

describe('approxKnnSelf', () => {
  it('never lists the point itself and mostly agrees with exact kNN', async () => {
    const { approxKnnSelf } = await import('./ivf');
    const rng = makeRng(12);
    const n = 1500;
    const d = 6;
    const x = Float32Array.from({ length: n * d }, () => rng());
    const approx = approxKnnSelf(x, n, d, 10);
    const exact = knnSquared(x, n, x, n, d, 10, 0);
    let overlap = 0;
    for (let i = 0; i < n; i++) {
      const a = new Set(approx.indices.subarray(i * 10, i * 10 + 10));
      expect(a.has(i)).toBe(false);
      for (const j of exact.indices.subarray(i * 10, i * 10 + 10)) if (a.has(j)) overlap++;
    }
    expect(overlap / (n * 10)).toBeGreaterThan(0.8);
  });
});

describe('projection modules', () => {
  it('are pure TS: none imports tfjs, so they cannot leave tensors behind', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const f of sources) expect(readFileSync(new URL(f, dir), 'utf8')).not.toMatch(/@tensorflow/);
  });
});

// An inverted-file index (coarse k-means cells) for approximate nearest neighbours, so points left out
// of a sampled UMAP/t-SNE fit can be placed next to their nearest fitted points without an O(n * m) scan.
import { makeRng } from '../rng';
import { insertBest, knnSquared, type Knn } from './knn';

export interface IvfIndex {
  d: number;
  nLists: number;
  centroids: Float32Array; // [nLists, d]
  listPtr: Int32Array; // [nLists + 1] CSR into members
  members: Int32Array; // reference row ids grouped by cell
  ref: Float32Array; // [m, d]
}

/** Builds the index over ref [m, d] with about sqrt(m) cells (a few seeded Lloyd iterations). */
export function buildIvf(ref: Float32Array, m: number, d: number, seed = 1, iters = 6): IvfIndex {
  const nLists = Math.max(1, Math.min(m, Math.round(Math.sqrt(m))));
  const rng = makeRng(seed);
  const centroids = new Float32Array(nLists * d);
  for (let c = 0; c < nLists; c++) {
    const r = Math.floor(rng() * m);
    centroids.set(ref.subarray(r * d, r * d + d), c * d);
  }
  let assign: Int32Array;
  for (let it = 0; it < iters; it++) {
    assign = knnSquared(ref, m, centroids, nLists, d, 1).indices;
    const sums = new Float64Array(nLists * d);
    const counts = new Int32Array(nLists);
    for (let r = 0; r < m; r++) {
      const c = assign[r];
      counts[c]++;
      for (let a = 0; a < d; a++) sums[c * d + a] += ref[r * d + a];
    }
    for (let c = 0; c < nLists; c++) {
      if (counts[c] === 0) continue; // an empty cell keeps its old centroid
      for (let a = 0; a < d; a++) centroids[c * d + a] = sums[c * d + a] / counts[c];
    }
  }
  assign = knnSquared(ref, m, centroids, nLists, d, 1).indices;
  const listPtr = new Int32Array(nLists + 1);
  for (let r = 0; r < m; r++) listPtr[assign[r] + 1]++;
  for (let c = 0; c < nLists; c++) listPtr[c + 1] += listPtr[c];
  const fill = listPtr.slice(0, nLists);
  const members = new Int32Array(m);
  for (let r = 0; r < m; r++) members[fill[assign[r]]++] = r;
  return { d, nLists, centroids, listPtr, members, ref };
}

/** Approximate k nearest reference rows for each row of q [nq, d], scanning the nProbe nearest cells. */
export function searchIvf(index: IvfIndex, q: Float32Array, nq: number, k: number, nProbe = 4): Knn {
  const { d, nLists, centroids, listPtr, members, ref } = index;
  const probe = knnSquared(q, nq, centroids, nLists, d, Math.min(nProbe, nLists));
  const kk = Math.min(k, members.length);
  const indices = new Int32Array(nq * kk).fill(-1);
  const dist2 = new Float32Array(nq * kk).fill(Infinity);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  for (let i = 0; i < nq; i++) {
    bestD.fill(Infinity);
    bestI.fill(-1);
    const qo = i * d;
    for (let pi = 0; pi < probe.k; pi++) {
      const cell = probe.indices[i * probe.k + pi];
      for (let e = listPtr[cell]; e < listPtr[cell + 1]; e++) {
        const r = members[e];
        let dd = 0;
        for (let a = 0; a < d; a++) {
          const t = q[qo + a] - ref[r * d + a];
          dd += t * t;
        }
        if (dd >= bestD[kk - 1]) continue;
        insertBest(bestD, bestI, kk, dd, r);
      }
    }
    for (let a = 0; a < kk; a++) {
      indices[i * kk + a] = bestI[a];
      dist2[i * kk + a] = bestD[a];
    }
  }
  return { k: kk, indices, dist2 };
}

/** Approximate kNN of every row of x [n, d] among the others (self excluded), via an IVF index. */
export function approxKnnSelf(x: Float32Array, n: number, d: number, k: number, seed = 1, nProbe = 6): Knn {
  const index = buildIvf(x, n, d, seed);
  const raw = searchIvf(index, x, n, k + 1, nProbe);
  const kk = Math.min(k, n - 1);
  const indices = new Int32Array(n * kk);
  const dist2 = new Float32Array(n * kk);
  for (let i = 0; i < n; i++) {
    let w = 0;
    for (let a = 0; a < raw.k && w < kk; a++) {
      const j = raw.indices[i * raw.k + a];
      if (j === i || j < 0) continue;
      indices[i * kk + w] = j;
      dist2[i * kk + w] = raw.dist2[i * raw.k + a];
      w++;
    }
    // Too few candidates in the probed cells (tiny cells): repeat the farthest found so rows stay full.
    for (; w < kk; w++) {
      const j = w > 0 ? indices[i * kk + w - 1] : (i + 1) % n;
      let dd = 0;
      for (let a = 0; a < d; a++) dd += (x[i * d + a] - x[j * d + a]) ** 2;
      indices[i * kk + w] = j;
      dist2[i * kk + w] = dd;
    }
  }
  return { k: kk, indices, dist2 };
}

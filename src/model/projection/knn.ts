// Exact k-nearest neighbours by squared Euclidean distance, for t-SNE's input affinities and for
// placing points that a fitted map did not include. O(n * m * d): callers cap n and m.

export interface Knn {
  k: number;
  /** [n, k] neighbour indices into the reference set, nearest first. */
  indices: Int32Array;
  /** [n, k] squared Euclidean distances, ascending. */
  dist2: Float32Array;
}

/**
 * For each row of q [nq, d], the k nearest rows of ref [nr, d]. With `selfOffset` >= 0, q row i is
 * ref row i + selfOffset (q is a slice of ref) and never lists itself.
 */
export function knnSquared(
  q: Float32Array,
  nq: number,
  ref: Float32Array,
  nr: number,
  d: number,
  k: number,
  selfOffset = -1,
): Knn {
  const excludeSelf = selfOffset >= 0;
  const kk = Math.min(k, nr - (excludeSelf ? 1 : 0));
  if (kk < 1) throw new Error(`knnSquared: need at least ${excludeSelf ? 2 : 1} reference rows, got ${nr}`);
  const indices = new Int32Array(nq * kk);
  const dist2 = new Float32Array(nq * kk);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  const refNorm = new Float64Array(nr);
  for (let j = 0; j < nr; j++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += ref[j * d + c] ** 2;
    refNorm[j] = s;
  }
  for (let i = 0; i < nq; i++) {
    bestD.fill(Infinity);
    bestI.fill(-1);
    const qo = i * d;
    let qn = 0;
    for (let c = 0; c < d; c++) qn += q[qo + c] ** 2;
    let worst = Infinity;
    for (let j = 0; j < nr; j++) {
      if (j === i + selfOffset && excludeSelf) continue;
      const ro = j * d;
      let dot = 0;
      for (let c = 0; c < d; c++) dot += q[qo + c] * ref[ro + c];
      const dd = Math.max(0, qn + refNorm[j] - 2 * dot);
      if (dd >= worst) continue;
      insertBest(bestD, bestI, kk, dd, j);
      worst = bestD[kk - 1];
    }
    for (let a = 0; a < kk; a++) {
      indices[i * kk + a] = bestI[a];
      dist2[i * kk + a] = bestD[a];
    }
  }
  return { k: kk, indices, dist2 };
}

/** Inserts (dist, index) into the ascending list of the best kk, dropping the current worst. */
export function insertBest(bestD: Float64Array, bestI: Int32Array, kk: number, dist: number, index: number): void {
  let p = kk - 1;
  while (p > 0 && bestD[p - 1] > dist) {
    bestD[p] = bestD[p - 1];
    bestI[p] = bestI[p - 1];
    p--;
  }
  bestD[p] = dist;
  bestI[p] = index;
}

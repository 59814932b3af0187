// Retrieval and classification metrics of the paper's protocols, as pure functions on plain arrays.

/**
 * Recall@K: the fraction of queries with at least one correct candidate among their top K by similarity
 * (ties broken by candidate index). sim [nQuery, nCand] row-major. isCorrect(q, c) defines correctness,
 * e.g. "candidate text identical to the query's own text" (so duplicates of the true text count).
 */
export function recallAtK(sim: Float32Array, nQuery: number, nCand: number, isCorrect: (q: number, c: number) => boolean, ks: number[]): Record<number, number> {
  if (sim.length !== nQuery * nCand) throw new Error(`recallAtK: sim has ${sim.length} values, expected ${nQuery} x ${nCand}`);
  const hits: Record<number, number> = {};
  for (const k of ks) hits[k] = 0;
  if (nQuery === 0) return hits;
  for (let q = 0; q < nQuery; q++) {
    const row = sim.subarray(q * nCand, (q + 1) * nCand);
    // rank of the best-ranked correct candidate = number of candidates ranked strictly before it
    let best = Infinity;
    for (let c = 0; c < nCand; c++) {
      if (!isCorrect(q, c)) continue;
      let rank = 0;
      for (let o = 0; o < nCand; o++) if (row[o] > row[c] || (row[o] === row[c] && o < c)) rank++;
      best = Math.min(best, rank);
    }
    for (const k of ks) if (best < k) hits[k] += 1;
  }
  for (const k of ks) hits[k] /= nQuery;
  return hits;
}

/** Recall@K where a candidate is correct when its key equals the query's key (e.g. identical text). */
export function recallAtKByKey(sim: Float32Array, queryKeys: string[], candKeys: string[], ks: number[]): Record<number, number> {
  return recallAtK(sim, queryKeys.length, candKeys.length, (q, c) => candKeys[c] === queryKeys[q], ks);
}

/** counts[t][p]: items of true class t predicted as p. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  if (yTrue.length !== yPred.length) throw new Error('confusionMatrix: yTrue and yPred differ in length');
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (t < 0 || t >= nClasses || p < 0 || p >= nClasses) throw new Error(`confusionMatrix: class out of range at ${i}`);
    m[t][p] += 1;
  }
  return m;
}

/** Mean per-class recall over the classes present in yTrue (NaN when yTrue is empty). */
export function balancedAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number {
  const m = confusionMatrix(yTrue, yPred, nClasses);
  let sum = 0;
  let present = 0;
  for (let c = 0; c < nClasses; c++) {
    const total = m[c].reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    sum += m[c][c] / total;
    present++;
  }
  return present === 0 ? NaN : sum / present;
}

/** Cosine similarity matrix of row-major a [na, d] and b [nb, d] (rows need not be normalised). */
export function cosineMatrix(a: Float32Array, b: Float32Array, d: number): Float32Array {
  const na = a.length / d;
  const nb = b.length / d;
  const norm = (x: Float32Array, i: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] * x[i * d + k];
    return Math.sqrt(s) || 1;
  };
  const nA = Float64Array.from({ length: na }, (_, i) => norm(a, i));
  const nB = Float64Array.from({ length: nb }, (_, j) => norm(b, j));
  const out = new Float32Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
      out[i * nb + j] = s / (nA[i] * nB[j]);
    }
  }
  return out;
}

export function argmaxRows(scores: Float32Array, n: number, nCols: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < nCols; j++) if (scores[i * nCols + j] > scores[i * nCols + best]) best = j;
    out[i] = best;
  }
  return out;
}

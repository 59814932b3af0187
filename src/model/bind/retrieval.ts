// CXR -> ECG and ECG -> CXR retrieval over held-out pairs, the paper's protocol: each distinct CXR of the
// pairs queries the distinct ECGs of the pairs (and the reverse); a hit is an item it is paired with.
// Recall@K by metrics.recallAtK, with a seeded percentile bootstrap 95% CI over the queries.
import { cosineMatrix, recallAtK } from '../metrics';
import { bootstrapCi, type Interval } from '../stats';

export const RETRIEVAL_KS = [1, 5, 10] as const;

export interface DirectionResult {
  /** Queries (distinct items of the query modality). */
  n: number;
  /** Candidates (distinct items of the other modality). */
  candidates: number;
  recall: Record<string, Interval>;
}

export interface PairRetrieval {
  cxrToEcg: DirectionResult;
  ecgToCxr: DirectionResult;
}

/** Per-query hit (0/1) at each K: hits[k][q]. */
function hitsPerQuery(sim: Float32Array, nQ: number, nC: number, correct: (q: number, c: number) => boolean, ks: readonly number[]): Record<number, Float64Array> {
  const out: Record<number, Float64Array> = {};
  for (const k of ks) out[k] = new Float64Array(nQ);
  for (let q = 0; q < nQ; q++) {
    const r = recallAtK(sim.subarray(q * nC, (q + 1) * nC), 1, nC, (_, c) => correct(q, c), [...ks]);
    for (const k of ks) out[k][q] = r[k];
  }
  return out;
}

function direction(zq: Float32Array, zc: Float32Array, d: number, correct: (q: number, c: number) => boolean, opts: { iterations: number; seed: number }): DirectionResult {
  const nQ = zq.length / d;
  const nC = zc.length / d;
  const hits = hitsPerQuery(cosineMatrix(zq, zc, d), nQ, nC, correct, RETRIEVAL_KS);
  const recall: Record<string, Interval> = {};
  for (const k of RETRIEVAL_KS) {
    const h = hits[k];
    const mean = (idx: Int32Array) => {
      let s = 0;
      for (let i = 0; i < idx.length; i++) s += h[idx[i]];
      return idx.length ? s / idx.length : NaN;
    };
    recall[`R@${k}`] = opts.iterations > 0 ? bootstrapCi(nQ, mean, { iterations: opts.iterations, seed: opts.seed + k }) : { estimate: mean(Int32Array.from({ length: nQ }, (_, i) => i)), lo: NaN, hi: NaN };
  }
  return { n: nQ, candidates: nC, recall };
}

/**
 * zCxr [nCxr, d] and zEcg [nEcg, d]: embeddings of the distinct items; pairs[u] = [cxrRow, ecgRow].
 * iterations = 0 gives point estimates only (lo/hi NaN), for per-epoch monitoring.
 */
export function pairRetrieval(zCxr: Float32Array, zEcg: Float32Array, d: number, pairs: readonly (readonly [number, number])[], opts: { iterations?: number; seed?: number } = {}): PairRetrieval {
  const o = { iterations: opts.iterations ?? 1000, seed: opts.seed ?? 0 };
  const linked = new Set(pairs.map(([c, e]) => `${c}:${e}`));
  return {
    cxrToEcg: direction(zCxr, zEcg, d, (q, c) => linked.has(`${q}:${c}`), o),
    ecgToCxr: direction(zEcg, zCxr, d, (q, c) => linked.has(`${c}:${q}`), o),
  };
}

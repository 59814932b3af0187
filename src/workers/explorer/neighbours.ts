// Nearest neighbours of one point (or a query vector) in each modality, by cosine in the full embedding
// space (not on the 2-D/3-D map, which distorts distances).
import { dotScores, topKOfScores } from '../engine/topk';
import type { NeighbourLists, PointKind } from './methods';
import { POINT_KINDS } from './methods';

/** Scales each row of x [n, d] to unit length in place (zero rows stay zero), so dot = cosine. */
export function normaliseRows(x: Float32Array, n: number, d: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) x[i * d + j] *= inv;
  }
}

/**
 * The k most similar points of each kind to `query` [d] among unit rows of vectors [n, d].
 * `exclude` (e.g. the clicked point itself) is never listed.
 */
export function neighboursByKind(
  vectors: Float32Array,
  n: number,
  d: number,
  kind: Uint8Array,
  query: Float32Array,
  k: number,
  exclude = -1,
): NeighbourLists {
  let qn = 0;
  for (let j = 0; j < d; j++) qn += query[j] ** 2;
  const q = qn > 0 ? Float32Array.from(query, (v) => v / Math.sqrt(qn)) : query;
  const scores = dotScores(vectors, n, d, q);
  const masked = new Float32Array(n);
  const out = {} as NeighbourLists;
  POINT_KINDS.forEach((name: PointKind, code) => {
    for (let i = 0; i < n; i++) masked[i] = kind[i] === code && i !== exclude ? scores[i] : NaN;
    const top = topKOfScores(masked, k);
    out[name] = Array.from(top.indices, (index, r) => ({ index, similarity: top.scores[r] }));
  });
  return out;
}

/** Places a query on a map: similarity-weighted mean position of its `k` most similar points. */
export function placeBySimilarity(
  vectors: Float32Array,
  n: number,
  d: number,
  coords: Float32Array,
  dims: number,
  query: Float32Array,
  k = 5,
): number[] {
  const top = topKOfScores(dotScores(vectors, n, d, query), k);
  const pos = new Array(dims).fill(0);
  let wSum = 0;
  top.indices.forEach((idx, r) => {
    const w = Math.exp(10 * (top.scores[r] - top.scores[0])); // closest dominate, all contribute
    wSum += w;
    for (let a = 0; a < dims; a++) pos[a] += w * coords[idx * dims + a];
  });
  return wSum > 0 ? pos.map((v) => v / wSum) : pos;
}

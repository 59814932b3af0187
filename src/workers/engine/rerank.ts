// Exact top-k from an int8 scan plus a float32 re-rank: the quantised scores pick R candidates, their
// float32 scores (the same arithmetic as topk.ts, so results are bit-identical to the plain scan) give the
// top k, and the scan's error bound proves it: every row left out scores at most
// (R-th quantised score + bound), so once the k-th float32 score is above that, no other row can enter.
// Otherwise R grows (x4) until the proof holds or every row is a candidate. Recall against float32 is 1.
import type { Int8Rows } from './int8-rows';
import { dotRow, topKOfScores, worse, type TopK } from './topk';

/** Rounding of the float32 products and of the f32 conversions in the kernel stays far below this. */
const ROUNDING_SLACK = 1e-5;
export const DEFAULT_MIN_CANDIDATES = 100;

export interface RerankStats {
  /** Candidates re-ranked in float32 in the last round. */
  candidates: number;
  /** Scan-and-select rounds (1 when the first R sufficed). */
  rounds: number;
}

export function rerankedTopK(
  matrix: Float32Array,
  rows: Int8Rows,
  query: Float32Array,
  k: number,
  minCandidates = DEFAULT_MIN_CANDIDATES,
): TopK & RerankStats {
  const n = rows.rows;
  const d = rows.dim;
  const kk = Math.max(0, Math.min(k | 0, n));
  const scan = rows.scan(query);
  let r = Math.min(n, Math.max(minCandidates, 4 * kk, kk));
  for (let round = 1; ; round++) {
    const cand = topKOfScores(scan.scores, r, n);
    const m = cand.indices.length;
    const idx = Array.from(cand.indices);
    const exact = new Float32Array(m);
    for (let c = 0; c < m; c++) exact[c] = dotRow(matrix, idx[c] * d, d, query);
    const order = idx.map((_, c) => c).sort((a, b) => (worse(exact[a], idx[a], exact[b], idx[b]) ? 1 : -1));
    const keep = order.slice(0, kk).filter((c) => exact[c] === exact[c]); // NaN rows never rank
    const top = { indices: Int32Array.from(keep, (c) => idx[c]), scores: Float32Array.from(keep, (c) => exact[c]) };
    if (r >= n || m >= n || kk === 0) return { ...top, candidates: m, rounds: round };
    // Every row outside the candidates scores at most this in float32.
    const outsideMax = cand.scores[m - 1] * scan.queryScale + scan.errorBound + ROUNDING_SLACK;
    if (top.scores.length === kk && top.scores[kk - 1] > outsideMax) return { ...top, candidates: m, rounds: round };
    r = Math.min(n, r * 4);
  }
}

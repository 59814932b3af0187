// Brute-force cosine top-K over an in-memory embedding matrix. Rows are L2-normalised, so cosine = dot.
// Scores for all rows, then a size-k min-heap keeps the best (O(n log k)), which beats sorting n scores
// and answers 100k x 256 in tens of milliseconds on one core.

export interface TopK {
  /** Row indices, best first. Ties go to the lower row index. */
  indices: Int32Array;
  scores: Float32Array;
}

/** <matrix[base .. base+d), query>: four partial sums, the float64 result (round to float32 for a stored score). */
export function dotRow(matrix: Float32Array, base: number, d: number, query: Float32Array): number {
  const d4 = d - (d % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j < d4; j += 4) {
    s0 += matrix[base + j] * query[j];
    s1 += matrix[base + j + 1] * query[j + 1];
    s2 += matrix[base + j + 2] * query[j + 2];
    s3 += matrix[base + j + 3] * query[j + 3];
  }
  for (; j < d; j++) s0 += matrix[base + j] * query[j];
  return s0 + s1 + s2 + s3;
}

/** scores[i] = <matrix[i, :], query> for a row-major [n, d] matrix. */
export function dotScores(matrix: Float32Array, n: number, d: number, query: Float32Array, out: Float32Array<ArrayBufferLike> = new Float32Array(n)): Float32Array<ArrayBufferLike> {
  if (query.length !== d) throw new Error(`topk: query has ${query.length} dims, the matrix has ${d}`);
  if (matrix.length < n * d) throw new Error(`topk: matrix holds ${matrix.length} values, needs n*d = ${n * d}`);
  for (let i = 0, base = 0; i < n; i++, base += d) out[i] = dotRow(matrix, base, d, query);
  return out;
}

/** "a is worse than b": lower score, or equal score and higher index. */
export const worse = (sa: number, ia: number, sb: number, ib: number) => sa < sb || (sa === sb && ia > ib);

/** The k best entries of scores[0..n) (partial selection with a min-heap), best first. NaN scores are skipped. */
export function topKOfScores(scores: Float32Array, k: number, n = scores.length): TopK {
  const kk = Math.max(0, Math.min(k | 0, n));
  const hs = new Float64Array(kk); // heap scores; root = worst kept
  const hi = new Int32Array(kk);
  let size = 0;
  // The root's score once the heap is full (-Infinity before): the one comparison most scores take.
  let bar = kk === 0 ? Infinity : -Infinity;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    // Full heap: a score not above the root loses (equal scores lose too: i is above every kept index).
    // Also skips NaN, which compares false.
    if (!(s > bar) && (size === kk || s !== s)) continue;
    if (s !== s) continue; // NaN
    if (size < kk) {
      // sift up
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(s, i, hs[p], hi[p])) break;
        hs[c] = hs[p];
        hi[c] = hi[p];
        c = p;
      }
      hs[c] = s;
      hi[c] = i;
    } else if (kk > 0 && worse(hs[0], hi[0], s, i)) {
      // replace root, sift down
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && worse(hs[r], hi[r], hs[l], hi[l]) ? r : l;
        if (!worse(hs[m], hi[m], s, i)) break;
        hs[c] = hs[m];
        hi[c] = hi[m];
        c = m;
      }
      hs[c] = s;
      hi[c] = i;
    }
    if (size === kk) bar = hs[0];
  }
  // Pop worst-first into the tail of the output: best first.
  const indices = new Int32Array(size);
  const out = new Float32Array(size);
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) => (worse(hs[a], hi[a], hs[b], hi[b]) ? 1 : -1));
  order.forEach((j, r) => {
    indices[r] = hi[j];
    out[r] = hs[j];
  });
  return { indices, scores: out };
}

/** Top-k rows of a row-major [n, d] matrix by dot product with `query`. `scratch` (length >= n) avoids a per-query allocation. */
export function searchTopK(matrix: Float32Array, n: number, d: number, query: Float32Array, k: number, scratch?: Float32Array<ArrayBufferLike>): TopK {
  const scores = dotScores(matrix, n, d, query, scratch && scratch.length >= n ? scratch : new Float32Array(n));
  return topKOfScores(scores, k, n);
}

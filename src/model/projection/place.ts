// Places points a sampled UMAP/t-SNE fit left out (and text queries) on its map: the inverse-distance
// weighted mean of their k nearest fitted points' positions, found in the fit's input space.
import { buildIvf, searchIvf, type IvfIndex } from './ivf';
import { knnSquared, type Knn } from './knn';

/** Above this many fitted points the neighbour search uses an IVF index instead of a full scan. */
const EXACT_MAX_REF = 3000;

export interface Placer {
  /** Positions [nq, dims] for q [nq, d]. */
  place(q: Float32Array, nq: number): Float32Array;
}

/** fitX [m, d]: the fitted points' inputs; fitY [m, dims]: their map positions. */
export function makePlacer(fitX: Float32Array, fitY: Float32Array, m: number, d: number, dims: number, k = 5): Placer {
  const index: IvfIndex | null = m > EXACT_MAX_REF ? buildIvf(fitX, m, d) : null;
  return {
    place(q, nq) {
      const knn: Knn = index ? searchIvf(index, q, nq, k) : knnSquared(q, nq, fitX, m, d, k);
      const out = new Float32Array(nq * dims);
      for (let i = 0; i < nq; i++) {
        let wSum = 0;
        for (let a = 0; a < knn.k; a++) {
          const j = knn.indices[i * knn.k + a];
          if (j < 0) continue;
          const w = 1 / (Math.sqrt(knn.dist2[i * knn.k + a]) + 1e-6);
          wSum += w;
          for (let c = 0; c < dims; c++) out[i * dims + c] += w * fitY[j * dims + c];
        }
        if (wSum > 0) for (let c = 0; c < dims; c++) out[i * dims + c] /= wSum;
      }
      return out;
    },
  };
}

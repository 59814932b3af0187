// UMAP through umap-js, seeded and stepped epoch by epoch so the explorer's worker can report progress
// and stop on cancel. Input rows are plain arrays for umap-js; callers cap n (see projection runner).
import { UMAP } from 'umap-js';
import { makeRng } from '../rng';

export interface UmapOptions {
  dims: 2 | 3;
  nNeighbors?: number; // default 15
  minDist?: number; // default 0.1
  nEpochs?: number; // default 500 up to 5k points, else 200 (a large graph needs fewer passes)
  seed?: number;
}

export interface UmapRun {
  nEpochs: number;
  /** Runs one epoch; returns the epoch count done so far. */
  step(): number;
  /** Current layout [n, dims]. */
  embedding(): Float32Array;
}

/** Builds the fuzzy graph of x [n, d] (the slow nearest-neighbour part) and returns an epoch stepper. */
export function prepareUmap(x: Float32Array, n: number, d: number, opts: UmapOptions): UmapRun {
  if (n < 3) throw new Error(`UMAP needs at least 3 points, got ${n}`);
  const umap = new UMAP({
    nComponents: opts.dims,
    nNeighbors: Math.max(2, Math.min(opts.nNeighbors ?? 15, n - 1)),
    minDist: opts.minDist ?? 0.1,
    nEpochs: opts.nEpochs ?? (n > 5000 ? 200 : 500),
    random: makeRng(opts.seed ?? 1),
  });
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(x.subarray(i * d, i * d + d));
  const nEpochs = umap.initializeFit(rows);
  let epoch = 0;
  return {
    nEpochs,
    step() {
      if (epoch < nEpochs) epoch = umap.step();
      return epoch;
    },
    embedding() {
      const e = umap.getEmbedding();
      const out = new Float32Array(n * opts.dims);
      for (let i = 0; i < n; i++) for (let a = 0; a < opts.dims; a++) out[i * opts.dims + a] = e[i][a];
      return out;
    },
  };
}

// One entry for the explorer's maps: PCA directly on the vectors; UMAP and t-SNE on a seeded sample
// (capped like the Embedding Projector) of the vectors reduced to 50 PCA dimensions, with the rest placed
// next to their nearest fitted neighbours. Long loops yield to the event loop so progress is posted and
// cancel is seen.
import { fitPca, projectPca, sampleRows } from './pca';
import { makePlacer } from './place';
import { prepareTsne } from './tsne';
import { prepareUmap } from './umap';

export type ProjectionMethod = 'pca' | 'umap' | 'tsne';

export interface ProjectionRequest {
  method: ProjectionMethod;
  dims: 2 | 3;
  seed?: number;
  /** Most points UMAP/t-SNE fit directly (default 10k each, as the Embedding Projector samples t-SNE); others are placed. */
  maxFit?: number;
  /** t-SNE iterations (default 1000). */
  tsneIter?: number;
  perplexity?: number;
  nNeighbors?: number;
  minDist?: number;
}

export interface ProjectionOutput {
  /** [n, dims] */
  coords: Float32Array;
  /** How many points the method fitted (the rest were placed). */
  nFit: number;
  /** PCA only: fraction of variance each axis explains. */
  explained?: number[];
}

export interface ProjectionProgress {
  done: number;
  total: number;
  phase: string;
}

export class ProjectionCancelled extends Error {
  constructor() {
    super('projection cancelled');
    this.name = 'ProjectionCancelled';
    Object.assign(this, { code: 'cancelled' });
  }
}

export const UMAP_MAX_FIT = 10_000;
export const TSNE_MAX_FIT = 10_000;
/** Input dimension UMAP/t-SNE work in (after PCA), as t-SNE practice recommends. */
export const PRE_PCA_DIMS = 50;
const SLICE_MS = 40;

const yieldNow = () => new Promise<void>((r) => setTimeout(r, 0));

export async function runProjection(
  x: Float32Array,
  n: number,
  d: number,
  req: ProjectionRequest,
  onProgress: (p: ProjectionProgress) => void = () => undefined,
  signal?: AbortSignal,
): Promise<ProjectionOutput> {
  if (x.length !== n * d) throw new Error(`runProjection: x has ${x.length} values, expected n*d = ${n * d}`);
  const seed = req.seed ?? 1;
  const check = async () => {
    await yieldNow();
    if (signal?.aborted) throw new ProjectionCancelled();
  };
  if (req.method === 'pca' || n < 4) {
    onProgress({ done: 0, total: 1, phase: 'pca' });
    const k = Math.min(req.dims, d);
    const model = fitPca(x, n, d, k, { seed });
    const p = projectPca(model, x, n);
    const coords = padDims(p, n, k, req.dims);
    onProgress({ done: 1, total: 1, phase: 'pca' });
    return { coords, nFit: n, explained: Array.from(model.variance, (v) => v / (model.totalVariance || 1)) };
  }
  // Reduce to PRE_PCA_DIMS first: fewer flops for the neighbour searches, little structure lost.
  onProgress({ done: 0, total: 1, phase: 'reducing' });
  const dr = Math.min(PRE_PCA_DIMS, d);
  // 30 subspace iterations: plenty for a working basis (exact axes do not matter here).
  const reduced = dr < d ? projectPca(fitPca(x, n, d, dr, { seed, maxIter: 30 }), x, n) : x;
  await check();
  const cap = req.maxFit ?? (req.method === 'umap' ? UMAP_MAX_FIT : TSNE_MAX_FIT);
  const fitRows = sampleRows(n, cap, seed);
  const m = fitRows.length;
  const fitX = m === n ? reduced : gatherRows(reduced, dr, fitRows);
  onProgress({ done: 0, total: 1, phase: 'neighbours' });
  let fitY: Float32Array;
  if (req.method === 'umap') {
    const run = prepareUmap(fitX, m, dr, { dims: req.dims, seed, nNeighbors: req.nNeighbors, minDist: req.minDist });
    await check();
    let epoch = 0;
    while (epoch < run.nEpochs) {
      const t0 = Date.now();
      while (epoch < run.nEpochs && Date.now() - t0 < SLICE_MS) epoch = run.step();
      onProgress({ done: epoch, total: run.nEpochs, phase: 'umap epochs' });
      await check();
    }
    fitY = run.embedding();
  } else {
    const tsne = prepareTsne(fitX, m, dr, { dims: req.dims, seed, nIter: req.tsneIter, perplexity: req.perplexity });
    await check();
    while (!tsne.done) {
      const t0 = Date.now();
      while (!tsne.done && Date.now() - t0 < SLICE_MS) tsne.step();
      onProgress({ done: tsne.iter, total: tsne.nIter, phase: 't-SNE iterations' });
      await check();
    }
    fitY = tsne.y;
  }
  if (m === n) return { coords: fitY, nFit: m };
  onProgress({ done: 0, total: 1, phase: 'placing the rest' });
  const coords = new Float32Array(n * req.dims);
  const isFit = new Uint8Array(n);
  fitRows.forEach((r, i) => {
    isFit[r] = 1;
    coords.set(fitY.subarray(i * req.dims, (i + 1) * req.dims), r * req.dims);
  });
  const restRows: number[] = [];
  for (let r = 0; r < n; r++) if (!isFit[r]) restRows.push(r);
  const placer = makePlacer(fitX, fitY, m, dr, req.dims);
  const chunk = 2000;
  for (let s = 0; s < restRows.length; s += chunk) {
    const part = Uint32Array.from(restRows.slice(s, s + chunk));
    const placed = placer.place(gatherRows(reduced, dr, part), part.length);
    part.forEach((r, i) => coords.set(placed.subarray(i * req.dims, (i + 1) * req.dims), r * req.dims));
    onProgress({ done: Math.min(s + chunk, restRows.length), total: restRows.length, phase: 'placing the rest' });
    await check();
  }
  return { coords, nFit: m };
}

function gatherRows(x: Float32Array, d: number, rows: Uint32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(x.subarray(r * d, r * d + d), i * d));
  return out;
}

/** Widens [n, k] to [n, dims] with zero columns (a 3-D PCA of 2-d data). */
function padDims(p: Float32Array, n: number, k: number, dims: number): Float32Array {
  if (k === dims) return p;
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) out[i * dims + a] = p[i * k + a];
  return out;
}

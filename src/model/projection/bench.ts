// Timing of the explorer's projections on synthetic clustered unit vectors, for `npm run bench`
// (10k and 100k points x 256 dims). Node or browser; pure TS.
import { makeNormal, makeRng } from '../rng';
import { runProjection, type ProjectionMethod } from './project';

/** n unit vectors [n, d] around nClusters random centres (seeded). */
export function syntheticEmbeddings(n: number, d = 256, nClusters = 12, seed = 1): Float32Array {
  const normal = makeNormal(makeRng(seed));
  const centres = Array.from({ length: nClusters }, () => Float32Array.from({ length: d }, () => normal()));
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % nClusters];
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = c[j] + 0.6 * normal();
      x[i * d + j] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) x[i * d + j] *= inv;
  }
  return x;
}

export interface ProjectionTiming {
  method: ProjectionMethod;
  n: number;
  d: number;
  dims: 2 | 3;
  nFit: number;
  ms: number;
}

export async function timeProjection(method: ProjectionMethod, n: number, dims: 2 | 3 = 2, d = 256): Promise<ProjectionTiming> {
  const x = syntheticEmbeddings(n, d);
  const t0 = performance.now();
  const out = await runProjection(x, n, d, { method, dims, seed: 1 });
  return { method, n, d, dims, nFit: out.nFit, ms: performance.now() - t0 };
}

// A small deterministic MedbindEncoders for engine tests: fixed random projections of the inputs (and of
// hashed word counts for text), L2-normalised. Identical inputs give identical vectors, so self-retrieval
// has cosine 1; different versions give different spaces.
import type { EmbedBatchOut, MedbindEncoders } from '../../model/types';
import { makeRng } from '../../model/rng';

/** Uniform in [-1, 1), from the model's seeded generator. */
function rng(seed: number): () => number {
  const u = makeRng(seed || 1);
  return () => u() * 2 - 1;
}

function project(x: Float32Array, n: number, inDim: number, w: Float32Array, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      // Sparse stride keeps this cheap for 12,000- and 50,176-long inputs.
      for (let t = j % 7; t < inDim; t += 7) s += x[i * inDim + t] * w[(t * 31 + j) % w.length];
      out[i * d + j] = s;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += out[i * d + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) out[i * d + j] /= norm;
  }
  return out;
}

export interface ProjectionEncoders extends MedbindEncoders {
  calls: { ecg: number; cxr: number; text: number };
}

export function projectionEncoders(version = 'test-v1', embedDim = 16, seed = 1): ProjectionEncoders {
  const r = rng(seed);
  const w = Float32Array.from({ length: 4099 }, r);
  const calls = { ecg: 0, cxr: 0, text: 0 };
  const out = (vectors: Float32Array, n: number): EmbedBatchOut => ({ vectors, n, embedDim });
  return {
    version,
    embedDim,
    calls,
    async embedEcg(signals, n) {
      calls.ecg += n;
      return out(project(signals, n, signals.length / n, w, embedDim), n);
    },
    async embedCxr(pixels, n) {
      calls.cxr += n;
      return out(project(pixels, n, pixels.length / n, w, embedDim), n);
    },
    async embedText(texts) {
      calls.text += texts.length;
      const buckets = 64;
      const x = new Float32Array(texts.length * buckets);
      texts.forEach((t, i) => {
        for (const word of t.toLowerCase().split(/\W+/).filter(Boolean).slice(0, 100)) {
          let h = 7;
          for (const c of word) h = (h * 31 + c.charCodeAt(0)) >>> 0;
          x[i * buckets + (h % buckets)] += 1;
        }
      });
      return out(project(x, texts.length, buckets, w, embedDim), texts.length);
    },
    dispose() {},
  };
}

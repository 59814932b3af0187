// Training-time augmentation on preprocessed inputs, seeded: ECG Gaussian noise (as in the paper) and light
// CXR augmentation (small integer shifts with zero fill, contrast/brightness jitter). Plain TS so that
// it is identical on every backend.
import { makeNormal } from './rng';

/** signals [n, leads*nSamples] -> new array with N(0, stdMv^2) noise added. */
export function augmentEcg(signals: Float32Array, stdMv: number, rng: () => number): Float32Array {
  const out = Float32Array.from(signals);
  if (stdMv <= 0) return out;
  const normal = makeNormal(rng);
  for (let i = 0; i < out.length; i++) out[i] += stdMv * normal();
  return out;
}

/** pixels [n, side*side] -> new array, each image shifted by up to maxShiftPx and scaled/offset by up to jitter. */
export function augmentCxr(pixels: Float32Array, n: number, side: number, maxShiftPx: number, jitter: number, rng: () => number): Float32Array {
  const out = new Float32Array(pixels.length);
  const area = side * side;
  for (let i = 0; i < n; i++) {
    const dy = Math.round((rng() * 2 - 1) * maxShiftPx);
    const dx = Math.round((rng() * 2 - 1) * maxShiftPx);
    const scale = 1 + (rng() * 2 - 1) * jitter;
    const offset = (rng() * 2 - 1) * jitter;
    const base = i * area;
    for (let y = 0; y < side; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= side) continue;
      for (let x = 0; x < side; x++) {
        const sx = x - dx;
        if (sx < 0 || sx >= side) continue;
        out[base + y * side + x] = pixels[base + sy * side + sx] * scale + offset;
      }
    }
  }
  return out;
}

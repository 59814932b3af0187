// Training-time augmentation on preprocessed inputs, seeded, in plain TS so that it is identical on every
// backend. Every transform keeps the label: ECG amplitude scaling (a common factor for all leads, so voltage
// ratios stay), slow baseline wander, one zeroed lead, a kept window of 2.5-5 s (zero elsewhere, positions
// kept) and Gaussian noise (as in the paper); CXR small rotation/zoom/shift (bilinear, zero fill) and
// contrast/brightness jitter, never a flip (laterality is anatomy).
import { makeNormal } from './rng';

/** signals [n, leads*nSamples] -> new array with N(0, stdMv^2) noise added. */
export function augmentEcg(signals: Float32Array, stdMv: number, rng: () => number): Float32Array {
  const out = Float32Array.from(signals);
  if (stdMv <= 0) return out;
  const normal = makeNormal(rng);
  for (let i = 0; i < out.length; i++) out[i] += stdMv * normal();
  return out;
}

export interface EcgAugmentOptions {
  leads: number;
  nSamples: number;
  fsHz: number;
  noiseStdMv: number;
  /** Factor drawn in [1 - scaleJitter, 1 + scaleJitter] per record. */
  scaleJitter: number;
  /** Peak amplitude (mV) of a 0.05-0.5 Hz sinusoid with random phase, per lead. */
  wanderMv: number;
  /** Probability of zeroing one random lead of a record. */
  leadDropout: number;
  /** Probability of keeping only a random window (zero elsewhere). */
  cropProb: number;
  /** [min, max] window length in seconds. */
  cropSeconds: [number, number];
}

/** signals [n, leads*nSamples] lead-major -> a new augmented array of the same shape. */
export function augmentEcgRecords(signals: Float32Array, n: number, o: EcgAugmentOptions, rng: () => number): Float32Array {
  const len = o.leads * o.nSamples;
  if (signals.length !== n * len) throw new Error(`augmentEcgRecords: expected ${n} x ${len} values, got ${signals.length}`);
  const out = new Float32Array(signals.length);
  const normal = makeNormal(rng);
  for (let r = 0; r < n; r++) {
    const base = r * len;
    const scale = 1 + (rng() * 2 - 1) * o.scaleJitter;
    const dropLead = rng() < o.leadDropout ? Math.floor(rng() * o.leads) : -1;
    let keep0 = 0;
    let keep1 = o.nSamples;
    if (rng() < o.cropProb) {
      const [lo, hi] = o.cropSeconds;
      const w = Math.min(o.nSamples, Math.round((lo + rng() * (hi - lo)) * o.fsHz));
      keep0 = Math.floor(rng() * (o.nSamples - w + 1));
      keep1 = keep0 + w;
    }
    for (let l = 0; l < o.leads; l++) {
      const off = base + l * o.nSamples;
      const fHz = 0.05 + rng() * 0.45;
      const phase = rng() * 2 * Math.PI;
      const amp = o.wanderMv * rng();
      if (l === dropLead) continue; // stays zero
      for (let t = keep0; t < keep1; t++) {
        const wander = amp * Math.sin(phase + (2 * Math.PI * fHz * t) / o.fsHz);
        out[off + t] = signals[off + t] * scale + wander + (o.noiseStdMv > 0 ? o.noiseStdMv * normal() : 0);
      }
    }
  }
  return out;
}

/** pixels [n, side*side] -> new array, each image shifted by up to maxShiftPx and scaled/offset by up to jitter. */
export function augmentCxr(pixels: Float32Array, n: number, side: number, maxShiftPx: number, jitter: number, rng: () => number): Float32Array {
  return augmentCxrAffine(pixels, n, side, { maxShiftPx, jitter, maxRotateDeg: 0, maxZoom: 0 }, rng);
}

export interface CxrAugmentOptions {
  maxShiftPx: number;
  /** Contrast factor in [1 - jitter, 1 + jitter] and offset in [-jitter, jitter]. */
  jitter: number;
  maxRotateDeg: number;
  /** Zoom factor in [1 - maxZoom, 1 + maxZoom]. */
  maxZoom: number;
}

/**
 * pixels [n, side*side] -> new array: per image a small rotation about the centre, zoom and shift
 * (inverse-mapped, bilinear, zero outside), then contrast/brightness. No flips. With a zero rotation and
 * zoom the shift is by whole pixels, as before.
 */
export function augmentCxrAffine(pixels: Float32Array, n: number, side: number, o: CxrAugmentOptions, rng: () => number): Float32Array {
  const out = new Float32Array(pixels.length);
  const area = side * side;
  const c0 = (side - 1) / 2;
  for (let i = 0; i < n; i++) {
    const dy = Math.round((rng() * 2 - 1) * o.maxShiftPx);
    const dx = Math.round((rng() * 2 - 1) * o.maxShiftPx);
    const scale = 1 + (rng() * 2 - 1) * o.jitter;
    const offset = (rng() * 2 - 1) * o.jitter;
    const base = i * area;
    if (o.maxRotateDeg <= 0 && o.maxZoom <= 0) {
      for (let y = 0; y < side; y++) {
        const sy = y - dy;
        if (sy < 0 || sy >= side) continue;
        for (let x = 0; x < side; x++) {
          const sx = x - dx;
          if (sx < 0 || sx >= side) continue;
          out[base + y * side + x] = pixels[base + sy * side + sx] * scale + offset;
        }
      }
      continue;
    }
    const angle = (((rng() * 2 - 1) * o.maxRotateDeg) * Math.PI) / 180;
    const zoom = 1 + (rng() * 2 - 1) * o.maxZoom;
    const cos = Math.cos(angle) / zoom;
    const sin = Math.sin(angle) / zoom;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        // Output (x, y) samples the source at the inverse transform of (x - dx, y - dy).
        const u = x - dx - c0;
        const v = y - dy - c0;
        const sx = cos * u + sin * v + c0;
        const sy = -sin * u + cos * v + c0;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        if (x0 < 0 || y0 < 0 || x0 + 1 >= side || y0 + 1 >= side) continue;
        const fx = sx - x0;
        const fy = sy - y0;
        const p = base + y0 * side + x0;
        const val = (pixels[p] * (1 - fx) + pixels[p + 1] * fx) * (1 - fy) + (pixels[p + side] * (1 - fx) + pixels[p + side + 1] * fx) * fy;
        out[base + y * side + x] = val * scale + offset;
      }
    }
  }
  return out;
}

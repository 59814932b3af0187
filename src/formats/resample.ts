// Band-limited ECG resampling; it lives below the model because the WFDB reader aligns multi-rate channels
// with it as well as the model's preprocessing. The kernel is one Kaiser-windowed sinc low-pass (cutoff 0.4 x the target
// rate when downsampling, 0.45 x the source rate when upsampling; half-width 30 periods of the lower rate;
// Kaiser beta 8: about 80 dB stop band, 8.5 Hz transition at 500 -> 100 Hz), with the weights of each
// output sample normalised to unit DC gain (also at the record's edges, where the kernel is cut).
// For a rational rate change fsOut / fsIn = L / M the kernel is sampled at only L distinct offsets, so its
// taps are computed once per (L, M) and cached (polyphase FIR): 500 -> 100 Hz is a decimation by 5 with one
// 301-tap phase, 257 -> 100 Hz has 100 phases. Rates whose ratio is not a small fraction use the direct form,
// which evaluates the same kernel per output sample (it is also the reference the polyphase form is tested against).

/** Low-pass cutoff as a fraction of the target rate when downsampling (0.5 = Nyquist). */
export const CUTOFF_FRACTION_DOWN = 0.4;
export const CUTOFF_FRACTION_UP = 0.45;
/** Kernel half-width in periods of the lower of the two rates. */
export const KERNEL_HALF_PERIODS = 30;
export const KAISER_BETA = 8;
/** Above this many phases (L) the tap table would be large; the direct form is used instead. */
const MAX_PHASES = 4096;

export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

const KAISER_TABLE_SIZE = 4096;
let kaiserTable: Float64Array | null = null;
/** Kaiser window at u = |tau| / halfWidth in [0, 1) (tabulated, linear interpolation); 0 outside. */
export function kaiser(u: number): number {
  if (!kaiserTable) {
    kaiserTable = new Float64Array(KAISER_TABLE_SIZE + 1);
    const norm = besselI0(KAISER_BETA);
    for (let i = 0; i <= KAISER_TABLE_SIZE; i++) {
      const r = i / KAISER_TABLE_SIZE;
      kaiserTable[i] = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
    }
  }
  if (u >= 1) return 0;
  const p = u * KAISER_TABLE_SIZE;
  const i = Math.floor(p);
  return kaiserTable[i] + (kaiserTable[i + 1] - kaiserTable[i]) * (p - i);
}

const sinc = (x: number) => (Math.abs(x) < 1e-9 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/** Cutoff (Hz) and kernel half-width (s) of the resampling low-pass between two rates. */
export function kernelSpec(fsInHz: number, fsOutHz: number): { fcHz: number; halfS: number } {
  const down = fsOutHz < fsInHz;
  return {
    fcHz: down ? CUTOFF_FRACTION_DOWN * fsOutHz : CUTOFF_FRACTION_UP * fsInHz,
    halfS: KERNEL_HALF_PERIODS / Math.min(fsInHz, fsOutHz),
  };
}

function copyResized(signals: Float32Array[], nOut: number): Float32Array[] {
  return signals.map((s) => {
    const o = new Float32Array(nOut);
    o.set(s.subarray(0, Math.min(nOut, s.length)));
    return o;
  });
}

/**
 * Direct form: y(t) = sum_k x[k] h(t - k/fsIn) / sum_k h(t - k/fsIn), the kernel evaluated per output sample.
 * `window` defaults to the tabulated Kaiser window; tests pass an exact one for a Float64 oracle.
 */
export function resampleDirect(signals: Float32Array[], fsInHz: number, fsOutHz: number, nOut: number, window: (u: number) => number = kaiser): Float32Array[] {
  const nIn = signals.length ? signals[0].length : 0;
  if (fsInHz === fsOutHz) return copyResized(signals, nOut);
  const { fcHz, halfS } = kernelSpec(fsInHz, fsOutHz);
  const outs = signals.map(() => new Float32Array(nOut));
  const w = new Float64Array(Math.ceil(2 * halfS * fsInHz) + 2);
  for (let n = 0; n < nOut; n++) {
    const tS = n / fsOutHz;
    const k0 = Math.max(0, Math.ceil((tS - halfS) * fsInHz));
    const k1 = Math.min(nIn - 1, Math.floor((tS + halfS) * fsInHz));
    let wSum = 0;
    let m = 0;
    for (let k = k0; k <= k1; k++, m++) {
      const tau = tS - k / fsInHz;
      const wk = sinc(2 * fcHz * tau) * window(Math.abs(tau) / halfS);
      w[m] = wk;
      wSum += wk;
    }
    if (m === 0 || Math.abs(wSum) < 1e-12) continue;
    for (let s = 0; s < signals.length; s++) {
      const x = signals[s];
      let acc = 0;
      for (let j = 0; j < m; j++) acc += w[j] * x[k0 + j];
      outs[s][n] = acc / wSum;
    }
  }
  return outs;
}

/** fsOut / fsIn as L / M in lowest terms, or null when no fraction with L <= MAX_PHASES matches it exactly. */
export function rationalRatio(fsInHz: number, fsOutHz: number): { L: number; M: number } | null {
  // Rates are usually integers; allow up to 3 decimals (e.g. 128.5 Hz).
  for (const scale of [1, 10, 100, 1000]) {
    const a = fsOutHz * scale;
    const b = fsInHz * scale;
    if (Math.abs(a - Math.round(a)) > 1e-9 * Math.max(1, a) || Math.abs(b - Math.round(b)) > 1e-9 * Math.max(1, b)) continue;
    let L = Math.round(a);
    let M = Math.round(b);
    const g = gcd(L, M);
    L /= g;
    M /= g;
    return L >= 1 && M >= 1 && L <= MAX_PHASES ? { L, M } : null;
  }
  return null;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Output n sits at input position n*M/L = base + r/L (r = n*M mod L). Phase r's taps cover input offsets
 * d in [dLo[r], dLo[r] + taps[r].length) from base, normalised to unit sum.
 */
export interface PolyphaseFilter {
  L: number;
  M: number;
  taps: Float64Array[];
  dLo: Int32Array;
}

const filterCache = new Map<string, PolyphaseFilter>();

/** The (cached) polyphase tap table for fsOut / fsIn = L / M. */
export function polyphaseFilter(L: number, M: number): PolyphaseFilter {
  const key = `${L}/${M}`;
  const hit = filterCache.get(key);
  if (hit) return hit;
  // In units of input samples: the kernel depends only on the ratio. fsIn = M, fsOut = L.
  const { fcHz, halfS } = kernelSpec(M, L);
  const fcPerSample = fcHz / M; // cycles per input sample
  const halfIn = halfS * M; // half-width in input samples (= 30 * max(1, M / L))
  const taps: Float64Array[] = [];
  const dLo = new Int32Array(L);
  for (let r = 0; r < L; r++) {
    const frac = r / L;
    // Exact integer bounds: |frac - d| < halfIn, i.e. (r - d*L) in (-30*max(L, M), 30*max(L, M)).
    const span = KERNEL_HALF_PERIODS * Math.max(L, M);
    const lo = Math.floor((r - span) / L) + 1;
    const hi = Math.ceil((r + span) / L) - 1;
    const t = new Float64Array(hi - lo + 1);
    let sum = 0;
    for (let d = lo; d <= hi; d++) {
      const tau = frac - d; // input samples
      const w = sinc(2 * fcPerSample * tau) * kaiser(Math.abs(tau) / halfIn);
      t[d - lo] = w;
      sum += w;
    }
    if (Math.abs(sum) >= 1e-12) for (let j = 0; j < t.length; j++) t[j] /= sum;
    // Phase 0 is centred on an input sample: make its symmetry exact so the kernel can be folded.
    if (r === 0) for (let j = 0; j < t.length >> 1; j++) t[t.length - 1 - j] = t[j];
    taps.push(t);
    dLo[r] = lo;
  }
  const f = { L, M, taps, dLo };
  filterCache.set(key, f);
  return f;
}

/** Polyphase form of resampleDirect for fsOut / fsIn = L / M (same kernel, same edge normalisation). */
export function resamplePolyphase(signals: Float32Array[], f: PolyphaseFilter, nOut: number): Float32Array[] {
  const nIn = signals.length ? signals[0].length : 0;
  const outs = signals.map(() => new Float32Array(nOut));
  const { L, M, taps, dLo } = f;
  for (let n = 0; n < nOut; n++) {
    const pos = n * M;
    const base = Math.floor(pos / L);
    const r = pos - base * L;
    const t = taps[r];
    const k0 = base + dLo[r];
    const nt = t.length;
    if (k0 >= 0 && k0 + nt <= nIn) {
      if (r === 0) {
        foldedDots(signals, outs, n, t, k0);
        continue;
      }
      for (let s = 0; s < signals.length; s++) {
        const x = signals[s];
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        let j = 0;
        for (; j + 3 < nt; j += 4) {
          a0 += t[j] * x[k0 + j];
          a1 += t[j + 1] * x[k0 + j + 1];
          a2 += t[j + 2] * x[k0 + j + 2];
          a3 += t[j + 3] * x[k0 + j + 3];
        }
        for (; j < nt; j++) a0 += t[j] * x[k0 + j];
        outs[s][n] = a0 + a1 + a2 + a3;
      }
      continue;
    }
    // Edge: the kernel is cut by the record's ends; renormalise over the taps that remain.
    const j0 = Math.max(0, -k0);
    const j1 = Math.min(nt, nIn - k0);
    let wSum = 0;
    for (let j = j0; j < j1; j++) wSum += t[j];
    if (j1 <= j0 || Math.abs(wSum) < 1e-12) continue;
    for (let s = 0; s < signals.length; s++) {
      const x = signals[s];
      let acc = 0;
      for (let j = j0; j < j1; j++) acc += t[j] * x[k0 + j];
      outs[s][n] = acc / wSum;
    }
  }
  return outs;
}

/** Interior outputs of phase 0 (taps symmetric about the centre, odd length): half the multiplications. */
function foldedDots(signals: Float32Array[], outs: Float32Array[], n: number, t: Float64Array, k0: number): void {
  const h = t.length >> 1;
  for (let s = 0; s < signals.length; s++) {
    const x = signals[s];
    const c = k0 + h;
    let a0 = t[h] * x[c];
    let a1 = 0;
    let j = 1;
    for (; j + 1 <= h; j += 2) {
      a0 += t[h - j] * (x[c - j] + x[c + j]);
      a1 += t[h - j - 1] * (x[c - j - 1] + x[c + j + 1]);
    }
    for (; j <= h; j++) a0 += t[h - j] * (x[c - j] + x[c + j]);
    outs[s][n] = a0 + a1;
  }
}

/**
 * Band-limited resampling of several equally long signals (same kernel for all); nOut samples per signal.
 * Polyphase with cached taps for rational rate ratios, the direct form otherwise.
 */
export function resampleSignals(signals: Float32Array[], fsInHz: number, fsOutHz: number, nOut: number): Float32Array[] {
  if (fsInHz === fsOutHz) return copyResized(signals, nOut);
  const ratio = rationalRatio(fsInHz, fsOutHz);
  if (!ratio) return resampleDirect(signals, fsInHz, fsOutHz, nOut);
  return resamplePolyphase(signals, polyphaseFilter(ratio.L, ratio.M), nOut);
}

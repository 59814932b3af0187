import { describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../formats/wfdb';
import { diskFile, SHARED_DATA_DIR } from '../formats/testing';
import { preprocessEcg } from './preprocess';
import { besselI0, KAISER_BETA, polyphaseFilter, rationalRatio, resampleDirect, resamplePolyphase, resampleSignals } from '../formats/resample';

/** Float64 oracle window: the exact Kaiser window, no table. */
const exactKaiser = (u: number) => (u >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / besselI0(KAISER_BETA));

function noise(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296 - 0.5) * 4; // +-2 mV
  });
}

const sine = (fsHz: number, n: number, fHz: number, phase = 0) =>
  Float32Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * fHz * t) / fsHz + phase));

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

function rms(x: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

// Source rates met in ECG sets (PTB-XL 500, INCART 257, MIT-BIH 360, 1000 Hz, 250 Hz Holter, 128 Hz, upsampling 50 Hz).
const RATES = [500, 1000, 257, 360, 250, 128, 50];

describe('polyphase resampler against the direct form', () => {
  it.each(RATES)('%d -> 100 Hz: same output as the direct form, edges included (random signals)', (fsHz) => {
    const nIn = Math.round(fsHz * 10.3);
    const sig = [noise(nIn, fsHz), noise(nIn, fsHz + 1)];
    const nOut = 1000;
    const poly = resampleSignals(sig, fsHz, 100, nOut);
    const direct = resampleDirect(sig, fsHz, 100, nOut);
    const oracle = resampleDirect(sig.map((s) => s), fsHz, 100, nOut, exactKaiser);
    for (let s = 0; s < sig.length; s++) {
      expect(poly[s].length).toBe(nOut);
      // Same kernel up to summation order and float32 output rounding (values are +-2 mV: ulp ~2e-7).
      expect(maxAbsDiff(poly[s], direct[s])).toBeLessThan(2e-5);
      // The Float64 oracle (exact Kaiser window) differs by the window table's interpolation only.
      expect(maxAbsDiff(poly[s], oracle[s])).toBeLessThan(2e-4);
    }
  });

  it('1000 -> 500 Hz (the display copy) and an output longer than the input agree too', () => {
    const sig = [noise(3000, 7)];
    expect(maxAbsDiff(resampleSignals(sig, 1000, 500, 1500)[0], resampleDirect(sig, 1000, 500, 1500)[0])).toBeLessThan(2e-5);
    // Outputs past the input's end have no taps left: zero in both forms.
    const long = resampleSignals(sig, 1000, 100, 400)[0];
    expect(maxAbsDiff(long, resampleDirect(sig, 1000, 100, 400)[0])).toBeLessThan(2e-5);
  });
});

describe('polyphase filter', () => {
  it('reduces the rate ratio and caches one tap table per (L, M)', () => {
    expect(rationalRatio(500, 100)).toEqual({ L: 1, M: 5 });
    expect(rationalRatio(257, 100)).toEqual({ L: 100, M: 257 });
    expect(rationalRatio(360, 100)).toEqual({ L: 5, M: 18 });
    expect(rationalRatio(128.5, 100)).toEqual({ L: 200, M: 257 });
    expect(rationalRatio(Math.PI * 100, 100)).toBeNull();
    expect(polyphaseFilter(1, 5)).toBe(polyphaseFilter(1, 5));
    const f = polyphaseFilter(1, 5);
    // 30 periods of 100 Hz each side at 500 Hz: 150 samples each side, the exact edge (weight 0) left out.
    expect(f.taps).toHaveLength(1);
    expect(f.taps[0]).toHaveLength(299);
    expect(f.taps[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(polyphaseFilter(100, 257).taps).toHaveLength(100);
  });

  it('a rate ratio that is no small fraction falls back to the direct form', () => {
    const fs = Math.PI * 100;
    const sig = [noise(3200, 3)];
    expect(maxAbsDiff(resampleSignals(sig, fs, 100, 1000)[0], resampleDirect(sig, fs, 100, 1000)[0])).toBe(0);
  });
});

describe('anti-aliasing spec (500 -> 100 Hz and 257 -> 100 Hz)', () => {
  const interior = [200, 800] as const;
  it.each([500, 257])('%d Hz: pass band up to 35 Hz kept within 0.1% in amplitude, zero phase', (fsHz) => {
    for (const fHz of [0.5, 5, 20, 35]) {
      const [y] = resampleSignals([sine(fsHz, fsHz * 10, fHz, 0.3)], fsHz, 100, 1000);
      const ref = sine(100, 1000, fHz, 0.3);
      // Zero phase / zero delay: the output is the sine at the output sample times.
      let maxErr = 0;
      for (let t = interior[0]; t < interior[1]; t++) maxErr = Math.max(maxErr, Math.abs(y[t] - ref[t]));
      expect(maxErr).toBeLessThan(1e-3);
    }
  });

  it.each([500, 257])('%d Hz: stop band from 45 Hz to the source Nyquist attenuated by >= 70 dB', (fsHz) => {
    for (let fHz = 45; fHz < fsHz / 2; fHz += 7.3) {
      const [y] = resampleSignals([sine(fsHz, fsHz * 10, fHz)], fsHz, 100, 1000);
      expect(rms(y, ...interior) / Math.SQRT1_2).toBeLessThan(10 ** (-70 / 20));
    }
  });

  it('the transition band lies between 35 and 45 Hz (40 Hz: about half amplitude)', () => {
    const [y] = resampleSignals([sine(500, 5000, 40)], 500, 100, 1000);
    const gain = rms(y, ...interior) / Math.SQRT1_2;
    expect(gain).toBeGreaterThan(0.3);
    expect(gain).toBeLessThan(0.7);
  });
});

describe('model inputs of real 500 Hz records', () => {
  // Both forms share the kernel and accumulate in Float64; they differ in summation order (the folded
  // phase-0 kernel) and in the exact-edge taps (weight 0 in the polyphase table). What remains is float32
  // output rounding: 2e-6 mV is two float32 ulps at the 10 mV clip, a five-hundredth of the records'
  // 1 uV quantisation step (gain 1000/mV). On these records the outputs are in fact bit-identical.
  const TOL_MV = 2e-6;
  const records = [
    ...[1, 2, 50, 100, 200].map((i) => ({ hea: `${SHARED_DATA_DIR}/ludb/data/${i}.hea`, dat: `${SHARED_DATA_DIR}/ludb/data/${i}.dat` })),
    ...['E07500', 'HR06000', 'JS20010'].map((r) => ({ hea: `${SHARED_DATA_DIR}/cinc2021-sample/records/${r}.hea`, dat: `${SHARED_DATA_DIR}/cinc2021-sample/records/${r}.mat` })),
  ];
  it.each(records)('$hea: new and old preprocessing differ by < 2e-6 mV', async ({ hea, dat }) => {
    const r = await readWfdbRecord(diskFile(hea), [diskFile(dat)]);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.record.fsHz).toBe(500);
    const a = preprocessEcg(r.value.record, hea);
    const b = preprocessEcg(r.value.record, hea, resampleDirect);
    if (!a.ok || !b.ok) throw new Error('preprocess failed');
    expect(a.value.input.length).toBe(b.value.input.length);
    expect(maxAbsDiff(a.value.input, b.value.input)).toBeLessThan(TOL_MV);
    // Not trivially equal to zero: the records carry signal.
    expect(rms(a.value.input, 0, a.value.input.length)).toBeGreaterThan(0.01);
  });
});

describe('resamplePolyphase', () => {
  it('handles no signals and a zero-length output', () => {
    expect(resamplePolyphase([], polyphaseFilter(1, 5), 10)).toEqual([]);
    expect(resampleSignals([noise(100, 1)], 500, 100, 0)[0].length).toBe(0);
  });
});

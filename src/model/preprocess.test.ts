import { describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../formats/wfdb';
import { diskFile, SHARED_DATA_DIR } from '../formats/testing';
import { ECG_SAMPLES, type EcgRecord } from '../formats/types';
import { mapLeads, preprocessCxr, preprocessEcg, resampleSignals, resizeGray } from './preprocess';

const DATA = SHARED_DATA_DIR;

function sine(fsHz: number, nSamples: number, fHz: number, ampMv = 1): Float32Array {
  return Float32Array.from({ length: nSamples }, (_, t) => ampMv * Math.sin((2 * Math.PI * fHz * t) / fsHz));
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

function corr(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('resampleSignals', () => {
  it('500 -> 100 Hz keeps a 5 Hz sine (amplitude and phase)', () => {
    const [y] = resampleSignals([sine(500, 5000, 5)], 500, 100, 1000);
    const ref = sine(100, 1000, 5);
    // Interior (away from edges)
    let maxErr = 0;
    for (let t = 100; t < 900; t++) maxErr = Math.max(maxErr, Math.abs(y[t] - ref[t]));
    expect(maxErr).toBeLessThan(0.01);
  });

  it('attenuates a 45 Hz component at 500 Hz (would alias to 55 -> 45 Hz)', () => {
    const [y] = resampleSignals([sine(500, 5000, 45)], 500, 100, 1000);
    expect(rms(y, 100, 900)).toBeLessThan(0.05 * Math.SQRT1_2);
  });

  it.each([250, 257, 1000, 50])('%d Hz source keeps a 3 Hz sine', (fsHz) => {
    const nIn = fsHz * 10;
    const [y] = resampleSignals([sine(fsHz, nIn, 3)], fsHz, 100, 1000);
    expect(rms(y, 150, 850)).toBeCloseTo(Math.SQRT1_2, 2);
    expect(corr(y.subarray(150, 850), sine(100, 1000, 3).subarray(150, 850))).toBeGreaterThan(0.999);
  });
});

describe('preprocessEcg', () => {
  const mk = (names: string[], fsHz: number, nSamples: number, fill: (lead: number) => Float32Array): EcgRecord => ({
    id: 'r',
    fsHz,
    nSamples,
    leadNames: names,
    signalsMv: names.map((_, i) => fill(i)),
  });

  it('maps lead names case-insensitively in standard order', () => {
    expect(mapLeads(['V6', 'avr', 'I', 'Lead II', 'AVF'])).toEqual([2, 3, -1, 1, -1, 4, -1, -1, -1, -1, -1, 0]);
  });

  it('reorders leads, lists missing leads, zeros in input, NaN in display', () => {
    const rec = mk(['V1', 'I', 'AVR'], 100, 1000, (i) => new Float32Array(1000).fill(0).map((_, t) => (t % 100 === 0 ? i + 1 : 0)));
    const r = preprocessEcg(rec, 'r.hea');
    if (!r.ok) throw new Error(r.error.message);
    const lead = (j: number) => r.value.input.subarray(j * ECG_SAMPLES, (j + 1) * ECG_SAMPLES);
    expect(Math.max(...lead(0))).toBeCloseTo(2, 5); // I was source lead 1 (value 2)
    expect(Math.max(...lead(3))).toBeCloseTo(3, 5); // aVR
    expect(Math.max(...lead(6))).toBeCloseTo(1, 5); // V1
    expect(Math.max(...lead(1).map(Math.abs))).toBe(0); // II missing
    expect(r.value.missingLeads).toEqual(['II', 'III', 'aVL', 'aVF', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(Number.isNaN(r.value.display.leads[1][0])).toBe(true);
    expect(r.value.display.fsHz).toBe(100);
  });

  it('removes the median baseline, clips to +-10 mV, keeps absolute amplitude', () => {
    const rec = mk(['I'], 100, 1000, () => Float32Array.from({ length: 1000 }, (_, t) => (t === 500 ? 25 : t === 600 ? 3.5 : 2)));
    const r = preprocessEcg(rec, 'r.hea');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.input[0]).toBeCloseTo(0, 6);
    expect(r.value.input[500]).toBe(10);
    expect(r.value.input[600]).toBeCloseTo(1.5, 5);
  });

  it('short records are zero-padded; NaN/Inf samples become 0; long ones cut to 10 s', () => {
    const s = sine(500, 2500, 5);
    s[10] = NaN;
    s[11] = Infinity;
    const r = preprocessEcg(mk(['II'], 500, 2500, () => s), 'r.hea');
    if (!r.ok) throw new Error(r.error.message);
    const ii = r.value.input.subarray(ECG_SAMPLES, 2 * ECG_SAMPLES);
    expect(ii.every(Number.isFinite)).toBe(true);
    expect(rms(ii, 500, 1000)).toBe(0);
    expect(rms(ii, 50, 450)).toBeGreaterThan(0.6);
    expect(r.value.display.fsHz).toBe(500);
    expect(r.value.display.leads[1].length).toBe(2500);
    const long = preprocessEcg(mk(['II'], 1000, 30000, () => sine(1000, 30000, 2)), 'r.hea');
    expect(long.ok && long.value.display.fsHz).toBe(500);
    expect(long.ok && long.value.display.leads[1].length).toBe(5000);
  });

  it('fails with a message when the record has no lead or fs is bad', () => {
    expect(preprocessEcg(mk([], 360, 10, () => new Float32Array(10)), 'x.hea').ok).toBe(false);
    expect(preprocessEcg(mk(['I'], 0, 10, () => new Float32Array(10)), 'x.hea').ok).toBe(false);
  });

  it('MLII is lead II; MCL1, V and "ECG 1" are kept after the 12 standard leads under their own names', () => {
    const r = preprocessEcg(mk(['MLII', 'MCL1', 'V', 'ECG 1'], 125, 1250, (i) => sine(125, 1250, 1 + i)), 'm.hea');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.missingLeads).not.toContain('II');
    expect(r.value.missingLeads).toHaveLength(11);
    expect(r.value.display.leadNames).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'MCL1', 'V', 'ECG 1']);
    expect(r.value.display.leads).toHaveLength(15);
    // The extra leads carry their own signals (a 2, 3 and 4 Hz sine), not NaN.
    expect(rms(r.value.display.leads[12], 100, 1000)).toBeGreaterThan(0.6);
    expect(corr(r.value.display.leads[13], sine(125, 1250, 3))).toBeGreaterThan(0.99);
    // Model input: only II is filled; a record with no standard lead gives all zeros.
    expect(rms(r.value.input.subarray(ECG_SAMPLES, 2 * ECG_SAMPLES))).toBeGreaterThan(0.6);
    const none = preprocessEcg(mk(['ECG 1', 'ECG 2'], 250, 2500, () => sine(250, 2500, 2)), 'e.hea');
    expect(none.ok && none.value.input.every((v) => v === 0)).toBe(true);
    expect(none.ok && none.value.display.leadNames?.slice(12)).toEqual(['ECG 1', 'ECG 2']);
  });

  it('PTB-XL record 1: records500 resampled matches records100 (r > 0.95 per lead)', async () => {
    const base = `${DATA}/ptb-xl`;
    const lr = await readWfdbRecord(diskFile(`${base}/records100/00000/00001_lr.hea`), [diskFile(`${base}/records100/00000/00001_lr.dat`)]);
    const hr = await readWfdbRecord(diskFile(`${base}/records500/00000/00001_hr.hea`), [diskFile(`${base}/records500/00000/00001_hr.dat`)]);
    if (!lr.ok || !hr.ok) throw new Error('read failed');
    const a = preprocessEcg(lr.value.record, 'lr');
    const b = preprocessEcg(hr.value.record, 'hr');
    if (!a.ok || !b.ok) throw new Error('preprocess failed');
    expect(a.value.missingLeads).toEqual([]);
    for (let j = 0; j < 12; j++) {
      const x = a.value.input.subarray(j * ECG_SAMPLES + 20, (j + 1) * ECG_SAMPLES - 20);
      const y = b.value.input.subarray(j * ECG_SAMPLES + 20, (j + 1) * ECG_SAMPLES - 20);
      expect(corr(x, y)).toBeGreaterThan(0.95);
    }
  });
});

describe('preprocessCxr', () => {
  it('area-averages when downsampling and standardises', () => {
    // 448x448 checkerboard of 2x2 blocks -> each output pixel averages one block: constant image -> all 0.
    const w = 448;
    const pixels = Float32Array.from({ length: w * w }, (_, i) => ((i % w) + Math.floor(i / w)) % 2);
    const flat = resizeGray({ width: w, height: w, pixels });
    expect(Math.max(...flat) - Math.min(...flat)).toBeLessThan(1e-5);
    expect(flat[0]).toBeCloseTo(0.5, 5);
    const out = preprocessCxr({ width: w, height: w, pixels });
    expect(out.length).toBe(224 * 224);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('bilinear when upsampling, squashes non-square, zero mean unit std', () => {
    const img = { width: 2, height: 1, pixels: new Float32Array([0, 1]) };
    const r = resizeGray(img);
    expect(r[0]).toBe(0);
    expect(r[223]).toBe(1);
    expect(r[112]).toBeGreaterThan(0.4);
    expect(r[112]).toBeLessThan(0.6);
    expect(r[224 * 100 + 5]).toBe(r[5]); // rows are copies
    const x = preprocessCxr({ width: 300, height: 200, pixels: Float32Array.from({ length: 60000 }, (_, i) => (i % 300) / 300) });
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(mean).toBeCloseTo(0, 4);
    expect(std).toBeCloseTo(1, 3);
  });
});

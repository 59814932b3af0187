import { describe, expect, it } from 'vitest';
import { augmentCxrAffine, augmentEcgRecords, type EcgAugmentOptions } from './augment';
import { makeRng } from './rng';

const OFF: EcgAugmentOptions = { leads: 12, nSamples: 1000, fsHz: 100, noiseStdMv: 0, scaleJitter: 0, wanderMv: 0, leadDropout: 0, cropProb: 0, cropSeconds: [2.5, 5] };
const ON: EcgAugmentOptions = { ...OFF, noiseStdMv: 0.03, scaleJitter: 0.2, wanderMv: 0.1, leadDropout: 0.5, cropProb: 0.5 };

function ecgBatch(n: number): Float32Array {
  const x = new Float32Array(n * 12 * 1000);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.07) + ((i % 1000) % 100 === 0 ? 1.5 : 0);
  return x;
}

describe('augmentEcgRecords', () => {
  it('keeps the shape, is deterministic under a seed and differs between seeds', () => {
    const x = ecgBatch(3);
    const a = augmentEcgRecords(x, 3, ON, makeRng(5));
    expect(a.length).toBe(x.length);
    expect(a).toEqual(augmentEcgRecords(x, 3, ON, makeRng(5)));
    expect(a).not.toEqual(augmentEcgRecords(x, 3, ON, makeRng(6)));
    expect(() => augmentEcgRecords(x, 2, ON, makeRng(5))).toThrow(/expected 2 x 12000/);
  });

  it('is the identity with every transform off', () => {
    const x = ecgBatch(2);
    expect(augmentEcgRecords(x, 2, OFF, makeRng(1))).toEqual(x);
  });

  it('scales all leads of a record by one factor (voltage ratios between leads are kept)', () => {
    const x = ecgBatch(1);
    const a = augmentEcgRecords(x, 1, { ...OFF, scaleJitter: 0.3 }, makeRng(2));
    const f = a[0] / x[0];
    expect(Math.abs(f - 1)).toBeGreaterThan(0);
    expect(Math.abs(f - 1)).toBeLessThanOrEqual(0.3);
    for (let i = 0; i < x.length; i += 997) expect(a[i]).toBeCloseTo(x[i] * f, 5);
  });

  it('keeps one window of 2.5-5 s in place and zeroes the rest; a dropped lead is all zero', () => {
    const x = ecgBatch(8);
    const a = augmentEcgRecords(x, 8, { ...OFF, cropProb: 1 }, makeRng(3));
    for (let r = 0; r < 8; r++) {
      const lead0 = a.subarray(r * 12000, r * 12000 + 1000);
      const kept = [...lead0].map((v, t) => (v !== 0 ? t : -1)).filter((t) => t >= 0);
      const len = kept[kept.length - 1] - kept[0] + 1;
      expect(len).toBeGreaterThanOrEqual(240);
      expect(len).toBeLessThanOrEqual(500);
      for (const t of kept) expect(lead0[t]).toBe(x[r * 12000 + t]);
    }
    const d = augmentEcgRecords(x, 8, { ...OFF, leadDropout: 1 }, makeRng(4));
    for (let r = 0; r < 8; r++) {
      const zeroLeads = Array.from({ length: 12 }, (_, l) => d.subarray(r * 12000 + l * 1000, r * 12000 + (l + 1) * 1000).every((v) => v === 0)).filter(Boolean);
      expect(zeroLeads).toHaveLength(1);
    }
  });

  it('adds a slow baseline wander bounded by its amplitude', () => {
    const x = new Float32Array(12000);
    const a = augmentEcgRecords(x, 1, { ...OFF, wanderMv: 0.1 }, makeRng(8));
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.1 + 1e-6);
    // 0.05-0.5 Hz at 100 Hz: neighbouring samples differ by far less than the amplitude.
    for (let t = 1; t < 1000; t++) expect(Math.abs(a[t] - a[t - 1])).toBeLessThan(0.004);
  });
});

describe('augmentCxrAffine', () => {
  const side = 32;
  // Bright block on the left half only: laterality must survive (no flips).
  const img = new Float32Array(side * side);
  for (let y = 8; y < 24; y++) for (let x = 2; x < 12; x++) img[y * side + x] = 1;

  it('keeps the shape, is deterministic and never flips left and right', () => {
    const opts = { maxShiftPx: 2, jitter: 0, maxRotateDeg: 5, maxZoom: 0.05 };
    const batch = new Float32Array([...img, ...img, ...img, ...img]);
    const a = augmentCxrAffine(batch, 4, side, opts, makeRng(1));
    expect(a.length).toBe(batch.length);
    expect(a).toEqual(augmentCxrAffine(batch, 4, side, opts, makeRng(1)));
    for (let i = 0; i < 4; i++) {
      let left = 0;
      let right = 0;
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) (x < side / 2 ? (v: number) => (left += v) : (v: number) => (right += v))(Math.abs(a[i * side * side + y * side + x]));
      expect(left).toBeGreaterThan(5 * right);
    }
  });

  it('with no rotation, zoom or jitter is a whole-pixel shift (identity at zero shift)', () => {
    expect(augmentCxrAffine(img, 1, side, { maxShiftPx: 0, jitter: 0, maxRotateDeg: 0, maxZoom: 0 }, makeRng(2))).toEqual(img);
    const s = augmentCxrAffine(img, 1, side, { maxShiftPx: 0, jitter: 0, maxRotateDeg: 1e-9, maxZoom: 0 }, makeRng(2));
    for (let i = 0; i < img.length; i++) expect(s[i]).toBeCloseTo(img[i], 4);
  });
});

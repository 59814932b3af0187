import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { auroc, bootstrapCi, groupedKFold, groupedSplit } from './index';

/** O(nPos * nNeg) oracle: fraction of (pos, neg) pairs ordered right, ties half. */
function aurocOracle(scores: number[], labels: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = 0; j < scores.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      den++;
      num += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return den === 0 ? NaN : num / den;
}

describe('auroc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 for constant scores, NaN for one class', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auroc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(auroc([0.3, 0.4], [1, 1])).toBeNaN();
  });
  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 40 })], {
    seed: 1207,
  })('matches the pairwise oracle, ties included', (rows) => {
    const s = rows.map((r) => r[0]);
    const l = rows.map((r) => r[1]);
    const got = auroc(s, l);
    const want = aurocOracle(s, l);
    if (Number.isNaN(want)) expect(got).toBeNaN();
    else expect(got).toBeCloseTo(want, 12);
  });
  it('honours repeated indices (a bootstrap resample)', () => {
    const s = [0.1, 0.9, 0.5];
    const l = [0, 1, 0];
    expect(auroc(s, l, [0, 0, 1, 2, 2])).toBeCloseTo(aurocOracle([0.1, 0.1, 0.9, 0.5, 0.5], [0, 0, 1, 0, 0]), 12);
  });
});

describe('bootstrapCi', () => {
  const values = Array.from({ length: 200 }, (_, i) => (i % 10) / 10);
  const mean = (idx: Int32Array) => idx.reduce((a, i) => a + values[i], 0) / idx.length;
  it('brackets the estimate and is reproducible under a seed', () => {
    const a = bootstrapCi(values.length, mean, { seed: 3, iterations: 500 });
    const b = bootstrapCi(values.length, mean, { seed: 3, iterations: 500 });
    expect(a).toEqual(b);
    expect(a.estimate).toBeCloseTo(0.45, 12);
    expect(a.lo).toBeLessThan(a.estimate);
    expect(a.hi).toBeGreaterThan(a.estimate);
    // standard error of the mean ~ 0.287/sqrt(200) = 0.0203: the 95% interval is about +-0.04
    expect(a.hi - a.lo).toBeGreaterThan(0.05);
    expect(a.hi - a.lo).toBeLessThan(0.11);
  });
  it('skips resamples whose metric is undefined', () => {
    const labels = [1, 0, 0, 0, 0, 0, 0, 0];
    const scores = [0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    const ci = bootstrapCi(8, (idx) => auroc(scores, labels, idx), { seed: 1, iterations: 200 });
    expect(ci.estimate).toBe(1);
    expect(ci.hi).toBe(1);
  });
});

describe('grouped splits', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 6 }), fc.integer()], {
    seed: 4411,
  })('no group is on two folds, and fold sizes stay within the largest group of each other', (g, k, seed) => {
    const groups = g.map((x) => `p${x}`);
    const fold = groupedKFold(groups, k, seed);
    const seen = new Map<string, number>();
    groups.forEach((p, i) => {
      if (seen.has(p)) expect(fold[i]).toBe(seen.get(p));
      seen.set(p, fold[i]);
      expect(fold[i]).toBeGreaterThanOrEqual(0);
      expect(fold[i]).toBeLessThan(k);
    });
    const sizes = new Array(k).fill(0);
    fold.forEach((f) => sizes[f]++);
    const counts = new Map<string, number>();
    groups.forEach((p) => counts.set(p, (counts.get(p) ?? 0) + 1));
    const largest = Math.max(...counts.values());
    if (counts.size >= k) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(largest);
  });
  test.prop([fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 80 }), fc.integer()], { seed: 93 })(
    'a train/validation split never splits a patient',
    (g, seed) => {
      const groups = g.map((x) => `p${x}`);
      const isVal = groupedSplit(groups, 0.25, seed);
      const side = new Map<string, boolean>();
      groups.forEach((p, i) => {
        if (side.has(p)) expect(isVal[i]).toBe(side.get(p));
        side.set(p, isVal[i]);
      });
      if (new Set(groups).size >= 2) {
        expect(isVal.some(Boolean)).toBe(true);
        expect(isVal.some((v) => !v)).toBe(true);
      }
    },
  );
});

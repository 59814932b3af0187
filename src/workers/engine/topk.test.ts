// top-K against a sort-based oracle, with property-based inputs (fixed seed) and ties.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dotScores, searchTopK, topKOfScores } from './topk';

function oracle(scores: number[], k: number): number[] {
  return scores
    .map((s, i) => ({ s, i }))
    .filter((e) => !Number.isNaN(e.s))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, k)
    .map((e) => e.i);
}

describe('topKOfScores', () => {
  it('matches the sort oracle on random scores with ties and NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }).map((x) => x / 4), fc.constant(Number.NaN)), { maxLength: 200 }),
        fc.integer({ min: 0, max: 60 }),
        (raw, k) => {
          const scores = Float32Array.from(raw);
          const got = topKOfScores(scores, k);
          const want = oracle([...scores], k);
          expect([...got.indices]).toEqual(want);
          expect([...got.scores]).toEqual(want.map((i) => scores[i]));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('handles k = 0, k > n and n smaller than the buffer', () => {
    const s = Float32Array.from([0.1, 0.9, 0.5, 0.7]);
    expect([...topKOfScores(s, 0).indices]).toEqual([]);
    expect([...topKOfScores(s, 10).indices]).toEqual([1, 3, 2, 0]);
    expect([...topKOfScores(s, 2, 3).indices]).toEqual([1, 2]);
  });
});

describe('searchTopK', () => {
  it('ranks rows by dot product like a naive loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 10 }), fc.integer(), (n, d, k, seed) => {
        let x = seed | 1;
        const rnd = () => ((x = (x * 1103515245 + 12345) | 0), ((x >>> 8) % 1000) / 500 - 1);
        const m = Float32Array.from({ length: n * d }, rnd);
        const q = Float32Array.from({ length: d }, rnd);
        const naive: number[] = [];
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += m[i * d + j] * q[j];
          naive.push(s);
        }
        const got = searchTopK(m, n, d, q, k);
        const want = oracle(naive, k);
        // Float rounding may reorder near-ties; compare scores at the oracle's positions.
        got.indices.forEach((idx, r) => expect(naive[idx]).toBeCloseTo(naive[want[r]], 4));
        expect(got.indices.length).toBe(Math.min(k, n));
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('rejects a query of the wrong dimension', () => {
    expect(() => dotScores(new Float32Array(6), 2, 3, new Float32Array(2))).toThrow(/dims/);
  });
});

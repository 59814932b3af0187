import { describe, expect, it } from 'vitest';
import { argmaxRows, balancedAccuracy, confusionMatrix, cosineMatrix, recallAtK, recallAtKByKey } from './metrics';
import { makeRng } from './rng';

// Oracle: sort candidates, check whether any of the first k is correct.
function oracleRecall(sim: number[][], correct: (q: number, c: number) => boolean, k: number): number {
  let hits = 0;
  sim.forEach((row, q) => {
    const order = row.map((s, c) => [s, c]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, c]) => c);
    if (order.slice(0, k).some((c) => correct(q, c))) hits++;
  });
  return hits / sim.length;
}

describe('recallAtK', () => {
  it('matches a sorting oracle on random similarities', () => {
    const rng = makeRng(1);
    const nq = 20;
    const nc = 15;
    const sim = Array.from({ length: nq }, () => Array.from({ length: nc }, () => Math.round(rng() * 20) / 20));
    const truth = Array.from({ length: nq }, () => Math.floor(rng() * nc));
    const correct = (q: number, c: number) => c === truth[q];
    const got = recallAtK(Float32Array.from(sim.flat()), nq, nc, correct, [1, 5, 10]);
    for (const k of [1, 5, 10]) expect(got[k]).toBeCloseTo(oracleRecall(sim, correct, k), 10);
  });

  it('counts a retrieved text identical to the true one as correct', () => {
    // query 0's true text is "a"; the top candidate is another copy of "a"
    const sim = Float32Array.from([0.9, 0.1, 0.5]);
    expect(recallAtKByKey(sim, ['a'], ['a', 'b', 'a'], [1])[1]).toBe(1);
    expect(recallAtKByKey(sim, ['b'], ['a', 'b', 'a'], [1, 3])).toEqual({ 1: 0, 3: 1 });
  });
});

describe('confusionMatrix / balancedAccuracy', () => {
  it('computes per-class recall averaged over present classes', () => {
    const yTrue = [0, 0, 0, 0, 1, 1, 2];
    const yPred = [0, 0, 0, 1, 1, 0, 2];
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual([[3, 1, 0], [1, 1, 0], [0, 0, 1]]);
    expect(balancedAccuracy(yTrue, yPred, 3)).toBeCloseTo((3 / 4 + 1 / 2 + 1) / 3, 12);
    // class 3 absent from yTrue is ignored
    expect(balancedAccuracy(yTrue, yPred, 4)).toBeCloseTo((3 / 4 + 1 / 2 + 1) / 3, 12);
  });
  it('is 1/C for a constant predictor on balanced data', () => {
    expect(balancedAccuracy([0, 1, 2, 0, 1, 2], [1, 1, 1, 1, 1, 1], 3)).toBeCloseTo(1 / 3, 12);
  });
});

describe('cosineMatrix / argmaxRows', () => {
  it('gives cosines and row argmax', () => {
    const a = Float32Array.from([1, 0, 0, 2]);
    const b = Float32Array.from([3, 0, 1, 1]);
    const s = cosineMatrix(a, b, 2);
    expect(Array.from(s).map((v) => +v.toFixed(5))).toEqual([1, +(1 / Math.SQRT2).toFixed(5), 0, +(1 / Math.SQRT2).toFixed(5)]);
    expect(Array.from(argmaxRows(s, 2, 2))).toEqual([0, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { crossModalZeroShot, fewShotEval, predictProbe, probeObjective, sampleSupport, trainLinearProbe } from './fewshot';
import { makeNormal, makeRng } from './rng';

function blobs(nPerClass: number, C: number, d: number, sep: number, seed: number) {
  const normal = makeNormal(makeRng(seed));
  const centres = Array.from({ length: C }, () => Array.from({ length: d }, () => normal() * sep));
  const x = new Float32Array(nPerClass * C * d);
  const y = new Int32Array(nPerClass * C);
  for (let i = 0; i < nPerClass * C; i++) {
    y[i] = i % C;
    for (let k = 0; k < d; k++) x[i * d + k] = centres[y[i]][k] + normal() * 0.3;
  }
  return { x, y };
}

/**
 * Independent oracle of the probe objective, written from the definition and sharing no code with
 * probeObjective: logits = x W + b as an [n, C] Float64 matrix, mean of logsumexp(logits_i) - logits_i[y_i],
 * plus (l2/2)||W||^2. W is [d, C] row-major.
 */
function oracleObjective(x: Float32Array, y: ArrayLike<number>, d: number, C: number, W: ArrayLike<number>, b: ArrayLike<number>, l2: number): number {
  const n = y.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const logits: number[] = [];
    for (let c = 0; c < C; c++) {
      let z = b[c];
      for (let k = 0; k < d; k++) z += x[i * d + k] * W[k * C + c];
      logits.push(z);
    }
    const m = Math.max(...logits);
    const lse = m + Math.log(logits.reduce((a, z) => a + Math.exp(z - m), 0));
    sum += lse - logits[y[i]];
  }
  let sq = 0;
  for (let j = 0; j < d * C; j++) sq += W[j] * W[j];
  return sum / n + 0.5 * l2 * sq;
}

/** Central finite differences of the oracle objective: the gradient without any analytic formula. */
function oracleGradient(x: Float32Array, y: ArrayLike<number>, d: number, C: number, W: Float64Array, b: Float64Array, l2: number) {
  const h = 1e-6;
  const f = () => oracleObjective(x, y, d, C, W, b, l2);
  const diff = (arr: Float64Array, j: number) => {
    const keep = arr[j];
    arr[j] = keep + h;
    const up = f();
    arr[j] = keep - h;
    const down = f();
    arr[j] = keep;
    return (up - down) / (2 * h);
  };
  return { gW: Float64Array.from(W, (_, j) => diff(W, j)), gb: Float64Array.from(b, (_, c) => diff(b, c)) };
}

describe('trainLinearProbe', () => {
  it('probeObjective matches an independent oracle: value and (finite-difference) gradient', () => {
    const { x, y } = blobs(6, 3, 5, 1, 7);
    const normal = makeNormal(makeRng(11));
    const W = Float64Array.from({ length: 15 }, () => normal() * 0.5);
    const b = Float64Array.from({ length: 3 }, () => normal() * 0.5);
    const gW = new Float64Array(15);
    const gb = new Float64Array(3);
    const ours = probeObjective(x, y, 5, 3, W, b, 0.1, gW, gb);
    expect(ours).toBeCloseTo(oracleObjective(x, y, 5, 3, W, b, 0.1), 10);
    const ref = oracleGradient(x, y, 5, 3, W, b, 0.1);
    for (let j = 0; j < 15; j++) expect(gW[j]).toBeCloseTo(ref.gW[j], 6);
    for (let c = 0; c < 3; c++) expect(gb[c]).toBeCloseTo(ref.gb[c], 6);
  });

  it('reaches the minimum that plain gradient descent on the oracle finds', () => {
    const { x, y } = blobs(10, 3, 4, 1, 1);
    const l2 = 0.05;
    const probe = trainLinearProbe(x, y, 3, { l2, maxIters: 2000, tol: 1e-9 });
    // Reference: plain GD with the oracle's finite-difference gradient, small fixed step, many iterations.
    const W = new Float64Array(4 * 3);
    const b = new Float64Array(3);
    for (let it = 0; it < 1500; it++) {
      const g = oracleGradient(x, y, 4, 3, W, b, l2);
      for (let j = 0; j < 12; j++) W[j] -= 0.5 * g.gW[j];
      for (let c = 0; c < 3; c++) b[c] -= 0.5 * g.gb[c];
    }
    const ref = oracleObjective(x, y, 4, 3, W, b, l2);
    const ours = oracleObjective(x, y, 4, 3, probe.W, probe.b, l2);
    expect(ours).toBeCloseTo(ref, 5);
    expect(ours).toBeLessThanOrEqual(ref + 1e-6);
    for (let j = 0; j < 12; j++) expect(probe.W[j]).toBeCloseTo(W[j], 2);
  });

  it('separates a separable problem and is deterministic', () => {
    const { x, y } = blobs(20, 4, 8, 2, 2);
    const p1 = trainLinearProbe(x, y, 4);
    const p2 = trainLinearProbe(x, y, 4);
    expect(Array.from(p1.W)).toEqual(Array.from(p2.W));
    expect(Array.from(predictProbe(p1, x))).toEqual(Array.from(y));
  });
});

describe('sampleSupport', () => {
  it('keeps at least one item per class for testing and reports the effective K', () => {
    const labels = [0, 0, 0, 0, 0, 1, 1, 2];
    const s = sampleSupport(labels, 3, 4, makeRng(1));
    expect(s.effectiveK).toEqual([4, 1, 0]);
    expect(s.support.length + s.test.length).toBe(labels.length);
    expect(new Set([...s.support, ...s.test]).size).toBe(labels.length);
    for (let c = 0; c < 3; c++) expect(s.test.some((i) => labels[i] === c)).toBe(true);
  });
});

describe('fewShotEval', () => {
  it('is seeded, and more shots help on noisy data', () => {
    const { x, y } = blobs(30, 3, 16, 0.35, 4);
    const a = fewShotEval(x, y, 3, 1, { repeats: 20, seed: 5 });
    const b = fewShotEval(x, y, 3, 1, { repeats: 20, seed: 5 });
    expect(a).toEqual(b);
    const k16 = fewShotEval(x, y, 3, 16, { repeats: 20, seed: 5 });
    expect(k16.mean).toBeGreaterThan(a.mean);
    expect(k16.effectiveK).toEqual([16, 16, 16]);
    expect(k16.sd).toBeGreaterThanOrEqual(0);
  });
});

describe('crossModalZeroShot', () => {
  it('assigns queries to the nearest class centroid of the other modality', () => {
    const support = Float32Array.from([1, 0, 0.9, 0.1, 0, 1]);
    const res = crossModalZeroShot(Float32Array.from([0.8, 0.2, 0.1, 0.9]), support, [0, 0, 1], 2, 2);
    expect(Array.from(res.predictions)).toEqual([0, 1]);
  });
});

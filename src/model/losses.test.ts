import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { emcl, textIdsOf, tmcl } from './losses';
import { makeNormal, makeRng } from './rng';

// Plain-loop Float64 oracles of the paper's equations (averaged over anchors).
function dot(a: number[], b: number[]): number {
  return a.reduce((s, v, k) => s + v * b[k], 0);
}
function oracleTmclDir(a: number[][], b: number[][], ids: number[], tau: number): number {
  const n = a.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let denom = 0;
    for (let l = 0; l < n; l++) denom += Math.exp(dot(a[i], b[l]) / tau);
    const P = [...Array(n).keys()].filter((p) => ids[p] === ids[i]);
    let s = 0;
    for (const p of P) s += Math.log(Math.exp(dot(a[i], b[p]) / tau) / denom);
    total += -s / P.length;
  }
  return total / n;
}
function oracleEmclDir(c: number[][], e: number[][], n: number, tau: number): number {
  const m = c.length;
  let total = 0;
  for (let u = 0; u < m; u++) {
    let denom = 0;
    for (let q = 0; q < m; q++) denom += Math.exp(dot(c[u], e[q]) / tau);
    total += -Math.log(Math.exp(dot(c[u], e[u]) / tau) / ((n / m) * denom));
  }
  return total / m;
}
function randUnit(n: number, d: number, seed: number): number[][] {
  const normal = makeNormal(makeRng(seed));
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: d }, () => normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}
const T = (rows: number[][]) => tf.tensor2d(rows);
const val = (s: tf.Scalar) => {
  const v = s.dataSync()[0];
  s.dispose();
  return v;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TMCL', () => {
  it('matches the plain-loop oracle with identical-text positives', () => {
    const t = randUnit(9, 16, 1);
    const z = randUnit(9, 16, 2);
    const ids = [0, 1, 0, 2, 3, 1, 0, 4, 5];
    const expected = oracleTmclDir(t, z, ids, 0.07) + oracleTmclDir(z, t, ids, 0.07);
    const got = tf.tidy(() => val(tmcl(T(t), T(z), ids, 0.07)));
    expect(got).toBeCloseTo(expected, 3);
  });

  it('treats identical texts as positives (differs from plain CLIP when texts repeat)', () => {
    const t = randUnit(6, 8, 3);
    const z = randUnit(6, 8, 4);
    const withDup = tf.tidy(() => val(tmcl(T(t), T(z), [0, 0, 1, 2, 3, 4], 0.1)));
    const unique = tf.tidy(() => val(tmcl(T(t), T(z), [0, 1, 2, 3, 4, 5], 0.1)));
    expect(Math.abs(withDup - unique)).toBeGreaterThan(1e-3);
    const expected = oracleTmclDir(t, z, [0, 0, 1, 2, 3, 4], 0.1) + oracleTmclDir(z, t, [0, 0, 1, 2, 3, 4], 0.1);
    expect(withDup).toBeCloseTo(expected, 4);
  });

  it('is invariant to permuting the batch', () => {
    const t = randUnit(7, 8, 5);
    const z = randUnit(7, 8, 6);
    const ids = [0, 1, 1, 2, 3, 0, 4];
    const perm = [3, 6, 0, 2, 5, 1, 4];
    const a = tf.tidy(() => val(tmcl(T(t), T(z), ids, 0.07)));
    const b = tf.tidy(() => val(tmcl(T(perm.map((i) => t[i])), T(perm.map((i) => z[i])), perm.map((i) => ids[i]), 0.07)));
    expect(b).toBeCloseTo(a, 4);
  });

  it('has finite gradients', () => {
    const before = tf.memory().numTensors;
    const t = tf.tensor2d(randUnit(5, 8, 7));
    const z = tf.tensor2d(randUnit(5, 8, 8));
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tmcl(a as tf.Tensor2D, b as tf.Tensor2D, [0, 1, 0, 2, 3], 0.07))([t, z]);
    for (const x of g) expect(Array.from(x.dataSync()).every(Number.isFinite)).toBe(true);
    expect(tf.tidy(() => g[0].abs().max().dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([...g, t, z]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves no tensors behind', () => {
    const t = tf.tensor2d(randUnit(5, 8, 9));
    const z = tf.tensor2d(randUnit(5, 8, 10));
    const before = tf.memory().numTensors;
    val(tmcl(t, z, [0, 1, 2, 3, 4], 0.07));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, z]);
  });
});

describe('EMCL', () => {
  it('matches the oracle including the n/m factor', () => {
    const c = randUnit(5, 16, 11);
    const e = randUnit(5, 16, 12);
    const n = 12;
    const expected = oracleEmclDir(c, e, n, 0.07) + oracleEmclDir(e, c, n, 0.07);
    const got = tf.tidy(() => val(emcl(T(c), T(e), n, 0.07)));
    expect(got).toBeCloseTo(expected, 3);
  });

  it('gives 0 with no pairs (m = 0)', () => {
    const got = val(emcl(tf.zeros([0, 4]) as tf.Tensor2D, tf.zeros([0, 4]) as tf.Tensor2D, 8, 0.07));
    expect(got).toBe(0);
  });

  it('n/m shifts the value by 2 log(n/m) only', () => {
    const c = randUnit(4, 8, 13);
    const e = randUnit(4, 8, 14);
    const a = tf.tidy(() => val(emcl(T(c), T(e), 4, 0.07)));
    const b = tf.tidy(() => val(emcl(T(c), T(e), 16, 0.07)));
    expect(b - a).toBeCloseTo(2 * Math.log(4), 4);
  });

  it('is lower for aligned pairs than for shuffled ones', () => {
    const c = randUnit(6, 8, 15);
    const aligned = tf.tidy(() => val(emcl(T(c), T(c), 6, 0.07)));
    const shuffled = tf.tidy(() => val(emcl(T(c), T([...c.slice(1), c[0]]), 6, 0.07)));
    expect(aligned).toBeLessThan(shuffled);
  });
});

describe('textIdsOf', () => {
  it('gives identical strings one id', () => {
    expect(Array.from(textIdsOf(['a', 'b', 'a', 'c', 'b']))).toEqual([0, 1, 0, 2, 1]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainGate } from '../finetune/gate';
import type { ParamArrays } from '../finetune/trainer';
import { sha256Hex } from '../weights';
import { emcl } from '../losses';
import { makeNormal, makeRng } from '../rng';
import { bindLoss } from './loss';
import { pairRetrieval } from './retrieval';
import { bindHeads, type BindData, type BindSettings } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randn(n: number, seed: number, scale = 1): Float32Array {
  const g = makeNormal(makeRng(seed));
  return Float32Array.from({ length: n }, () => g() * scale);
}
const unitRows = (n: number, d: number, seed: number) => tf.tidy(() => {
  const x = tf.tensor2d(randn(n * d, seed), [n, d]);
  return tf.div(x, tf.norm(x, 2, 1, true)) as tf.Tensor2D;
});

describe('bindLoss', () => {
  test.prop([fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1000 })], { seed: 515, numRuns: 25 })(
    'EMCL sends gradient to the paired rows only: unpaired rows get exactly zero',
    (n, mRaw, seed) => {
      const m = Math.min(mRaw, n);
      const d = 6;
      const before = tf.memory().numTensors;
      const zc = unitRows(n, d, seed);
      const ze = unitRows(n, d, seed + 1);
      const t = unitRows(n, d, seed + 2);
      const ids = Int32Array.from({ length: n }, (_, i) => i % 3);
      const [gc, ge] = tf.grads((a: tf.Tensor, b: tf.Tensor) => bindLoss({ zCxr: a as tf.Tensor2D, tCxr: t, zEcg: b as tf.Tensor2D, tEcg: t, cxrTextIds: ids, ecgTextIds: ids, m }, 0.07)[3])([zc, ze]);
      const rowAbs = (g: tf.Tensor) => tf.tidy(() => Array.from(g.abs().sum(1).dataSync()));
      for (const g of [gc, ge]) {
        const r = rowAbs(g);
        for (let i = m; i < n; i++) expect(r[i]).toBe(0);
        if (m >= 2) expect(r.slice(0, m).some((v) => v > 0)).toBe(true);
      }
      // The full loss does reach the unpaired rows (through TMCL), so the zero above is EMCL's own.
      const [gAll] = tf.grads((a: tf.Tensor) => bindLoss({ zCxr: a as tf.Tensor2D, tCxr: t, zEcg: ze, tEcg: t, cxrTextIds: ids, ecgTextIds: ids, m }, 0.07)[0])([zc]);
      if (m < n) expect(rowAbs(gAll).slice(m).some((v) => v > 0)).toBe(true);
      tf.dispose([zc, ze, t, gc, ge, gAll]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('carries the paper n/m factor: EMCL of m pairs in a batch of n = the m-row EMCL + 2 log(n/m)', () => {
    const n = 10;
    const m = 4;
    const zc = unitRows(n, 8, 3);
    const ze = unitRows(n, 8, 4);
    const t = unitRows(n, 8, 5);
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    const got = tf.tidy(() => bindLoss({ zCxr: zc, tCxr: t, zEcg: ze, tEcg: t, cxrTextIds: ids, ecgTextIds: ids, m }, 0.07).map((s) => s.dataSync()[0]));
    // Plain-loop Eq. (2) with (n/m) inside the log, both directions, averaged over the m anchors.
    const c = zc.arraySync();
    const e = ze.arraySync();
    const dot = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * b[k], 0);
    const dir = (a: number[][], b: number[][]) => {
      let tot = 0;
      for (let u = 0; u < m; u++) {
        let den = 0;
        for (let q = 0; q < m; q++) den += Math.exp(dot(a[u], b[q]) / 0.07);
        tot += -Math.log(Math.exp(dot(a[u], b[u]) / 0.07) / ((n / m) * den));
      }
      return tot / m;
    };
    expect(got[3]).toBeCloseTo(dir(c, e) + dir(e, c), 3);
    const mOnly = tf.tidy(() => emcl(zc.slice([0, 0], [m, 8]), ze.slice([0, 0], [m, 8]), m, 0.07).dataSync()[0]);
    expect(got[3] - mOnly).toBeCloseTo(2 * Math.log(n / m), 4);
    expect(got[0]).toBeCloseTo(got[1] + got[2] + got[3], 4);
    tf.dispose([zc, ze, t]);
  });
});

describe('pairRetrieval', () => {
  it('counts a hit for any paired item and gives bootstrap intervals around the estimate', () => {
    // 3 CXRs, 2 ECGs; CXR 0 and 1 both pair with ECG 0 (a reused ECG), CXR 2 with ECG 1.
    const d = 2;
    const zc = Float32Array.from([1, 0, 0.9, 0.1, 0, 1]);
    const ze = Float32Array.from([0, 1, 1, 0]); // ECG 0 looks like CXR 2, ECG 1 like CXR 0
    const r = pairRetrieval(zc, ze, d, [[0, 0], [1, 0], [2, 1]], { iterations: 200, seed: 1 });
    expect(r.cxrToEcg.n).toBe(3);
    expect(r.cxrToEcg.candidates).toBe(2);
    expect(r.cxrToEcg.recall['R@1'].estimate).toBe(0);
    expect(r.cxrToEcg.recall['R@5'].estimate).toBe(1);
    expect(r.ecgToCxr.n).toBe(2);
    expect(r.ecgToCxr.recall['R@1'].estimate).toBe(0);
    const again = pairRetrieval(zc, ze, d, [[0, 0], [1, 0], [2, 1]], { iterations: 200, seed: 1 });
    expect(again).toEqual(r);
  });
});

/**
 * A planted link: ECG features x, CXR features A x + noise for a fixed random matrix A, texts by
 * one of 4 categories; the heads start random, so CXR -> ECG retrieval starts near chance.
 */
function plantedProblem(nTrain: number, nVal: number) {
  const dc = 12;
  const de = 10;
  const dt = 8;
  const dEmb = 8;
  const A = randn(dc * de, 77, 1 / Math.sqrt(de));
  const textFeats = randn(4 * dt, 78);
  const make = (n: number, seed: number) => {
    const x = randn(n * de, seed);
    const c = new Float32Array(n * dc);
    const noise = randn(n * dc, seed + 1, 0.05);
    for (let i = 0; i < n; i++) for (let r = 0; r < dc; r++) {
      let s = 0;
      for (let k = 0; k < de; k++) s += A[r * de + k] * x[i * de + k];
      c[i * dc + r] = s + noise[i * dc + r];
    }
    const text = Int32Array.from({ length: n }, (_, i) => i % 4);
    return { cxrFeats: c, ecgFeats: x, cxrText: text, ecgText: text, pairs: Array.from({ length: n }, (_, i) => [i, i] as [number, number]) };
  };
  const data: BindData = { featDim: { cxr: dc, ecg: de, text: dt }, textFeats, train: make(nTrain, 1), val: make(nVal, 2) };
  const initial: ParamArrays = {};
  for (const [m, d, seed] of [['cxr', dc, 11], ['ecg', de, 12], ['text', dt, 13]] as const) {
    initial[`${m}/head/w`] = { shape: [d, dEmb], values: randn(d * dEmb, seed, 0.3) };
    initial[`${m}/head/b`] = { shape: [dEmb], values: new Float32Array(dEmb) };
  }
  return { data, initial };
}

const settings = (over: Partial<BindSettings> = {}): BindSettings => ({ epochs: 30, batchSize: 32, learningRate: 0.02, weightDecay: 0, tau: 0.07, patience: 0, seed: 5, ...over });
const hashAll = async (p: ParamArrays) => Promise.all(Object.keys(p).sort().map((k) => sha256Hex(new Uint8Array(p[k].values.buffer.slice(0)))));

describe('bindHeads', () => {
  it('learns a planted CXR-ECG link: held-out R@10 rises far above its start; the base values stay untouched; no tensor leaks', async () => {
    const { data, initial } = plantedProblem(256, 64);
    const hashes = await hashAll(initial);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const res = await bindHeads(initial, data, settings(), new TrainGate(), (e) => e.epoch > 0 && counts.push(tf.memory().numTensors));
    expect(tf.memory().numTensors).toBe(before);
    expect(new Set(counts).size).toBe(1);
    expect(await hashAll(initial)).toEqual(hashes);
    expect(res.status).toBe('done');
    const start = res.history[0].valCxrToEcg['R@10'];
    const best = res.history[res.bestEpoch].valCxrToEcg['R@10'];
    expect(start).toBeLessThan(0.45); // 10 of 64 candidates: chance is ~0.16
    expect(best).toBeGreaterThan(0.85);
    expect(best - start).toBeGreaterThan(0.4);
    expect(res.history[res.bestEpoch].valEcgToCxr['R@10']).toBeGreaterThan(0.8);
    expect(Object.keys(res.params).sort()).toEqual(['cxr/head/b', 'cxr/head/w', 'ecg/head/b', 'ecg/head/w', 'text/head/b', 'text/head/w']);
    expect(res.history[1].emcl).toBeGreaterThan(res.history[res.history.length - 1].emcl);
  }, 60_000);

  it('is deterministic for a seed, stops early, and cancels without leaking or returning parameters', async () => {
    const { data, initial } = plantedProblem(48, 16);
    const a = await bindHeads(initial, data, settings({ epochs: 3 }), new TrainGate());
    const b = await bindHeads(initial, data, settings({ epochs: 3 }), new TrainGate());
    expect(Array.from(a.params['cxr/head/w'].values)).toEqual(Array.from(b.params['cxr/head/w'].values));
    const stopped = await bindHeads(initial, data, settings({ epochs: 40, learningRate: 1e-9, patience: 2 }), new TrainGate());
    expect(stopped.status).toBe('early-stopped');
    expect(stopped.history).toHaveLength(3);
    expect(stopped.bestEpoch).toBe(0);
    const before = tf.memory().numTensors;
    const gate = new TrainGate();
    const c = await bindHeads(initial, data, settings({ epochs: 50 }), gate, (e) => e.epoch === 2 && gate.cancel());
    expect(c.status).toBe('cancelled');
    expect(c.params).toEqual({});
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('refuses inconsistent inputs', async () => {
    const { data, initial } = plantedProblem(8, 4);
    await expect(bindHeads(initial, { ...data, val: { ...data.val, pairs: [[0, 99]] } }, settings(), new TrainGate())).rejects.toThrow(/pair \[0, 99\]/);
    await expect(bindHeads(initial, { ...data, train: { ...data.train, pairs: [[0, 0]] } }, settings(), new TrainGate())).rejects.toThrow(/at least 2 training pairs/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tinyBatch, tinyConfig, tinyTokenizer } from '../testing/tiny';
import { createTrainer, type TrainBatch } from '../train';
import { localReplica } from './local';
import { Replica, VECTOR_KEYS } from './replica';
import { paramShapes, paramValues, parallelTrainStep, shardBatch, splitRows } from './step';

beforeAll(async () => {
  await initBackend('wasm');
});

function maxDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  let m = 0;
  for (const k of Object.keys(a)) for (let i = 0; i < a[k].length; i++) m = Math.max(m, Math.abs(a[k][i] - b[k][i]));
  return m;
}

/** 10 CXRs, 10 ECGs, 7 pairs (so the pairs span both shards). */
function batch(c: ReturnType<typeof tinyConfig>): TrainBatch {
  return { ...tinyBatch(c, 10, 5), paired: 7 };
}

async function setup(seed: number, variant: 'BD' | 'NM', augment: boolean) {
  const c = tinyConfig();
  c.train.variant = variant;
  const single = createTrainer(c, seed, tinyTokenizer(), { augment });
  const master = createTrainer(c, seed, tinyTokenizer());
  const values = await paramValues(master.params);
  const shapes = paramShapes(master.params);
  const replicas = [0, 1].map(() => localReplica(new Replica(master.config, values, shapes)));
  return { c, single, master, replicas };
}

describe('parallelTrainStep (gradient cache over 2 replicas)', () => {
  it('splits rows contiguously and covers every row once', () => {
    expect(splitRows(10, 2)).toEqual([[0, 5], [5, 10]]);
    expect(splitRows(3, 2)).toEqual([[0, 1], [1, 3]]);
    expect(splitRows(0, 2)).toEqual([[0, 0], [0, 0]]);
  });

  it('BD with paired rows: same loss and the same AdamW update as trainStep, over two steps', async () => {
    const before = tf.memory().numTensors;
    const { c, single, master, replicas } = await setup(7, 'BD', false);
    const b = batch(c);
    for (let s = 0; s < 2; s++) {
      const ref = await single.trainStep(b);
      const par = await parallelTrainStep(master, replicas, b, false);
      expect(par.emcl).toBeGreaterThan(0);
      expect(par.step).toBe(ref.step);
      expect(par.lr).toBe(ref.lr);
      expect(par.total).toBeCloseTo(ref.total, 5);
      expect(par.tmclCxr).toBeCloseTo(ref.tmclCxr, 5);
      expect(par.tmclEcg).toBeCloseTo(ref.tmclEcg, 5);
      expect(par.emcl).toBeCloseTo(ref.emcl, 5);
      const a = await paramValues(single.params);
      const m = await paramValues(master.params);
      // The update moved the parameters by ~lr per element; the two paths agree far below that.
      expect(maxDiff(a, m)).toBeLessThan(1e-5);
    }
    // The replicas hold the master's new values.
    const shard = shardBatch(master, b, 1)[0];
    const fresh = new Replica(master.config, await paramValues(master.params), paramShapes(master.params));
    const want = await fresh.forward(shard);
    fresh.dispose();
    for (const r of replicas) {
      const got = await r.forward(shard);
      for (const k of VECTOR_KEYS) expect(Array.from(got[k])).toEqual(Array.from(want[k]));
    }
    single.dispose();
    master.dispose();
    await Promise.all(replicas.map((r) => r.dispose()));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with augmentation the shards see exactly the augmented batch of trainStep', async () => {
    const { c, single, master, replicas } = await setup(3, 'BD', true);
    const b = batch(c);
    const ref = await single.trainStep(b);
    const par = await parallelTrainStep(master, replicas, b, true);
    expect(par.total).toBeCloseTo(ref.total, 5);
    expect(maxDiff(await paramValues(single.params), await paramValues(master.params))).toBeLessThan(1e-5);
    single.dispose();
    master.dispose();
  });

  it('NM and an unequal CXR/ECG split: loss matches and EMCL is 0', async () => {
    const { c, single, master, replicas } = await setup(1, 'NM', false);
    const full = tinyBatch(c, 9, 2);
    const ecgLen = c.ecg.leads.length * c.ecg.nSamples;
    const b: TrainBatch = { cxr: full.cxr, ecg: { signals: full.ecg.signals.slice(0, 5 * ecgLen), n: 5, texts: full.ecg.texts.slice(0, 5) }, paired: 0 };
    const ref = await single.trainStep(b);
    const par = await parallelTrainStep(master, replicas, b, false);
    expect(par.emcl).toBe(0);
    expect(par.total).toBeCloseTo(ref.total, 5);
    expect(maxDiff(await paramValues(single.params), await paramValues(master.params))).toBeLessThan(1e-5);
    single.dispose();
    master.dispose();
  });
});

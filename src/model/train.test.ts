import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { lrAt } from './optimizer';
import { tinyBatch, tinyConfig, tinyTokenizer } from './testing/tiny';
import { createTrainer } from './train';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('createTrainer on wasm', () => {
  it('runs full steps (all encoders, TMCL + EMCL, AdamW) and the loss decreases', async () => {
    const before = tf.memory().numTensors;
    const c = tinyConfig();
    const trainer = createTrainer(c, 7, tinyTokenizer());
    const batch = tinyBatch(c, 8, 1);
    const first = await trainer.trainStep(batch);
    expect(first.emcl).toBeGreaterThan(0);
    expect(first.tmclCxr).toBeGreaterThan(0);
    expect(first.tmclEcg).toBeGreaterThan(0);
    const mid = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 40; i++) last = await trainer.trainStep(batch);
    expect(tf.memory().numTensors).toBe(mid);
    expect(last.total).toBeLessThan(first.total * 0.8);
    expect(trainer.step).toBe(41);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed and resumes exactly from exported state', async () => {
    const c = tinyConfig();
    const batch = tinyBatch(c, 8, 2);
    const a = createTrainer(c, 3, tinyTokenizer());
    const b = createTrainer(c, 3, tinyTokenizer());
    await a.trainStep(batch);
    await b.trainStep(batch);
    const state = await a.exportState();
    const la = await a.trainStep(batch);
    const r = createTrainer(c, 99, tinyTokenizer());
    r.importState(state);
    const lr = await r.trainStep(batch);
    const lb = await b.trainStep(batch);
    expect(lb.total).toBeCloseTo(la.total, 5);
    expect(lr.total).toBeCloseTo(la.total, 5);
    [a, b, r].forEach((t) => t.dispose());
  });

  it('variant NM drops EMCL', async () => {
    const c = tinyConfig();
    c.train.variant = 'NM';
    const t = createTrainer(c, 1, tinyTokenizer());
    const parts = await t.evalLoss(tinyBatch(c, 8, 3));
    expect(parts.emcl).toBe(0);
    expect(parts.total).toBeCloseTo(parts.tmclCxr + parts.tmclEcg, 4);
    t.dispose();
  });
});

describe('lrAt', () => {
  it('warms up linearly, peaks, then follows a cosine to minLrFrac', () => {
    const s = { peakLr: 1e-3, warmupSteps: 10, totalSteps: 110, minLrFrac: 0.1 };
    expect(lrAt(0, s)).toBeCloseTo(1e-4, 8);
    expect(lrAt(9, s)).toBeCloseTo(1e-3, 8);
    expect(lrAt(60, s)).toBeCloseTo(1e-4 + 0.5 * 9e-4, 8);
    expect(lrAt(110, s)).toBeCloseTo(1e-4, 8);
    expect(lrAt(500, s)).toBeCloseTo(1e-4, 8);
  });
});

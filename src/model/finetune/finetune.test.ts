import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cxrForward } from '../encoders/cxr';
import { ecgForward } from '../encoders/ecg';
import { createParams, disposeParams } from '../params';
import { makeNormal, makeRng } from '../rng';
import { tinyConfig } from '../testing/tiny';
import { clsFeatures, featureDim, projectFeatures } from './features';
import { TrainGate } from './gate';
import { makeHead } from './head';
import { finetuneHead, type FinetuneData, type FinetuneSettings, type TrainableHead } from './trainer';

function randn(n: number, seed: number, scale = 1): Float32Array {
  const g = makeNormal(makeRng(seed));
  return Float32Array.from({ length: n }, () => g() * scale);
}

/** Two-class features whose class is carried by feature 0's sign; the head starts on a useless direction. */
function toyProblem(nTrain: number, nVal: number, featDim = 6, embedDim = 4) {
  const make = (n: number, seed: number) => {
    const x = randn(n * featDim, seed, 0.3);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i * featDim] = y[i] ? 1 : -1;
    }
    return { x, y };
  };
  const tr = make(nTrain, 1);
  const va = make(nVal, 2);
  const classText = new Float32Array(2 * embedDim);
  classText[0] = 1; // class 0 -> e0
  classText[embedDim + 1] = 1; // class 1 -> e1
  const data: FinetuneData = {
    trainFeats: tr.x, trainLabels: tr.y, valFeats: va.x, valLabels: va.y, featDim, nClasses: 2, classText, embedDim,
  };
  const head: TrainableHead = {
    initial: {
      'ecg/head/w': { shape: [featDim, embedDim], values: randn(featDim * embedDim, 3, 0.1) },
      'ecg/head/b': { shape: [embedDim], values: new Float32Array(embedDim) },
    },
    embed: (p, f) => projectFeatures(new Map(Object.entries(p)), 'ecg', f),
  };
  return { data, head };
}

const settings = (over: Partial<FinetuneSettings> = {}): FinetuneSettings => ({
  objective: 'prompt-contrastive', epochs: 6, batchSize: 8, learningRate: 0.05, weightDecay: 0.01, tau: 0.07, patience: 0, seed: 7, ...over,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('clsFeatures', () => {
  it('runs the shared encoders up to the CLS feature: the head on it reproduces the full forward', () => {
    const c = tinyConfig();
    const p = createParams(c, 11, ['ecg', 'cxr']);
    try {
      const before = tf.memory().numTensors;
      for (const m of ['ecg', 'cxr'] as const) {
        const len = m === 'ecg' ? 12 * c.ecg.nSamples : c.cxr.sizePx * c.cxr.sizePx;
        const diff = tf.tidy(() => {
          const x = tf.tensor2d(randn(3 * len, 5), [3, len]);
          const full = m === 'ecg' ? ecgForward(p, c, x) : cxrForward(p, c, x);
          const f = clsFeatures(p, c, m, x);
          expect(f.shape).toEqual([3, featureDim(c, m)]);
          return tf.max(tf.abs(tf.sub(projectFeatures(p, m, f), full))).dataSync()[0];
        });
        expect(diff).toBeLessThan(1e-5);
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      disposeParams(p);
    }
  });

  it('the final-norm head starts exactly at the base model', async () => {
    const c = tinyConfig();
    const p = createParams(c, 12, ['ecg']);
    // give the final LayerNorm non-trivial gains so the inversion is exercised
    p.get('ecg/tf/lnf/g')!.assign(tf.tensor1d(randn(c.ecg.dim, 9, 0.2)).add(1));
    p.get('ecg/tf/lnf/b')!.assign(tf.tensor1d(randn(c.ecg.dim, 10, 0.2)));
    try {
      const head = await makeHead(p, 'ecg', 'projection+final-norm');
      expect(Object.keys(head.initial).sort()).toEqual(['ecg/head/b', 'ecg/head/w', 'ecg/tf/lnf/b', 'ecg/tf/lnf/g']);
      const diff = tf.tidy(() => {
        const x = tf.tensor2d(randn(2 * 12 * c.ecg.nSamples, 6), [2, 12 * c.ecg.nSamples]);
        const vars: Record<string, tf.Tensor> = {};
        for (const [k, a] of Object.entries(head.initial)) vars[k] = tf.tensor(a.values, a.shape);
        const z = head.embed(vars, clsFeatures(p, c, 'ecg', x));
        return tf.max(tf.abs(tf.sub(z, ecgForward(p, c, x)))).dataSync()[0];
      });
      expect(diff).toBeLessThan(1e-4);
    } finally {
      disposeParams(p);
    }
  });
});

describe('finetuneHead', () => {
  it('learns a separable problem and keeps the tensor count flat across epochs and after the run', async () => {
    const { data, head } = toyProblem(32, 16);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const res = await finetuneHead(head, data, settings(), new TrainGate(), (m) => {
      if (m.epoch >= 1) counts.push(tf.memory().numTensors);
    });
    expect(res.status).toBe('done');
    expect(res.history).toHaveLength(7);
    expect(counts).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(res.bestValBalancedAccuracy).toBeGreaterThan(res.history[0].valBalancedAccuracy);
    expect(res.bestValBalancedAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(Object.keys(res.params).sort()).toEqual(['ecg/head/b', 'ecg/head/w']);
    expect(res.history[1].loss).toBeGreaterThan(res.history[res.history.length - 1].loss);
  });

  it('cross-entropy objective returns a classifier and frees everything', async () => {
    const { data, head } = toyProblem(16, 8);
    const before = tf.memory().numTensors;
    const res = await finetuneHead(head, data, settings({ objective: 'cross-entropy', epochs: 3 }), new TrainGate());
    expect(res.classifier['classifier/w'].shape).toEqual([2, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed', async () => {
    const a = toyProblem(16, 8);
    const r1 = await finetuneHead(a.head, a.data, settings({ epochs: 2 }), new TrainGate());
    const r2 = await finetuneHead(a.head, a.data, settings({ epochs: 2 }), new TrainGate());
    expect(Array.from(r1.params['ecg/head/w'].values)).toEqual(Array.from(r2.params['ecg/head/w'].values));
  });

  it('cancelling mid-run frees every tensor and returns no parameters', async () => {
    const { data, head } = toyProblem(32, 8);
    const before = tf.memory().numTensors;
    const gate = new TrainGate();
    const res = await finetuneHead(head, data, settings({ epochs: 50 }), gate, (m) => {
      if (m.epoch === 2) gate.cancel();
    });
    expect(res.status).toBe('cancelled');
    expect(res.history).toHaveLength(3);
    expect(res.params).toEqual({});
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pauses, resumes, and cancels while paused', async () => {
    const { data, head } = toyProblem(16, 8);
    const before = tf.memory().numTensors;
    const gate = new TrainGate();
    let pausedAt = -1;
    const run = finetuneHead(head, data, settings({ epochs: 4 }), gate, (m) => {
      if (m.epoch === 1) {
        gate.pause();
        pausedAt = m.epoch;
      }
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(gate.state).toBe('paused');
    expect(pausedAt).toBe(1);
    gate.resume();
    expect((await run).status).toBe('done');

    const gate2 = new TrainGate();
    const run2 = finetuneHead(head, data, settings({ epochs: 4 }), gate2, (m) => m.epoch === 1 && gate2.pause());
    await new Promise((r) => setTimeout(r, 50));
    gate2.cancel();
    expect((await run2).status).toBe('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early when validation stops improving and returns the best epoch', async () => {
    const { data, head } = toyProblem(16, 8);
    const res = await finetuneHead(head, data, settings({ epochs: 20, learningRate: 1e-9, patience: 2 }), new TrainGate());
    expect(res.status).toBe('early-stopped');
    expect(res.history).toHaveLength(3);
    expect(res.bestEpoch).toBe(0);
  });

  it('refuses inconsistent inputs without leaking', async () => {
    const { data, head } = toyProblem(8, 4);
    const before = tf.memory().numTensors;
    await expect(finetuneHead(head, { ...data, trainLabels: new Int32Array(8).fill(5) }, settings(), new TrainGate())).rejects.toThrow(/label 5/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { defaultConfig, type TrainConfig } from './config';
import { registerTrainingKernels, restoreStockKernels } from './kernels';
import { ADAMW_UPDATE } from './kernels/adamw-update';
import { AdamW, type AdamWState } from './optimizer';
import type { ParamMap, ParamSpec } from './params';
import { makeNormal, makeRng } from './rng';

const specs: ParamSpec[] = [
  { name: 'a/w', shape: [7, 5], init: 'normal', decay: true },
  { name: 'a/b', shape: [5], init: 'zeros', decay: false },
  { name: 'emb', shape: [3, 4, 6], init: 'normal', decay: true },
  { name: 'unused', shape: [2], init: 'zeros', decay: false }, // never given a gradient
];

function randn(size: number, seed: number, scale = 1): Float32Array {
  const normal = makeNormal(makeRng(seed));
  return Float32Array.from({ length: size }, () => normal() * scale);
}

/** Runs `steps` AdamW updates from fixed weights and gradients; returns the weights and optimizer state. */
async function run(config: TrainConfig, steps: number): Promise<{ params: Record<string, Float32Array>; state: AdamWState }> {
  const params: ParamMap = new Map();
  tf.tidy(() => specs.forEach((s, i) => params.set(s.name, tf.variable(tf.tensor(randn(s.shape.reduce((p, d) => p * d, 1), 10 + i), s.shape))))); // variables outlive the tidy
  const opt = new AdamW(params, specs, config);
  for (let t = 0; t < steps; t++) {
    const grads = tf.tidy(() => {
      const g: Record<string, tf.Tensor> = {};
      for (const [i, s] of specs.slice(0, 3).entries()) {
        // Gradients of mixed scales, some exactly zero (v stays 0 there: epsilon decides the step).
        const values = randn(s.shape.reduce((p, d) => p * d, 1), 100 * t + i, 10 ** (i - 1)).map((x, j) => (j % 5 === 0 ? 0 : x));
        g[s.name] = tf.tensor(values, s.shape);
      }
      return g;
    });
    opt.apply(grads, 1e-3 * (t + 1));
    for (const g of Object.values(grads)) g.dispose();
  }
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of params) out[k] = Float32Array.from(await v.data());
  const state = await opt.exportState();
  opt.dispose();
  for (const v of params.values()) v.dispose();
  return { params: out, state };
}

function maxAbsDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  let m = 0;
  for (const k of Object.keys(a)) for (let i = 0; i < a[k].length; i++) m = Math.max(m, Math.abs(a[k][i] - b[k][i]));
  return m;
}

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

describe('AdamW as one kernel per parameter', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`matches the elementwise-ops optimizer over 6 steps on ${backend} (weights, m, v to 1e-6)`, async () => {
      await tf.setBackend(backend);
      const config = { ...defaultConfig().train, weightDecay: 0.05 };
      expect(tf.getKernel(ADAMW_UPDATE, backend)).toBeDefined();
      const before = tf.memory().numTensors;
      const fused = await run(config, 6);
      expect(tf.memory().numTensors).toBe(before);
      restoreStockKernels(backend);
      let ops: Awaited<ReturnType<typeof run>>;
      try {
        expect(tf.getKernel(ADAMW_UPDATE, backend)).toBeUndefined();
        ops = await run(config, 6);
      } finally {
        registerTrainingKernels(backend);
      }
      expect(fused.state.t).toBe(6);
      expect(maxAbsDiff(fused.params, ops.params)).toBeLessThan(1e-6);
      expect(maxAbsDiff(fused.state.m, ops.state.m)).toBeLessThan(1e-6);
      expect(maxAbsDiff(fused.state.v, ops.state.v)).toBeLessThan(1e-6);
      // The update moved the weights (the test can tell a no-op) and left the ungraded one alone.
      const start = randn(35, 10);
      expect(Math.max(...fused.params['a/w'].map((x, i) => Math.abs(x - start[i])))).toBeGreaterThan(1e-3);
      expect(Array.from(fused.params.unused)).toEqual(Array.from(randn(2, 13)));
    });
  }

  it('rejects a gradient of the wrong size, naming the kernel and shapes', async () => {
    await tf.setBackend('wasm');
    const p = tf.tidy(() => tf.variable(tf.zeros([4])));
    const params: ParamMap = new Map([['x', p]]);
    const opt = new AdamW(params, [{ name: 'x', shape: [4], init: 'zeros', decay: false }], defaultConfig().train);
    const g = tf.zeros([5]);
    expect(() => opt.apply({ x: g }, 0.1)).toThrow(/MedbindAdamWUpdate: g \[5\] float32 does not match the parameter \[4\]/);
    g.dispose();
    opt.dispose();
    p.dispose();
  });
});

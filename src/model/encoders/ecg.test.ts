import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { ecgTokens, validateConfig } from '../config';
import { createParams, disposeParams, ecgSpecs } from '../params';
import { tinyConfig as tinyBase } from '../testing/tiny';

/** The tiny test model with the conv1d stem (the default configuration's stem). */
function tinyConfig() {
  const c = tinyBase();
  c.ecg = { ...c.ecg, stem: 'conv1d', convChannels: [8, 16], convKernels: [5, 3], convPools: [2, 5] };
  return validateConfig(c);
}
import { avgPool, conv1dSame, ecgForward } from './ecg';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('ECG encoder (conv1d stem)', () => {
  it('conv1dSame (im2col + matmul) equals tf.conv1d with same padding, values and gradients', () => {
    const x = tf.randomNormal([2, 20, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
    const w = tf.randomNormal([5, 3, 4], 0, 1, 'float32', 2) as tf.Tensor3D;
    const b = tf.randomNormal([4], 0, 1, 'float32', 3);
    const p = new Map<string, tf.Tensor>([['c/w', w], ['c/b', b]]);
    const ours = conv1dSame(p, 'c', x);
    const ref = tf.add(tf.conv1d(x, w, 1, 'same'), b);
    expect(ours.shape).toEqual([2, 20, 4]);
    expect(tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0]).toBeLessThan(1e-4);
    const gOurs = tf.grad((ww: tf.Tensor) => tf.sum(tf.square(conv1dSame(new Map([['c/w', ww], ['c/b', b]]), 'c', x))))(w);
    const gRef = tf.grad((ww: tf.Tensor) => tf.sum(tf.square(tf.add(tf.conv1d(x, ww as tf.Tensor3D, 1, 'same'), b))))(w);
    expect(tf.max(tf.abs(tf.sub(gOurs, gRef))).dataSync()[0]).toBeLessThan(1e-3);
  });

  it('average pooling keeps the mean of each window', () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6], [1, 6, 1]);
    expect(Array.from(avgPool(x, 2).dataSync())).toEqual([1.5, 3.5, 5.5]);
    expect(Array.from(avgPool(x, 3).dataSync())).toEqual([2, 5]);
  });

  it('maps [n, 12, nSamples] to unit-norm embeddings through nSamples / prod(pools) tokens', () => {
    const c = tinyConfig();
    expect(c.ecg.stem).toBe('conv1d');
    expect(ecgTokens(c.ecg)).toBe(10);
    expect(ecgSpecs(c).find((s) => s.name === 'ecg/pos')?.shape).toEqual([11, c.ecg.dim]);
    const params = createParams(c, 1, ['ecg']);
    const x = tf.randomNormal([3, 12, c.ecg.nSamples], 0, 1, 'float32', 4);
    const z = ecgForward(params, c, x);
    expect(z.shape).toEqual([3, c.embedDim]);
    const norms = tf.sqrt(tf.sum(tf.square(z), 1)).dataSync();
    for (const v of norms) expect(v).toBeCloseTo(1, 4);
    disposeParams(params);
  });

  it('rejects conv configurations that cannot build a model', () => {
    const c = tinyConfig();
    expect(() => validateConfig({ ...c, ecg: { ...c.ecg, convPools: [3, 5] } })).toThrow(/product of convPools/);
    expect(() => validateConfig({ ...c, ecg: { ...c.ecg, convKernels: [4, 3] } })).toThrow(/odd/);
    expect(() => validateConfig({ ...c, ecg: { ...c.ecg, convChannels: [8] } })).toThrow(/one entry per stage/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { makeNormal, makeRng } from '../rng';
import { registerTrainingKernels, restoreStockKernels, trainingKernelsRegistered } from './index';

function randn(size: number, seed: number): Float32Array {
  const normal = makeNormal(makeRng(seed));
  return Float32Array.from({ length: size }, () => normal());
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Runs fn on a backend and returns its output values; asserts no tensor is left behind. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(fn);
  const v = Float32Array.from(await out.data());
  out.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return v;
}

async function stockCpu(fn: () => tf.Tensor): Promise<Float32Array> {
  restoreStockKernels('cpu');
  try {
    return await on('cpu', fn);
  } finally {
    registerTrainingKernels('cpu');
  }
}

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

describe('registration', () => {
  it('initBackend registers the training kernels', () => {
    expect(trainingKernelsRegistered('wasm').sort()).toEqual(['BatchMatMul', 'Conv2DBackpropFilter', 'UnsortedSegmentSum']);
    expect(trainingKernelsRegistered('cpu').sort()).toEqual(['Conv2DBackpropFilter', 'UnsortedSegmentSum']);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });
});

describe('UnsortedSegmentSum', () => {
  const cases = [
    { xShape: [50, 7], numSegments: 11 },
    { xShape: [20, 3, 4], numSegments: 5 },
  ];
  for (const { xShape, numSegments } of cases) {
    it(`matches the stock cpu kernel for x ${xShape.join('x')}`, async () => {
      const size = xShape.reduce((a, b) => a * b, 1);
      const x = randn(size, 1);
      const rng = makeRng(2);
      const ids = Int32Array.from({ length: xShape[0] }, () => Math.floor(rng() * numSegments));
      const fn = () => tf.unsortedSegmentSum(tf.tensor(x, xShape), tf.tensor1d(ids, 'int32'), numSegments);
      const ref = await stockCpu(fn);
      expect(maxAbsDiff(await on('cpu', fn), ref)).toBeLessThan(1e-4);
      expect(maxAbsDiff(await on('wasm', fn), ref)).toBeLessThan(1e-4);
    });
  }

  it('gives the embedding gradient of tf.gather on wasm', async () => {
    const table = randn(30 * 6, 3);
    const ids = Int32Array.from([0, 3, 3, 29, 7, 0, 0, 12]);
    const fn = () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(ids, 'int32')), tf.range(0, 48).reshape([8, 6]))))(tf.tensor2d(table, [30, 6]));
    const ref = await stockCpu(fn);
    expect(maxAbsDiff(await on('wasm', fn), ref)).toBeLessThan(1e-4);
    expect(ref[0 * 6 + 0]).toBeGreaterThan(0); // id 0 appears three times: its rows of the weights summed
  });
});

describe('Conv2DBackpropFilter (im2col + matmul)', () => {
  const cases: { x: [number, number, number, number]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid' | number }[] = [
    { x: [2, 9, 9, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
    { x: [3, 11, 8, 2], f: [3, 2, 2, 5], stride: 2, pad: 'valid' },
    { x: [1, 10, 10, 4], f: [5, 5, 4, 3], stride: 2, pad: 1 },
  ];
  for (const c of cases) {
    it(`matches stock cpu for x ${c.x.join('x')} filter ${c.f.join('x')} stride ${c.stride} pad ${c.pad}`, async () => {
      const x = randn(c.x.reduce((a, b) => a * b, 1), 4);
      const w = randn(c.f.reduce((a, b) => a * b, 1), 5);
      const fn = () =>
        tf.grad((filt: tf.Tensor) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(x, c.x), filt as tf.Tensor4D, c.stride, c.pad))))(tf.tensor4d(w, c.f));
      const ref = await stockCpu(fn);
      expect(maxAbsDiff(await on('cpu', fn), ref)).toBeLessThan(1e-3 * Math.max(1, Math.max(...ref.map(Math.abs)) / 100));
      expect(maxAbsDiff(await on('wasm', fn), ref)).toBeLessThan(1e-3 * Math.max(1, Math.max(...ref.map(Math.abs)) / 100));
    });
  }
});

describe('wasm BatchMatMul with transpose flags', () => {
  for (const [ta, tb] of [[true, false], [false, true], [true, true]] as const) {
    it(`transposeA=${ta} transposeB=${tb} agrees with cpu`, async () => {
      const a = randn(2 * 5 * 7, 6);
      const b = randn(2 * 7 * 4, 7);
      const fn = () => tf.matMul(tf.tensor3d(a, ta ? [2, 7, 5] : [2, 5, 7]), tf.tensor3d(b, tb ? [2, 4, 7] : [2, 7, 4]), ta, tb);
      expect(maxAbsDiff(await on('wasm', fn), await on('cpu', fn))).toBeLessThan(1e-4);
    });
  }
});

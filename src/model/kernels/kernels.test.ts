import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { makeNormal, makeRng } from '../rng';
import { simdBatchMatMulCalls } from './batch-matmul';
import { concatRunsCalls } from './concat-runs';
import { registerTrainingKernels, restoreStockKernels, trainingKernelsRegistered } from './index';
import { simdMatmulFor } from './simd-matmul';
import { leadingSumCalls } from './sum-leading';
import { transpose2dFor } from './transpose-2d';

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
    expect(trainingKernelsRegistered('wasm').sort()).toEqual(['BatchMatMul', 'Concat', 'Conv2DBackpropFilter', 'GatherV2', 'Identity', 'MedbindAdamWUpdate', 'Slice', 'SplitV', 'Sum', 'UnsortedSegmentSum']);
    expect(trainingKernelsRegistered('cpu').sort()).toEqual(['Conv2DBackpropFilter', 'MedbindAdamWUpdate', 'UnsortedSegmentSum']);
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

describe('SIMD batched matmul (simd-matmul.ts) against a Float64 oracle', () => {
  /** c[t] = a[t] @ (nt ? b[t]^T : b[t]) in Float64. */
  function oracle(a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number, nt: boolean, bBroadcast: boolean): Float64Array {
    const c = new Float64Array(batch * m * n);
    for (let t = 0; t < batch; t++) {
      const bo = bBroadcast ? 0 : t * k * n;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let q = 0; q < k; q++) s += a[t * m * k + i * k + q] * (nt ? b[bo + j * k + q] : b[bo + q * n + j]);
          c[t * m * n + i * n + j] = s;
        }
    }
    return c;
  }
  const cases = [
    { form: 'nn', batch: 3, m: 5, k: 7, n: 4 },
    { form: 'nn', batch: 2, m: 4, k: 3, n: 36 }, // two 16-wide groups + one 4-wide
    { form: 'nn', batch: 4, m: 13, k: 16, n: 16 },
    { form: 'nn', batch: 2, m: 1, k: 1, n: 8 },
    { form: 'nt', batch: 3, m: 5, k: 12, n: 7 }, // 8 + a last 4
    { form: 'nt', batch: 2, m: 6, k: 4, n: 3 },
    { form: 'nt', batch: 4, m: 13, k: 32, n: 13 },
  ] as const;
  for (const c of cases) {
    for (const bBroadcast of [false, true]) {
      it(`${c.form} batch ${c.batch} ${c.m}x${c.k}x${c.n}${bBroadcast ? ', b broadcast' : ''}`, () => {
        const memory = new WebAssembly.Memory({ initial: 1 });
        const kernels = simdMatmulFor(memory);
        expect(kernels).not.toBeNull();
        const aLen = c.batch * c.m * c.k;
        const bLen = (bBroadcast ? 1 : c.batch) * c.k * c.n;
        const cLen = c.batch * c.m * c.n;
        const heap = new Float32Array(memory.buffer);
        const [aOff, bOff, cOff] = [4, 4 + aLen + 1, 4 + aLen + 1 + bLen + 3]; // odd offsets: unaligned rows
        const a = randn(aLen, 10 + c.k);
        const b = randn(bLen, 20 + c.n);
        heap.set(a, aOff);
        heap.set(b, bOff);
        heap.fill(NaN, cOff - 1, cOff + cLen + 1);
        kernels![c.form](aOff * 4, bOff * 4, cOff * 4, c.batch, c.m, c.k, c.n, c.m * c.k * 4, bBroadcast ? 0 : c.k * c.n * 4);
        const want = oracle(a, b, c.batch, c.m, c.k, c.n, c.form === 'nt', bBroadcast);
        expect(maxAbsDiff(heap.subarray(cOff, cOff + cLen), want)).toBeLessThan(1e-4 * Math.sqrt(c.k));
        expect(heap[cOff - 1]).toBeNaN(); // nothing written outside c
        expect(heap[cOff + cLen]).toBeNaN();
      });
    }
  }
});

describe('wasm BatchMatMul with a batch > 1 (the SIMD path)', () => {
  const shapes: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { a: [8, 13, 16], b: [8, 16, 13], ta: false, tb: false }, // scores as q @ k^T materialised (N % 4 != 0: nt form)
    { a: [8, 13, 13], b: [8, 13, 16], ta: false, tb: false }, // attn @ v
    { a: [8, 13, 16], b: [8, 13, 16], ta: false, tb: true }, // q @ k^T
    { a: [8, 13, 13], b: [8, 13, 16], ta: true, tb: false }, // attn^T @ dOut
    { a: [2, 3, 5, 8], b: [8, 20], ta: false, tb: false }, // broadcast b
    { a: [5, 8], b: [3, 8, 12], ta: false, tb: false }, // broadcast a
    { a: [4, 6, 10], b: [4, 10, 6], ta: false, tb: false }, // neither K nor N a multiple of 4: stock kernel
  ];
  for (const s of shapes) {
    it(`a [${s.a}]${s.ta ? '^T' : ''} @ b [${s.b}]${s.tb ? '^T' : ''} equals the stock wasm kernel and cpu`, async () => {
      const av = randn(s.a.reduce((p, d) => p * d, 1), 30);
      const bv = randn(s.b.reduce((p, d) => p * d, 1), 31);
      const fn = () => tf.matMul(tf.tensor(av, s.a), tf.tensor(bv, s.b), s.ta, s.tb);
      const before = simdBatchMatMulCalls();
      const ours = await on('wasm', fn);
      const tiled = s.a.at(-1)! % 4 === 0 || s.b.at(-1)! % 4 === 0;
      expect(simdBatchMatMulCalls() - before).toBe(tiled ? 1 : 0);
      restoreStockKernels('wasm');
      let stock: Float32Array;
      try {
        stock = await on('wasm', fn);
      } finally {
        registerTrainingKernels('wasm');
      }
      expect(maxAbsDiff(ours, stock)).toBeLessThan(1e-4);
      expect(maxAbsDiff(ours, await on('cpu', fn))).toBeLessThan(1e-4);
    });
  }

  it('attention gradients (all four batched products) agree with cpu', async () => {
    const q = randn(6 * 11 * 8, 40);
    const k = randn(6 * 11 * 8, 41);
    const v = randn(6 * 11 * 8, 42);
    const fn = () =>
      tf.tidy(() => {
        const loss = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) => {
          const attn = tf.softmax(tf.matMul(qq as tf.Tensor3D, kk as tf.Tensor3D, false, true));
          return tf.sum(tf.square(tf.matMul(attn, vv as tf.Tensor3D)));
        };
        const g = tf.grads(loss)([tf.tensor3d(q, [6, 11, 8]), tf.tensor3d(k, [6, 11, 8]), tf.tensor3d(v, [6, 11, 8])]);
        return tf.concat(g.map((x) => x.reshape([-1])));
      });
    const before = simdBatchMatMulCalls();
    const ours = await on('wasm', fn);
    expect(simdBatchMatMulCalls() - before).toBeGreaterThanOrEqual(4);
    expect(maxAbsDiff(ours, await on('cpu', fn))).toBeLessThan(1e-3);
  });
});

describe('wasm GatherV2 (row copies)', () => {
  const cases: { x: number[]; ids: number[]; idShape: number[]; axis: number }[] = [
    { x: [30, 6], ids: [0, 3, 3, 29, 7, 0], idShape: [6], axis: 0 },
    { x: [10, 2, 3], ids: [9, 0, 4, 4], idShape: [2, 2], axis: 0 },
    { x: [5, 4], ids: [3, 0, 1], idShape: [3], axis: -2 },
    { x: [5, 4], ids: [3, 0, 1], idShape: [3], axis: 1 }, // not rows: the stock kernel
  ];
  for (const c of cases) {
    it(`x [${c.x}] ids [${c.idShape}] axis ${c.axis} equals the stock wasm kernel and cpu`, async () => {
      const xv = randn(c.x.reduce((p, d) => p * d, 1), 50);
      const fn = () => tf.gather(tf.tensor(xv, c.x), tf.tensor(c.ids, c.idShape, 'int32'), c.axis);
      const ours = await on('wasm', fn);
      restoreStockKernels('wasm');
      let stock: Float32Array;
      try {
        stock = await on('wasm', fn);
      } finally {
        registerTrainingKernels('wasm');
      }
      expect(maxAbsDiff(ours, stock)).toBe(0);
      expect(maxAbsDiff(ours, await on('cpu', fn))).toBe(0);
    });
  }

  it('rejects an index out of range, naming it', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const ids = tf.tensor1d([0, 2], 'int32');
    expect(() => tf.gather(x, ids)).toThrow(/index value 2 is not in \[0, 1\]/);
    tf.dispose([x, ids]);
  });
});

describe('wasm Slice (contiguous runs in the heap)', () => {
  const cases: { x: number[]; begin: number[]; size: number[]; dtype?: 'int32' }[] = [
    { x: [16, 3, 40], begin: [0, 1, 0], size: [16, 1, 40] }, // attention's q/k/v parts
    { x: [4, 5, 6], begin: [1, 2, 3], size: [2, 3, 2] },
    { x: [3, 4, 5, 6, 2], begin: [1, 0, 2, 1, 0], size: [2, 4, 2, 5, 2] }, // rank 5
    { x: [2, 3, 4, 5, 6, 7], begin: [0, 1, 0, 2, 3, 1], size: [2, 2, 4, 1, 3, 5] }, // rank 6
    { x: [10], begin: [3], size: [-1] },
    { x: [7, 9], begin: [2, 4], size: [0, 3] }, // empty
    { x: [5, 6], begin: [1, 0], size: [3, 6], dtype: 'int32' },
  ];
  for (const c of cases) {
    it(`x [${c.x}] begin [${c.begin}] size [${c.size}]${c.dtype ? ' int32' : ''} equals the stock wasm kernel and cpu`, async () => {
      const n = c.x.reduce((p, d) => p * d, 1);
      const xv = c.dtype === 'int32' ? Int32Array.from({ length: n }, (_, i) => i * 7 - 30) : randn(n, 60);
      const fn = () => tf.slice(tf.tensor(xv, c.x, c.dtype ?? 'float32'), c.begin, c.size).toFloat();
      const ours = await on('wasm', fn);
      restoreStockKernels('wasm');
      let stock: Float32Array;
      try {
        stock = await on('wasm', fn);
      } finally {
        registerTrainingKernels('wasm');
      }
      expect(ours.length).toBe(stock.length);
      expect(maxAbsDiff(ours, stock)).toBe(0);
      expect(maxAbsDiff(ours, await on('cpu', fn))).toBe(0);
    });
  }

  it('gives the gradient of a slice (a pad) on wasm as on cpu', async () => {
    const xv = randn(4 * 6 * 5, 61);
    const fn = () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.slice(x, [1, 2, 0], [2, 3, 5]))))(tf.tensor3d(xv, [4, 6, 5]));
    expect(maxAbsDiff(await on('wasm', fn), await on('cpu', fn))).toBeLessThan(1e-5);
  });
});

describe('wasm SplitV (one run-copying slice per part)', () => {
  const cases: { x: number[]; split: number | number[]; axis: number }[] = [
    { x: [6, 9], split: 3, axis: 1 },
    { x: [4, 10, 3], split: [2, -1, 5], axis: 1 },
    { x: [2, 5, 3, 4], split: [1, 0, 1], axis: 0 }, // an empty part
    { x: [3, 8, 5], split: 2, axis: -2 },
  ];
  for (const c of cases) {
    it(`x [${c.x}] split ${JSON.stringify(c.split)} axis ${c.axis} equals the stock wasm kernel and cpu`, async () => {
      const xv = randn(c.x.reduce((p, d) => p * d, 1), 70);
      const fn = () => tf.concat(tf.split(tf.tensor(xv, c.x), c.split, c.axis).map((t, i) => tf.add(t.reshape([-1]), i * 100)));
      const ours = await on('wasm', fn);
      restoreStockKernels('wasm');
      let stock: Float32Array;
      try {
        stock = await on('wasm', fn);
      } finally {
        registerTrainingKernels('wasm');
      }
      expect(maxAbsDiff(ours, stock)).toBe(0);
      expect(maxAbsDiff(ours, await on('cpu', fn))).toBe(0);
    });
  }

  it('gives the gradient of a concat (a split) on wasm as on cpu', async () => {
    const a = randn(2 * 7 * 3, 71);
    const b = randn(2 * 7 * 5, 72);
    const fn = () => {
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.concat([x, y], 2))))([tf.tensor3d(a, [2, 7, 3]), tf.tensor3d(b, [2, 7, 5])]);
      return tf.concat(g.map((t) => t.reshape([-1])));
    };
    expect(maxAbsDiff(await on('wasm', fn), await on('cpu', fn))).toBeLessThan(1e-5);
  });
});

async function stockWasm(fn: () => tf.Tensor): Promise<Float32Array> {
  restoreStockKernels('wasm');
  try {
    return await on('wasm', fn);
  } finally {
    registerTrainingKernels('wasm');
  }
}

describe('wasm Sum over leading axes (SIMD column sums)', () => {
  const cases: { x: number[]; axis: number | number[]; keepDims?: boolean; simd: boolean }[] = [
    { x: [37, 20], axis: 0, simd: true }, // 16 + 4 columns
    { x: [3, 11, 64], axis: [0, 1], simd: true },
    { x: [4, 5, 6, 8], axis: [1, 0, -2], keepDims: true, simd: true },
    { x: [1, 4], axis: 0, simd: true },
    { x: [9, 6], axis: 0, simd: false }, // 6 columns: stock kernel
    { x: [5, 8], axis: 1, simd: false }, // innermost: stock kernel
    { x: [5, 8], axis: [0, 1], simd: false }, // everything: stock kernel
    { x: [4, 6, 8], axis: [0, 2], simd: false }, // not leading: stock kernel
  ];
  for (const c of cases) {
    it(`x [${c.x}] axis ${JSON.stringify(c.axis)}${c.keepDims ? ' keepDims' : ''} equals the stock wasm kernel and cpu`, async () => {
      const xv = randn(c.x.reduce((p, d) => p * d, 1), 80);
      const fn = () => tf.sum(tf.tensor(xv, c.x), c.axis, c.keepDims ?? false);
      const before = leadingSumCalls();
      const ours = await on('wasm', fn);
      expect(leadingSumCalls() - before).toBe(c.simd ? 1 : 0);
      const shape = tf.tidy(() => fn().shape);
      const cpuShape = (await tf.setBackend('cpu'), tf.tidy(() => fn().shape));
      expect(shape).toEqual(cpuShape);
      expect(maxAbsDiff(ours, await stockWasm(fn))).toBeLessThan(1e-5);
      expect(maxAbsDiff(ours, await on('cpu', fn))).toBeLessThan(1e-5);
    });
  }

  it('gives the bias gradient of a dense layer on wasm as on cpu and the stock wasm kernel', async () => {
    const xv = randn(3 * 50 * 24, 81);
    const wv = randn(24 * 36, 82);
    const bv = randn(36, 83);
    const fn = () => {
      const g = tf.grads((w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.add(tf.matMul(tf.tensor2d(xv, [150, 24]), w), b))))([tf.tensor2d(wv, [24, 36]), tf.tensor1d(bv)]);
      return tf.concat(g.map((t) => t.reshape([-1])));
    };
    const ours = await on('wasm', fn);
    expect(maxAbsDiff(ours, await stockWasm(fn))).toBeLessThan(1e-3);
    expect(maxAbsDiff(ours, await on('cpu', fn))).toBeLessThan(1e-3);
  });
});

describe('wasm Identity (a shared reference)', () => {
  it('a clone reads the same values and outlives its source', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(randn(12, 90), [3, 4]);
    const want = Float32Array.from(await x.data());
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(await y.data())).toEqual(Array.from(want));
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of a small network (every saved tensor an Identity) agree with cpu and the stock wasm kernel', async () => {
    const xv = randn(6 * 10, 91);
    const wv = randn(10 * 8, 92);
    const fn = () => {
      const g = tf.grads((w: tf.Tensor, x: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(tf.matMul(x, w)), tf.exp(tf.tanh(x)).sum(1, true))))([tf.tensor2d(wv, [10, 8]), tf.tensor2d(xv, [6, 10])]);
      return tf.concat(g.map((t) => t.reshape([-1])));
    };
    const ours = await on('wasm', fn);
    expect(maxAbsDiff(ours, await stockWasm(fn))).toBeLessThan(1e-5);
    expect(maxAbsDiff(ours, await on('cpu', fn))).toBeLessThan(1e-4);
  });
});

describe('wasm Concat (a copy loop over the heap)', () => {
  const cases: { shapes: number[][]; axis: number; dtype?: 'int32'; ours: boolean }[] = [
    { shapes: [[4, 10, 3], [4, 10, 3], [4, 10, 3]], axis: -1, ours: true }, // the im2col form: short runs
    { shapes: [[2, 3, 70], [2, 5, 70]], axis: 1, ours: true }, // long runs: copyWithin
    { shapes: [[3, 4], [5, 4], [1, 4]], axis: 0, ours: true },
    { shapes: [[2, 3, 4], [2, 0, 4], [2, 2, 4]], axis: 1, ours: true }, // an empty input
    { shapes: [[3, 2, 2], [3, 2, 5]], axis: 2, dtype: 'int32', ours: true },
    { shapes: [[3, 4]], axis: 0, ours: false }, // a lone input: stock kernel
  ];
  for (const c of cases) {
    it(`[${c.shapes.map((s) => `[${s}]`).join(', ')}] axis ${c.axis}${c.dtype ? ' int32' : ''} equals the stock wasm kernel and cpu`, async () => {
      const values = c.shapes.map((s, i) => randn(s.reduce((p, d) => p * d, 1), 100 + i).map((x) => (c.dtype ? Math.round(x * 100) : x)));
      const fn = () => tf.concat(c.shapes.map((s, i) => tf.tensor(values[i], s, c.dtype ?? 'float32')), c.axis).toFloat();
      const before = concatRunsCalls();
      const ours = await on('wasm', fn);
      expect(concatRunsCalls() - before).toBe(c.ours ? 1 : 0);
      expect(maxAbsDiff(ours, await stockWasm(fn))).toBe(0);
      expect(maxAbsDiff(ours, await on('cpu', fn))).toBe(0);
    });
  }

  it('gives the gradient through a concat on wasm as on cpu', async () => {
    const a = randn(2 * 7 * 3, 110);
    const b = randn(2 * 7 * 5, 111);
    const fn = () => {
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, tf.square(y), x], 2), tf.range(0, 11).reshape([1, 1, 11]))))([tf.tensor3d(a, [2, 7, 3]), tf.tensor3d(b, [2, 7, 5])]);
      return tf.concat(g.map((t) => t.reshape([-1])));
    };
    expect(maxAbsDiff(await on('wasm', fn), await on('cpu', fn))).toBeLessThan(1e-5);
  });
});

describe('banded wasm transpose (transpose-2d.ts)', () => {
  it('transposes against a JS oracle, band remainders included', async () => {
    await tf.setBackend('wasm');
    const be = tf.backend() as unknown as { wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } }; dataIdMap: { get(d: object): { memoryOffset: number } } };
    const k = transpose2dFor((be.wasm.wasmMemory ?? be.wasm.asm?.memory)!);
    expect(k).not.toBeNull();
    for (const [rows, cols] of [[1, 1], [1, 7], [16, 3], [17, 5], [33, 1], [40, 19]]) {
      const xv = randn(rows * cols, rows + cols);
      const x = tf.tensor2d(xv, [rows, cols]);
      const out = tf.zeros([cols, rows]);
      k!.t2d(be.dataIdMap.get(x.dataId).memoryOffset, be.dataIdMap.get(out.dataId).memoryOffset, rows, cols);
      const got = await out.data();
      const want = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[c * rows + r] = xv[r * cols + c];
      expect(Array.from(got)).toEqual(Array.from(want));
      x.dispose();
      out.dispose();
    }
  });

  for (const [ta, tb] of [[true, false], [false, true], [true, true]]) {
    it(`batch-1 and batched products with transposeA=${ta} transposeB=${tb} equal the stock wasm kernel and cpu`, async () => {
      const [m, k, n] = [21, 37, 18];
      const av = randn(3 * m * k, 120);
      const bv = randn(3 * k * n, 121);
      for (const batch of [1, 3]) {
        const fn = () => tf.matMul(tf.tensor(av.subarray(0, batch * m * k), ta ? [batch, k, m] : [batch, m, k]), tf.tensor(bv.subarray(0, batch * k * n), tb ? [batch, n, k] : [batch, k, n]), ta, tb);
        const ours = await on('wasm', fn);
        expect(maxAbsDiff(ours, await stockWasm(fn))).toBeLessThan(1e-4);
        expect(maxAbsDiff(ours, await on('cpu', fn))).toBeLessThan(1e-4);
      }
    });
  }
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { gelu, geluTanh } from './layers';

beforeAll(async () => {
  await initBackend('wasm');
  await initBackend('cpu');
});

/** max |f(x) - g(x)| and of their gradients over x in [-12, 12] on one backend. */
async function geluGap(backend: 'cpu' | 'wasm'): Promise<{ value: number; grad: number; valueOfStock: number }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const xs = tf.linspace(-12, 12, 4801);
  const [value, grad, probe] = tf.tidy(() => {
    const dv = tf.max(tf.abs(tf.sub(gelu(xs), geluTanh(xs))));
    const gOurs = tf.grad((x: tf.Tensor) => tf.sum(gelu(x)))(xs);
    const gStock = tf.grad((x: tf.Tensor) => tf.sum(geluTanh(x)))(xs);
    return [dv, tf.max(tf.abs(tf.sub(gOurs, gStock))), tf.max(tf.abs(geluTanh(xs)))];
  });
  const out = { value: (await value.data())[0], grad: (await grad.data())[0], valueOfStock: (await probe.data())[0] };
  tf.dispose([value, grad, probe, xs]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe('GELU as x * sigmoid(2u)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals the stock tanh form on ${backend}, values and gradients`, async () => {
      const gap = await geluGap(backend);
      expect(gap.valueOfStock).toBeGreaterThan(11); // the range is really covered
      expect(gap.value).toBeLessThan(2e-6 * 12);
      expect(gap.grad).toBeLessThan(1e-5);
    });
  }

  it('has the GELU shape: gelu(0) = 0, gelu(x) -> x for large x, -> 0 for very negative x', async () => {
    await tf.setBackend('cpu');
    const v = tf.tidy(() => gelu(tf.tensor1d([0, 1, 8, -8]))).dataSync();
    expect(v[0]).toBe(0);
    expect(v[1]).toBeCloseTo(0.8412, 4); // tanh-approximate GELU(1)
    expect(v[2]).toBeCloseTo(8, 5);
    expect(Math.abs(v[3])).toBeLessThan(1e-6);
  });
});

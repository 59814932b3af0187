import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { attention, gelu, geluTanh, type AttentionAdapter } from './layers';
import type { Params } from './params';

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

/** The stock formulation: split on the last axis, a transpose per head tensor, k transposed explicitly. */
function attentionStock(p: Params, name: string, x: tf.Tensor3D, heads: number, keyMaskAdd: tf.Tensor | null, adapter?: AttentionAdapter): tf.Tensor3D {
  const [n, T, d] = x.shape;
  const dh = d / heads;
  const lin = (nm: string, v: tf.Tensor2D) => tf.add(tf.matMul(v, p.get(`${nm}/w`) as tf.Tensor2D), p.get(`${nm}/b`)!);
  const [q0, k, v0] = tf.split(lin(`${name}/qkv`, x.reshape([n * T, d])), 3, 1);
  let q = q0;
  let v = v0;
  if (adapter) {
    const delta = adapter(name, x.reshape([n * T, d]) as tf.Tensor2D);
    if (delta.dq) q = tf.add(q, delta.dq);
    if (delta.dv) v = tf.add(v, delta.dv);
  }
  const qh = q.reshape([n, T, heads, dh]).transpose([0, 2, 1, 3]).reshape([n * heads, T, dh]) as tf.Tensor3D;
  const kt = k.reshape([n, T, heads, dh]).transpose([0, 2, 3, 1]).reshape([n * heads, dh, T]) as tf.Tensor3D;
  const vh = v.reshape([n, T, heads, dh]).transpose([0, 2, 1, 3]).reshape([n * heads, T, dh]) as tf.Tensor3D;
  let scores = tf.mul(tf.matMul(qh, kt), 1 / Math.sqrt(dh));
  if (keyMaskAdd) scores = tf.add(scores.reshape([n, heads, T, T]), keyMaskAdd).reshape([n * heads, T, T]);
  const out = tf.matMul(tf.softmax(scores) as tf.Tensor3D, vh);
  const merged = out.reshape([n, heads, T, dh]).transpose([0, 2, 1, 3]).reshape([n * T, d]) as tf.Tensor2D;
  return lin(`${name}/proj`, merged).reshape([n, T, d]) as tf.Tensor3D;
}

describe('attention (one transpose for q, k and v; q k^T without a transpose)', () => {
  const [n, T, d, heads] = [3, 7, 16, 4];
  const params = (): Params =>
    new Map<string, tf.Tensor>([
      ['a/qkv/w', tf.randomNormal([d, 3 * d], 0, 0.3, 'float32', 1)],
      ['a/qkv/b', tf.randomNormal([3 * d], 0, 0.1, 'float32', 2)],
      ['a/proj/w', tf.randomNormal([d, d], 0, 0.3, 'float32', 3)],
      ['a/proj/b', tf.randomNormal([d], 0, 0.1, 'float32', 4)],
    ]);
  const variants: { label: string; mask: boolean; adapter: 'none' | 'q' | 'qv' }[] = [
    { label: 'plain', mask: false, adapter: 'none' },
    { label: 'with a key mask', mask: true, adapter: 'none' },
    { label: 'with a q-only adapter', mask: false, adapter: 'q' },
    { label: 'with a q and v adapter and a mask', mask: true, adapter: 'qv' },
  ];
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const v of variants) {
      it(`equals the stock formulation on ${backend}, ${v.label}: values and gradients`, async () => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const diffs = tf.tidy(() => {
          const p = params();
          const x = tf.randomNormal([n, T, d], 0, 1, 'float32', 5) as tf.Tensor3D;
          const mask = v.mask ? tf.mul(tf.cast(tf.greater(tf.range(0, T).reshape([1, 1, 1, T]), tf.tensor([4, 6, 2]).reshape([n, 1, 1, 1])), 'float32'), -1e9) : null;
          const dq = tf.randomNormal([n * T, d], 0, 0.5, 'float32', 6) as tf.Tensor2D;
          const dvv = tf.randomNormal([n * T, d], 0, 0.5, 'float32', 7) as tf.Tensor2D;
          const adapter: AttentionAdapter | undefined = v.adapter === 'none' ? undefined : () => ({ dq, dv: v.adapter === 'qv' ? dvv : null });
          const weights = tf.randomNormal([n, T, d], 0, 1, 'float32', 8);
          const loss = (f: typeof attention) => (xx: tf.Tensor) => tf.sum(tf.mul(f(p, 'a', xx as tf.Tensor3D, heads, mask, adapter), weights));
          const value = tf.max(tf.abs(tf.sub(attention(p, 'a', x, heads, mask, adapter), attentionStock(p, 'a', x, heads, mask, adapter))));
          const grad = tf.max(tf.abs(tf.sub(tf.grad(loss(attention))(x), tf.grad(loss(attentionStock))(x))));
          const scale = tf.max(tf.abs(attentionStock(p, 'a', x, heads, mask, adapter)));
          return [value, grad, scale].map((t) => t.dataSync()[0]);
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(diffs[2]).toBeGreaterThan(0.1); // a real output
        expect(diffs[0]).toBeLessThan(1e-5);
        expect(diffs[1]).toBeLessThan(1e-4);
      });
    }
  }
});

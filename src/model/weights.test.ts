import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { defaultConfig } from './config';
import { encodersFromParams } from './encoders/runtime';
import { loadEncoders, loadWeights } from './load';
import { createParams } from './params';
import { makeNormal, makeRng } from './rng';
import { tinyConfig, tinyTokenizer } from './testing/tiny';
import { Tokenizer } from './tokenizer';
import type { WeightSource } from './types';
import { encodeWeights, float32ToFloat16Bits } from './weights';

const memorySource = (files: Map<string, Uint8Array>): WeightSource => ({
  async readFile(name) {
    const f = files.get(name);
    if (!f) throw new Error(`no file ${name}`);
    return f;
  },
});
const meta = { version: 'test-1', variant: 'BD' as const, demoPairing: true, trainedOn: ['synthetic'] };

function cosines(a: Float32Array, b: Float32Array, d: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length / d; i++) {
    let ab = 0, aa = 0, bb = 0;
    for (let k = 0; k < d; k++) {
      ab += a[i * d + k] * b[i * d + k];
      aa += a[i * d + k] ** 2;
      bb += b[i * d + k] ** 2;
    }
    out.push(ab / Math.sqrt(aa * bb));
  }
  return out;
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('float32ToFloat16Bits', () => {
  it('agrees with the tfjs float16 decoder', () => {
    const values = Float32Array.from([0, -0, 1, -2.5, 65504, 1e-5, 6.1e-5, 3.14159, 1e6, -1e-9, 0.1]);
    const bits = float32ToFloat16Bits(values);
    const decoded = tf.io.decodeWeights(bits.buffer as ArrayBuffer, [{ name: 'v', shape: [values.length], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } } as tf.io.WeightsManifestEntry]).v;
    const back = decoded.dataSync();
    decoded.dispose();
    expect(back[2]).toBe(1);
    expect(back[3]).toBe(-2.5);
    expect(back[4]).toBe(65504);
    expect(back[8]).toBe(Infinity);
    for (const i of [6, 7, 10]) expect(Math.abs(back[i] - values[i]) / Math.abs(values[i])).toBeLessThan(1e-3);
    expect(Math.abs(back[5] - values[5])).toBeLessThanOrEqual(2 ** -25); // subnormal half: spacing 2^-24
  });
});

describe('weights round trip', () => {
  it('float32 reloads exactly and gives the same embeddings', async () => {
    const c = tinyConfig();
    const tok = tinyTokenizer();
    c.text.vocabSize = tok.vocabSize;
    const params = createParams(c, 1);
    const files = await encodeWeights(params, c, tok, { ...meta, float16: false });
    const w = await loadWeights(memorySource(files));
    for (const [k, v] of params) expect(Array.from(w.params.get(k)!.dataSync())).toEqual(Array.from(v.dataSync()));
    expect(w.manifest.files.map((f) => f.name).sort()).toEqual(['cxr.bin', 'ecg.bin', 'text.bin', 'vocab.json', 'weights.json']);
    for (const t of w.params.values()) t.dispose();
    for (const t of params.values()) t.dispose();
  });

  it('float16 keeps embedding cosine > 0.999 for the default model, and leaks no tensors', async () => {
    const c = defaultConfig();
    const tok = Tokenizer.build(['normal sinus rhythm', 'findings suggesting pneumonia'], { maxWords: 100, minCount: 1, maxVocab: 100 });
    c.text.vocabSize = tok.vocabSize;
    const before = tf.memory().numTensors;
    const params = createParams(c, 2);
    const ref = encodersFromParams(params, c, tok, 'f32', { inferBatch: 2 });
    const half = await loadEncoders(memorySource(await encodeWeights(params, c, tok, { ...meta, float16: true })), { inferBatch: 2 });
    const normal = makeNormal(makeRng(3));
    const px = Float32Array.from({ length: 3 * 224 * 224 }, () => normal());
    const ecg = Float32Array.from({ length: 3 * 12000 }, () => normal() * 0.3);
    const texts = ['normal sinus rhythm', 'findings suggesting pneumonia', 'unknown words here'];
    for (const [a, b] of [
      [await ref.embedCxr(px, 3), await half.embedCxr(px, 3)],
      [await ref.embedEcg(ecg, 3), await half.embedEcg(ecg, 3)],
      [await ref.embedText(texts), await half.embedText(texts)],
    ]) {
      expect(a.n).toBe(3);
      for (const cos of cosines(a.vectors, b.vectors, 256)) expect(cos).toBeGreaterThan(0.999);
    }
    ref.dispose();
    half.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a file whose sha256 does not match, naming it', async () => {
    const c = tinyConfig();
    const tok = tinyTokenizer();
    c.text.vocabSize = tok.vocabSize;
    const params = createParams(c, 1);
    const files = await encodeWeights(params, c, tok, { ...meta, float16: true });
    for (const t of params.values()) t.dispose();
    const bad = Uint8Array.from(files.get('ecg.bin')!);
    bad[3] ^= 1;
    files.set('ecg.bin', bad);
    const before = tf.memory().numTensors;
    await expect(loadEncoders(memorySource(files))).rejects.toThrow(/sha256 mismatch for ecg\.bin/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

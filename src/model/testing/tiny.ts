// A tiny configuration and synthetic batch for fast tests of the real model code (not a stub).
import { defaultConfig, type MedbindConfig } from '../config';
import { makeNormal, makeRng } from '../rng';
import { Tokenizer } from '../tokenizer';

export function tinyConfig(): MedbindConfig {
  const c = defaultConfig();
  c.embedDim = 16;
  c.cxr = { ...c.cxr, sizePx: 32, patchPx: 4, stageDims: [8, 16], depth: 1, heads: 2, mlpRatio: 2 };
  c.ecg = { ...c.ecg, nSamples: 100, stem: 'patch', patchSamples: 10, stemDim: 8, mergeTokens: 2, dim: 16, depth: 1, heads: 2, mlpRatio: 2 };
  c.text = { ...c.text, maxWords: 12, maxTokens: 13, lengthBucket: 4, dim: 16, depth: 1, heads: 2, mlpRatio: 2 };
  c.train = { ...c.train, peakLr: 3e-4, warmupSteps: 5, totalSteps: 200, ecgNoiseStdMv: 0.01, cxrMaxShiftPx: 1 };
  return c;
}

export const TINY_TEXTS = ['normal sinus rhythm', 'left bundle branch block', 'findings suggesting pneumonia', 'no evidence of pneumonia'];

export function tinyTokenizer(): Tokenizer {
  return Tokenizer.build(TINY_TEXTS, { maxWords: 12, minCount: 1, maxVocab: 100 });
}

/** n items whose inputs depend on their class (i % 4), so that the contrastive task is learnable. */
export function tinyBatch(c: MedbindConfig, n: number, seed: number) {
  const normal = makeNormal(makeRng(seed));
  const cxrLen = c.cxr.sizePx * c.cxr.sizePx;
  const ecgLen = c.ecg.leads.length * c.ecg.nSamples;
  const pixels = new Float32Array(n * cxrLen);
  const signals = new Float32Array(n * ecgLen);
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % TINY_TEXTS.length;
    texts.push(TINY_TEXTS[k]);
    for (let j = 0; j < cxrLen; j++) pixels[i * cxrLen + j] = 0.3 * normal() + (Math.floor(j / (cxrLen / 4)) === k ? 1 : 0);
    for (let j = 0; j < ecgLen; j++) signals[i * ecgLen + j] = 0.3 * normal() + Math.sin((j % c.ecg.nSamples) * 0.1 * (k + 1));
  }
  return { cxr: { pixels, n, texts }, ecg: { signals, n, texts: [...texts] }, paired: Math.floor(n / 2) };
}

// Weights whose manifest.json preprocessing block differs from the code's are refused at load with a
// message naming the field; the shipped manifest agrees with the app's preprocessing.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWeights } from './load';
import { createParams } from './params';
import { CODE_PREPROCESSING, preprocessingDifferences } from './preprocessing-check';
import { tinyConfig, tinyTokenizer } from './testing/tiny';
import type { WeightSource } from './types';
import { encodeWeights, MANIFEST_FILE } from './weights';

const meta = { version: 'tiny-1', variant: 'BD' as const, demoPairing: false, trainedOn: [], float16: false };
const source = (files: Map<string, Uint8Array>): WeightSource => ({
  async readFile(name) {
    const f = files.get(name);
    if (!f) throw new Error(`no file ${name}`);
    return f;
  },
});

async function tinyFiles() {
  const c = tinyConfig();
  const tok = tinyTokenizer();
  c.text.vocabSize = tok.vocabSize;
  const params = createParams(c, 1);
  const files = await encodeWeights(params, c, tok, meta);
  for (const t of params.values()) t.dispose();
  return files;
}

function tamper(files: Map<string, Uint8Array>, edit: (m: { preprocessing: { ecg: { fsHz: number }; cxr: { sizePx: number } } }) => void) {
  const m = JSON.parse(new TextDecoder().decode(files.get(MANIFEST_FILE)!));
  edit(m);
  const out = new Map(files);
  out.set(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(m)));
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('preprocessing check at weight load', () => {
  it('refuses a manifest whose preprocessing block was changed, naming the field', async () => {
    const files = tamper(await tinyFiles(), (m) => (m.preprocessing.ecg.fsHz = 250));
    const before = tf.memory().numTensors;
    await expect(loadWeights(source(files))).rejects.toThrow(/manifest\.json differs from its own model config \(ecg\.fsHz: 250 in the weights, 100 expected\)/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses weights made for other inputs than the app's preprocessing", async () => {
    // The tiny model reads 32 x 32 CXRs and 100-sample ECGs: consistent in itself, not what the app feeds.
    await expect(loadWeights(source(await tinyFiles()), { preprocessing: CODE_PREPROCESSING })).rejects.toThrow(
      /differs from the app's preprocessing \(ecg\.nSamples: 100 in the weights, 1000 expected; cxr\.sizePx: 32 in the weights, 224 expected\)/,
    );
    const w = await loadWeights(source(await tinyFiles()));
    for (const t of w.params.values()) t.dispose();
  });

  it('names a missing block and lead order differences', () => {
    expect(preprocessingDifferences(undefined, CODE_PREPROCESSING)[0]).toBe('ecg.fsHz: missing in the weights, 100 expected');
    const swapped = { ...CODE_PREPROCESSING, ecg: { ...CODE_PREPROCESSING.ecg, leads: ['II', 'I', ...CODE_PREPROCESSING.ecg.leads.slice(2)] } };
    expect(preprocessingDifferences(swapped, CODE_PREPROCESSING)).toEqual([expect.stringMatching(/^ecg\.leads: \["II","I",/)]);
  });

  it("the shipped manifest agrees with the app's preprocessing", () => {
    const m = JSON.parse(readFileSync(new URL('../../public/weights/manifest.json', import.meta.url), 'utf8'));
    expect(preprocessingDifferences(m.preprocessing, CODE_PREPROCESSING)).toEqual([]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { encodersFromParams } from './encoders/runtime';
import { createParams } from './params';
import { tinyConfig, tinyTokenizer } from './testing/tiny';
import { PAPER_PROMPT_SETS, classEmbeddings, classPrompts, zeroShotPredict, type PromptSet } from './zeroshot';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('prompt sets', () => {
  it('hold the paper prompts', () => {
    const ecg = PAPER_PROMPT_SETS['ptbxl-superclass'];
    expect(ecg.classes.map((c) => c.label)).toEqual(['NORM', 'MI', 'STTC', 'CD', 'HYP']);
    expect(classPrompts(ecg, ecg.classes[4])).toEqual(['This ECG shows Hypertrophy.']);
    const pn = PAPER_PROMPT_SETS.pneumonia;
    expect(pn.classes.flatMap((c) => classPrompts(pn, c))).toEqual(['Findings suggesting pneumonia.', 'No evidence of pneumonia.']);
  });
});

describe('classEmbeddings / zeroShotPredict', () => {
  it('averages the prompt embeddings of a class and renormalises', async () => {
    const c = tinyConfig();
    const tok = tinyTokenizer();
    c.text.vocabSize = tok.vocabSize;
    const enc = encodersFromParams(createParams(c, 1), c, tok, 'v');
    const set: PromptSet = { task: 't', templates: ['{LABEL}', 'this shows {LABEL}'], classes: [{ label: 'A', names: ['normal sinus rhythm'] }, { label: 'B', names: ['pneumonia'] }] };
    const before = tf.memory().numTensors;
    const { vectors, embedDim } = await classEmbeddings((t) => enc.embedText(t), set);
    const single = await enc.embedText(['normal sinus rhythm', 'this shows normal sinus rhythm']);
    const d = embedDim;
    const mean = Array.from({ length: d }, (_, k) => single.vectors[k] + single.vectors[d + k]);
    const norm = Math.hypot(...mean);
    for (let k = 0; k < d; k++) expect(vectors[k]).toBeCloseTo(mean[k] / norm, 5);
    expect(Math.hypot(...vectors.subarray(d, 2 * d))).toBeCloseTo(1, 5);
    // items equal to a class vector are assigned to that class
    const { predictions } = zeroShotPredict(Float32Array.from([...vectors.subarray(d, 2 * d), ...vectors.subarray(0, d)]), vectors, d);
    expect(Array.from(predictions)).toEqual([1, 0]);
    expect(tf.memory().numTensors).toBe(before);
    enc.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainGate } from '../finetune/gate';
import { transformer } from '../layers';
import { createParams, type Params } from '../params';
import { makeNormal, makeRng } from '../rng';
import { tinyConfig, tinyTokenizer } from '../testing/tiny';
import { PAD_ID } from '../tokenizer';
import { clinicalFolds, crossValidate, metricsWithCi } from './evaluate';
import { clinicalLogits, clinicalPooled, clinicalSequence, type ForwardOptions } from './forward';
import { loraAdapter, mergedQkv } from './lora';
import { clinicalSpecs, createClinicalVariables, loraName } from './params';
import { applyPredictor, type PredictorLineage } from './predictor';
import { renderTemplate, templateColumns, MIMIC_TEMPLATE } from './template';
import { ExampleTensors, encodeTexts, trainPredictor } from './train';
import type { ClinicalExamples, ClinicalSettings } from './types';

const c = tinyConfig();
const tok = tinyTokenizer();
c.text.vocabSize = tok.vocabSize;
let base: Params;

beforeAll(async () => {
  await tf.setBackend('cpu');
  base = createParams(c, 11, ['text']);
});

const randn = (n: number, seed: number, scale = 1) => {
  const g = makeNormal(makeRng(seed));
  return Float32Array.from({ length: n }, () => g() * scale);
};

const SETTINGS: ClinicalSettings = { rank: 2, alpha: 4, softTokens: 2, epochs: 2, batchSize: 8, learningRate: 1e-2, weightDecay: 0, seed: 5 };

/** Trainable variables with every LoRA B nonzero (B starts at zero, which would hide a wrong update). */
function randomTrainables(modalities: ('cxr' | 'ecg')[], C = 2) {
  const specs = clinicalSpecs(c, SETTINGS, modalities, C, c.embedDim);
  const vars = createClinicalVariables(specs, 3);
  specs.forEach((s, i) => {
    if (s.name.endsWith('/B')) vars.get(s.name)!.assign(tf.tensor(randn(s.shape[0] * s.shape[1], 100 + i, 0.3), s.shape));
  });
  return vars;
}

function hashParams(p: Params): Promise<string> {
  return (async () => {
    const h = createHash('sha256');
    for (const name of [...p.keys()].sort()) {
      h.update(name);
      h.update(new Uint8Array(((await p.get(name)!.data()) as Float32Array).buffer));
    }
    return h.digest('hex');
  })();
}

describe('template', () => {
  it('fills columns and writes missing values as "unknown"; the MIMIC template is expressible', () => {
    expect(renderTemplate('{sex} patient, CRP {crp_val} mg/l, {view}.', { sex: 'female', crp_val: 12.5, view: '' })).toBe('female patient, CRP 12.5 mg/l, unknown.');
    expect(templateColumns(MIMIC_TEMPLATE)).toEqual(['gender', 'anchor_age', 'admission_type', 'admission_location']);
    expect(renderTemplate(MIMIC_TEMPLATE, { gender: 'F', anchor_age: 71, admission_type: 'URGENT', admission_location: 'TRANSFER FROM HOSPITAL' })).toBe(
      'F patient, who is at the age of 71, was admitted as URGENT. Location: TRANSFER FROM HOSPITAL.',
    );
  });
});

describe('LoRA', () => {
  it('equals the dense merged weight W + (alpha/r) A B', () => {
    const lora = randomTrainables([]);
    const [got, want] = tf.tidy(() => {
      const x = tf.tensor3d(randn(3 * 5 * c.text.dim, 1), [3, 5, c.text.dim]);
      const a = transformer(base, 'text/tf', x, c.text.depth, c.text.heads, null, loraAdapter(lora, SETTINGS.alpha, SETTINGS.rank));
      const merged = new Map(base);
      for (let i = 0; i < c.text.depth; i++) merged.set(`text/tf/block${i}/qkv/w`, mergedQkv(base, 'text/tf', lora, i, SETTINGS.alpha, SETTINGS.rank));
      const plain = transformer(base, 'text/tf', x, c.text.depth, c.text.heads, null);
      expect(tf.max(tf.abs(tf.sub(a, plain))).dataSync()[0]).toBeGreaterThan(1e-3); // the update does something
      return [a.dataSync(), transformer(merged, 'text/tf', x, c.text.depth, c.text.heads, null).dataSync()];
    });
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
    for (const v of lora.values()) v.dispose();
  });

  it('with B = 0 (its initial value) gives exactly the base model', () => {
    const lora = createClinicalVariables(clinicalSpecs(c, SETTINGS, [], 2, c.embedDim), 3);
    const [a, b] = tf.tidy(() => {
      const x = tf.tensor3d(randn(2 * 4 * c.text.dim, 2), [2, 4, c.text.dim]);
      return [
        transformer(base, 'text/tf', x, c.text.depth, c.text.heads, null, loraAdapter(lora, SETTINGS.alpha, SETTINGS.rank)).dataSync(),
        transformer(base, 'text/tf', x, c.text.depth, c.text.heads, null).dataSync(),
      ];
    });
    expect(Array.from(a)).toEqual(Array.from(b));
    for (const v of lora.values()) v.dispose();
  });

  it('gradients of LoRA, soft-token projection and head match finite differences', () => {
    const vars = randomTrainables(['cxr']);
    const o: ForwardOptions = { rank: SETTINGS.rank, alpha: SETTINGS.alpha, softTokens: SETTINGS.softTokens, modalities: ['cxr'] };
    const enc = encodeTexts(tok, c, ['normal sinus rhythm', 'left bundle branch block pneumonia'], 2);
    const ids = tf.tensor2d(enc.ids, [2, enc.T], 'int32');
    const lengths = tf.tensor1d(enc.lengths, 'int32');
    const emb = tf.tensor2d(randn(2 * c.embedDim, 9), [2, c.embedDim]);
    const weights = tf.tensor2d([0.7, -1.3, -0.4, 0.9], [2, 2]);
    const loss = () => tf.sum(tf.mul(clinicalLogits(base, c, vars, o, { ids, lengths, embeddings: { cxr: emb } }), weights)) as tf.Scalar;
    const probe = [loraName(0, 'q', 'A'), loraName(0, 'v', 'B'), 'clinical/soft/cxr/w', 'clinical/head/w'];
    const { grads } = tf.variableGrads(loss, probe.map((n) => vars.get(n)!));
    for (const name of probe) {
      const v = vars.get(name)!;
      const g = grads[v.name].dataSync();
      const values = v.dataSync().slice();
      for (const j of [0, Math.floor(values.length / 2), values.length - 1]) {
        const eps = 1e-2;
        const at = (delta: number) => {
          const w = values.slice();
          w[j] += delta;
          v.assign(tf.tensor(w, v.shape));
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        v.assign(tf.tensor(values, v.shape));
        expect(Math.abs(fd - g[j])).toBeLessThan(2e-3 + 0.03 * Math.abs(fd));
      }
    }
    tf.dispose([ids, lengths, emb, weights, ...Object.values(grads), ...vars.values()]);
  });
});

describe('soft tokens', () => {
  it('sit right after each row\'s text (positions len..len+k-1) and only the text padding is masked', () => {
    const vars = randomTrainables(['cxr', 'ecg']);
    const o: ForwardOptions = { rank: SETTINGS.rank, alpha: SETTINGS.alpha, softTokens: 2, modalities: ['cxr', 'ecg'] };
    const texts = ['pneumonia', 'left bundle branch block'];
    const enc = encodeTexts(tok, c, texts, 4);
    const n = texts.length;
    const embC = randn(n * c.embedDim, 21);
    const embE = randn(n * c.embedDim, 22);
    tf.tidy(() => {
      const b = {
        ids: tf.tensor2d(enc.ids, [n, enc.T], 'int32'),
        lengths: tf.tensor1d(enc.lengths, 'int32'),
        embeddings: { cxr: tf.tensor2d(embC, [n, c.embedDim]), ecg: tf.tensor2d(embE, [n, c.embedDim]) },
      };
      const { maskAdd } = clinicalSequence(base, c, vars, o, b);
      const mask = maskAdd.dataSync();
      const W = enc.T + 4;
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < W; t++) {
          const isPad = t < enc.T && enc.ids[i * enc.T + t] === PAD_ID;
          if (isPad) expect(mask[i * W + t]).toBeLessThan(-1e8);
          else expect(Math.abs(mask[i * W + t])).toBe(0);
        }
      }
      expect(enc.lengths[0]).toBeLessThan(enc.T); // row 0 really has padding between its text and the soft tokens
      const pooled = clinicalPooled(base, c, vars, o, b).arraySync();
      // Oracle: each row alone, unpadded, with the soft tokens physically after the text at contiguous positions.
      for (let i = 0; i < n; i++) {
        const L = enc.lengths[i];
        const rowIds = tf.tensor1d(Array.from(enc.ids.subarray(i * enc.T, i * enc.T + L)), 'int32');
        const tokE = tf.gather(base.get('text/tok')!, rowIds);
        const soft = (m: 'cxr' | 'ecg', e: Float32Array) =>
          tf.add(tf.matMul(tf.tensor2d(e.subarray(i * c.embedDim, (i + 1) * c.embedDim), [1, c.embedDim]), vars.get(`clinical/soft/${m}/w`)!), vars.get(`clinical/soft/${m}/b`)!).reshape([2, c.text.dim]);
        const seq = tf.concat([tokE, soft('cxr', embC), soft('ecg', embE)], 0);
        const h = tf.add(seq, tf.slice(base.get('text/pos')!, [0, 0], [L + 4, c.text.dim])).reshape([1, L + 4, c.text.dim]) as tf.Tensor3D;
        const out = transformer(base, 'text/tf', h, c.text.depth, c.text.heads, null, loraAdapter(vars, o.alpha, o.rank));
        const want = tf.slice(out, [0, 0, 0], [1, 1, c.text.dim]).dataSync();
        for (let j = 0; j < c.text.dim; j++) expect(pooled[i][j]).toBeCloseTo(want[j], 4);
      }
    });
    for (const v of vars.values()) v.dispose();
  });
});

/** 40 items of 10 patients; the outcome is carried by the CXR embedding only (the text is uninformative). */
function toyExamples(): ClinicalExamples {
  const n = 40;
  const y = Int32Array.from({ length: n }, (_, i) => (Math.floor(i / 4) % 2 === 0 ? 1 : 0));
  const e = randn(n * c.embedDim, 31, 0.2);
  for (let i = 0; i < n; i++) e[i * c.embedDim] = y[i] ? 1 : -1;
  return {
    texts: Array.from({ length: n }, (_, i) => (i % 3 ? 'normal sinus rhythm' : 'no evidence of pneumonia')),
    embeddings: { cxr: e },
    embedDim: c.embedDim,
    y,
    classes: ['no', 'yes'],
    positive: 1,
    groups: Array.from({ length: n }, (_, i) => `p${Math.floor(i / 4)}`),
  };
}

describe('training and cross-validation', () => {
  it('leaves the base encoder bit-identical, frees every tensor and learns from the soft tokens', async () => {
    const ex = toyExamples();
    const before = await hashParams(base);
    const nT = tf.memory().numTensors;
    const res = await crossValidate({ base, config: c, tokenizer: tok, examples: ex, inputSets: ['text', 'text+cxr'], settings: { ...SETTINGS, epochs: 12 }, folds: 3, gate: new TrainGate() });
    expect(tf.memory().numTensors).toBe(nT);
    expect(await hashParams(base)).toBe(before);
    expect(res.status).toBe('done');
    const [text, withCxr] = res.rows;
    expect(text.inputSet).toBe('text');
    expect(withCxr.n).toBe(40);
    expect(withCxr.patients).toBe(10);
    expect(withCxr.auroc.value).toBeGreaterThan(0.9);
    expect(withCxr.auroc.value).toBeGreaterThan(text.auroc.value + 0.2);
    const side = new Map<string, number>();
    ex.groups.forEach((g, i) => {
      if (side.has(g)) expect(res.fold[i]).toBe(side.get(g));
      side.set(g, res.fold[i]);
    });
  });

  it('a cancelled run and a saved predictor applied to new items leak no tensors', async () => {
    const ex = toyExamples();
    const nT = tf.memory().numTensors;
    const gate = new TrainGate();
    const data = new ExampleTensors(tok, c, ex, ['cxr'], SETTINGS.softTokens);
    const all = [...ex.y.keys()];
    const cancelled = await trainPredictor({ base, config: c, data, y: ex.y, nClasses: 2, embedDim: c.embedDim, train: all, val: [], settings: SETTINGS, seed: 1, gate, onEpoch: () => gate.cancel() });
    expect(cancelled.status).toBe('cancelled');
    const done = await trainPredictor({ base, config: c, data, y: ex.y, nClasses: 2, embedDim: c.embedDim, train: all, val: [], settings: SETTINGS, seed: 1, gate: new TrainGate() });
    data.dispose();
    const lineage: PredictorLineage = { kind: 'clinical-predictor', baseVersion: 'tiny', task: { outcome: 'meta:x', classes: ex.classes, positive: 1 }, template: '', inputSet: 'text+cxr', settings: SETTINGS };
    const probs = await applyPredictor(base, c, tok, done.params, lineage, { texts: ex.texts.slice(0, 3), embeddings: { cxr: ex.embeddings.cxr!.slice(0, 3 * c.embedDim) }, embedDim: c.embedDim });
    expect(probs.length).toBe(6);
    for (let i = 0; i < 3; i++) expect(probs[2 * i] + probs[2 * i + 1]).toBeCloseTo(1, 5);
    expect(tf.memory().numTensors).toBe(nT);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 2, maxLength: 120 }), fc.integer({ min: 2, max: 8 }), fc.integer()], { seed: 2207 })(
    'folds never split a patient',
    (g, k, seed) => {
      const groups = g.map((x) => `patient-${x}`);
      const fold = clinicalFolds(groups, k, seed);
      const side = new Map<string, number>();
      groups.forEach((p, i) => {
        expect(fold[i]).toBeGreaterThanOrEqual(0);
        expect(fold[i]).toBeLessThan(k);
        if (side.has(p)) expect(fold[i]).toBe(side.get(p));
        side.set(p, fold[i]);
      });
    },
  );

  it('bootstrap intervals are reproducible under the seed and bracket the estimate', () => {
    const n = 60;
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    const probs = new Float32Array(2 * n);
    const r = randn(n, 4, 1.5);
    for (let i = 0; i < n; i++) {
      const p1 = 1 / (1 + Math.exp(-(y[i] ? 0.6 : -0.6) - r[i]));
      probs[2 * i] = 1 - p1;
      probs[2 * i + 1] = p1;
    }
    const a = metricsWithCi(probs, y, 2, 1, 7);
    expect(metricsWithCi(probs, y, 2, 1, 7)).toEqual(a);
    expect(metricsWithCi(probs, y, 2, 1, 8).auroc).not.toEqual(a.auroc);
    for (const m of [a.accuracy, a.balancedAccuracy, a.auroc]) {
      expect(m.lo).toBeLessThanOrEqual(m.value);
      expect(m.hi).toBeGreaterThanOrEqual(m.value);
      expect(m.hi - m.lo).toBeGreaterThan(0.02);
    }
  });
});

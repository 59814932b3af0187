// `npm run prompt-study -- [--data DIR] [--weights DIR] [--json FILE]`: why zero-shot is weak, measured
// without training. For fixed weights it scores candidate zero-shot prompt sets (the shipped ones, the exact
// sentence the ECG reports were trained with, template/name ensembles), per-class recall, a label-free
// class-prior correction (the mean class score over TRAINING items subtracted), and averaging the ECG
// embedding over inference windows. Views: PTB-XL validation (the selection split), LUDB validation, and
// PTB-XL training folds (seen in training, so optimistic, but independent of the 44-record fold for
// comparing prompts). Nothing here reads labels of the validation split for anything but scoring.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend';
import { loadEncoders } from '../src/model/load';
import { balancedAccuracy, confusionMatrix, cosineMatrix } from '../src/model/metrics';
import { classEmbeddings, PAPER_PROMPT_SETS, type PromptSet } from '../src/model/zeroshot';
import type { MedbindEncoders } from '../src/model/types';
import { embedItems } from './lib/embed-items';
import { chooseTask } from './lib/eval-tasks';
import { taskRows, gatherRows } from './lib/eval-dataset';
import { ECG_INPUT_LEN, prepareFolder, type PreparedItem } from './lib/prepared';
import { fileWeightSource } from './lib/weights-fs';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    weights: { type: 'string', default: 'public/weights' },
    json: { type: 'string' },
  },
});

const ECG_LABELS = ['NORM', 'MI', 'STTC', 'CD', 'HYP'];
const ecgSet = (templates: string[], names: string[][]): PromptSet => ({
  task: PAPER_PROMPT_SETS['ptbxl-superclass'].task,
  templates,
  classes: ECG_LABELS.map((label, i) => ({ label, names: names[i] })),
});
const CLASS_WORDS = [['normal sinus rhythm'], ['myocardial infarction'], ['STT changes'], ['conduction disturbance'], ['hypertrophy']];
const FINDING_WORDS = [
  ['normal ECG', 'normal sinus rhythm'],
  ['myocardial infarction', 'inferior myocardial infarction', 'anteroseptal myocardial infarction'],
  ['STT changes', 'non-specific ST changes', 'non-diagnostic T abnormalities', 'ischemic ST-T changes'],
  ['conduction disturbance', 'complete right bundle branch block', 'left anterior fascicular block', 'incomplete right bundle branch block'],
  ['hypertrophy', 'left ventricular hypertrophy', 'left atrial enlargement'],
];

/** Candidate ECG prompt sets. */
const ECG_CANDIDATES: Record<string, PromptSet> = {
  shipped: PAPER_PROMPT_SETS['ptbxl-superclass'],
  'class-sentence': ecgSet(['Diagnostic class: {LABEL}.'], CLASS_WORDS),
  'class+interp': ecgSet(['Diagnostic class: {LABEL}.', 'Interpretation: {LABEL}.'], CLASS_WORDS),
  'class+interp+shows': ecgSet(['Diagnostic class: {LABEL}.', 'Interpretation: {LABEL}.', 'This ECG shows {LABEL}.'], CLASS_WORDS),
  'findings-ensemble': ecgSet(['ECG presents {LABEL}.', '12-lead ECG showing {LABEL}.', 'Findings: {LABEL}.'], FINDING_WORDS),
  'class+findings': ecgSet(['Diagnostic class: {LABEL}.', 'ECG presents {LABEL}.', '12-lead ECG showing {LABEL}.'], FINDING_WORDS),
};

const PNEU_CANDIDATES: Record<string, PromptSet> = {
  shipped: PAPER_PROMPT_SETS['pneumonia'],
  canonical: {
    task: PAPER_PROMPT_SETS['pneumonia'].task,
    templates: ['{LABEL}'],
    classes: [
      { label: 'PNEUMONIA', names: ['Findings suggesting pneumonia.'] },
      { label: 'NORMAL', names: ['No evidence of pneumonia. No acute cardiopulmonary abnormality.'] },
    ],
  },
  ensemble: {
    task: PAPER_PROMPT_SETS['pneumonia'].task,
    templates: ['{LABEL}'],
    classes: [
      { label: 'PNEUMONIA', names: ['Findings suggesting pneumonia.', 'Airspace opacity consistent with pneumonia.', 'Opacities in keeping with pneumonia.'] },
      { label: 'NORMAL', names: ['No evidence of pneumonia. No acute cardiopulmonary abnormality.', 'No evidence of pneumonia.'] },
    ],
  },
};

interface ViewResult {
  n: number;
  counts: number[];
  ba: number;
  recall: number[];
  baPrior: number;
}

function recalls(y: number[], pred: ArrayLike<number>, nC: number): number[] {
  const m = confusionMatrix(y, pred, nC);
  return Array.from({ length: nC }, (_, c) => {
    let row = 0;
    for (let j = 0; j < nC; j++) row += m[c][j];
    return row ? m[c][c] / row : NaN;
  });
}

function argmax(scores: Float32Array, n: number, nC: number, offset?: Float64Array): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < nC; c++) if (scores[i * nC + c] - (offset?.[c] ?? 0) > scores[i * nC + best] - (offset?.[best] ?? 0)) best = c;
    out[i] = best;
  }
  return out;
}

/** Mean cosine of training items to each class vector (label-free prior estimate). */
function meanScores(x: Float32Array, cls: Float32Array, d: number): Float64Array {
  const nC = cls.length / d;
  const n = x.length / d;
  const s = cosineMatrix(x, cls, d);
  const m = new Float64Array(nC);
  for (let i = 0; i < n; i++) for (let c = 0; c < nC; c++) m[c] += s[i * nC + c] / n;
  return m;
}

/** The ECG input kept only in [t0, t1) samples (zero elsewhere), as the training crops are. */
function windowed(items: PreparedItem[], t0: number, t1: number, nSamples = 1000): PreparedItem[] {
  return items.map((p) => {
    const input = new Float32Array(ECG_INPUT_LEN);
    for (let l = 0; l < ECG_INPUT_LEN / nSamples; l++) input.set(p.input.subarray(l * nSamples + t0, l * nSamples + t1), l * nSamples + t0);
    return { item: p.item, input };
  });
}

async function windowAveraged(enc: MedbindEncoders, items: PreparedItem[], windows: [number, number][]): Promise<Float32Array> {
  const d = enc.embedDim;
  const acc = new Float32Array(items.length * d);
  for (const [a, b] of windows) {
    const v = await embedItems(enc, windowed(items, a, b));
    for (let k = 0; k < acc.length; k++) acc[k] += v[k];
  }
  for (let i = 0; i < items.length; i++) {
    let nrm = 0;
    for (let k = 0; k < d; k++) nrm += acc[i * d + k] ** 2;
    nrm = Math.sqrt(nrm) || 1;
    for (let k = 0; k < d; k++) acc[i * d + k] /= nrm;
  }
  return acc;
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const enc = await loadEncoders(fileWeightSource(args.weights!));
  const data = await prepareFolder(args.data!);
  const pick = (ds: string, split: string) => data.items.filter((p) => p.item.dataset === ds && p.item.split === split);
  const views: Record<string, PreparedItem[]> = {
    'ptb-xl val': pick('ptb-xl', 'val'),
    'ludb val': pick('ludb', 'val'),
    'ptb-xl train': pick('ptb-xl', 'train'),
  };
  const trainEcg = data.items.filter((p) => p.item.modality === 'ecg' && p.item.split === 'train');
  const d = enc.embedDim;
  const trainVecs = await embedItems(enc, trainEcg);
  const embeddings: Record<string, Record<string, Float32Array>> = {};
  for (const [name, items] of Object.entries(views)) {
    embeddings[name] = {
      full: await embedItems(enc, items),
      'windows 3x5 s': await windowAveraged(enc, items, [[0, 500], [250, 750], [500, 1000]]),
      'full + windows': new Float32Array(0),
    };
    const f = embeddings[name].full;
    const w = embeddings[name]['windows 3x5 s'];
    const both = new Float32Array(f.length);
    for (let i = 0; i < f.length / d; i++) {
      let nrm = 0;
      for (let k = 0; k < d; k++) nrm += (both[i * d + k] = f[i * d + k] + w[i * d + k]) ** 2;
      for (let k = 0; k < d; k++) both[i * d + k] /= Math.sqrt(nrm) || 1;
    }
    embeddings[name]['full + windows'] = both;
  }

  const results: Record<string, Record<string, ViewResult>> = {};
  const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(1) : '–');
  for (const [pname, set] of Object.entries(ECG_CANDIDATES)) {
    const cls = await classEmbeddings((t) => enc.embedText(t), set);
    const prior = meanScores(trainVecs, cls.vectors, d);
    results[pname] = {};
    for (const [vname, items] of Object.entries(views)) {
      const task = chooseTask('ecg', items.map((p) => p.item.labels), 'paper');
      if (!task) continue;
      const { idx, y } = taskRows(task, items);
      const ci = task.classes.map((l) => ECG_LABELS.indexOf(l));
      const sub = new Float32Array(ci.length * d);
      ci.forEach((c, r) => sub.set(cls.vectors.subarray(c * d, (c + 1) * d), r * d));
      const priorSub = Float64Array.from(ci.map((c) => prior[c]));
      for (const [ename, vecs] of Object.entries(embeddings[vname])) {
        const x = gatherRows(vecs, idx, d);
        const s = cosineMatrix(x, sub, d);
        const pred = argmax(s, idx.length, ci.length);
        const predP = argmax(s, idx.length, ci.length, priorSub);
        const r: ViewResult = {
          n: idx.length,
          counts: ci.map((_, c) => y.filter((v) => v === c).length),
          ba: balancedAccuracy(y, pred, ci.length),
          recall: recalls(y, pred, ci.length),
          baPrior: balancedAccuracy(y, predP, ci.length),
        };
        results[pname][`${vname} / ${ename}`] = r;
        console.log(`${pname.padEnd(20)} ${`${vname} / ${ename}`.padEnd(32)} n=${r.n} BA ${pct(r.ba)} (prior-corrected ${pct(r.baPrior)}) recall ${task.classes.map((l, c) => `${l} ${pct(r.recall[c])}`).join(' ')}`);
      }
    }
  }
  const cxrVal = pick('kermany-pediatric-cxr', 'val');
  const cxrTrain = pick('kermany-pediatric-cxr', 'train');
  const cv = await embedItems(enc, cxrVal);
  const ct = await embedItems(enc, cxrTrain);
  const pneu: Record<string, ViewResult> = {};
  for (const [pname, set] of Object.entries(PNEU_CANDIDATES)) {
    const task = chooseTask('cxr', cxrVal.map((p) => p.item.labels), 'paper')!;
    const { idx, y } = taskRows(task, cxrVal);
    const cls = await classEmbeddings((t) => enc.embedText(t), set);
    const prior = meanScores(ct, cls.vectors, d);
    const s = cosineMatrix(gatherRows(cv, idx, d), cls.vectors, d);
    const pred = argmax(s, idx.length, 2);
    const r: ViewResult = {
      n: idx.length,
      counts: [0, 1].map((c) => y.filter((v) => v === c).length),
      ba: balancedAccuracy(y, pred, 2),
      recall: recalls(y, pred, 2),
      baPrior: balancedAccuracy(y, argmax(s, idx.length, 2, prior), 2),
    };
    pneu[pname] = r;
    console.log(`pneumonia ${pname.padEnd(12)} n=${r.n} BA ${pct(r.ba)} (prior-corrected ${pct(r.baPrior)}) recall ${task.classes.map((l, c) => `${l} ${pct(r.recall[c])}`).join(' ')}`);
  }
  if (args.json) await writeFile(args.json, JSON.stringify({ weights: enc.version, ecg: results, pneumonia: pneu }, null, 1) + '\n');
  enc.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

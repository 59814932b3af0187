// Table 4 evaluation: patient-grouped k-fold cross-validation (groupedKFold: no patient on both sides of a
// fold), one out-of-fold prediction per item and input set, then accuracy, balanced accuracy and AUROC
// (binary: the positive class's probability; more classes: macro one-vs-rest) with seeded percentile
// bootstrap 95% intervals over items. Every input set uses the same folds and the same seeds.
import type { MedbindConfig } from '../config';
import type { TrainGate } from '../finetune/gate';
import { balancedAccuracy } from '../metrics';
import type { Params } from '../params';
import { subSeed } from '../rng';
import { auroc, bootstrapCi, groupedKFold } from '../stats';
import type { Tokenizer } from '../tokenizer';
import { tensorsOf } from './predictor';
import { ExampleTensors, predictProbabilities, trainPredictor } from './train';
import { modalitiesOf, type ClinicalExamples, type ClinicalSettings, type EpochReport, type InputSet, type MetricWithCi, type RowMetrics } from './types';

export const DEFAULT_FOLDS = 5;
const BOOTSTRAP_ITERATIONS = 1000;

function argmax(p: Float32Array, i: number, C: number): number {
  let best = 0;
  for (let j = 1; j < C; j++) if (p[i * C + j] > p[i * C + best]) best = j;
  return best;
}

/** AUROC of class probabilities [n, C] over `idx` (binary: of class `positive`; else macro one-vs-rest). */
export function probabilityAuroc(probs: Float32Array, y: ArrayLike<number>, C: number, positive: number, idx?: ArrayLike<number>): number {
  const n = y.length;
  const classes = C === 2 ? [positive] : Array.from({ length: C }, (_, c) => c);
  let sum = 0;
  let used = 0;
  for (const c of classes) {
    const s = new Float32Array(n);
    const l = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = probs[i * C + c];
      l[i] = y[i] === c ? 1 : 0;
    }
    const a = auroc(s, l, idx);
    if (Number.isFinite(a)) {
      sum += a;
      used++;
    }
  }
  return used ? sum / used : NaN;
}

/** Accuracy, balanced accuracy and AUROC of out-of-fold probabilities, each with a seeded bootstrap 95% CI. */
export function metricsWithCi(probs: Float32Array, y: Int32Array, C: number, positive: number, seed: number): Pick<RowMetrics, 'accuracy' | 'balancedAccuracy' | 'auroc'> {
  const pred = Int32Array.from(y, (_, i) => argmax(probs, i, C));
  const pick = (idx: Int32Array) => [Int32Array.from(idx, (i) => y[i]), Int32Array.from(idx, (i) => pred[i])] as const;
  const acc = (idx: Int32Array) => {
    let ok = 0;
    for (const i of idx) if (pred[i] === y[i]) ok++;
    return idx.length ? ok / idx.length : NaN;
  };
  const bal = (idx: Int32Array) => {
    const [t, p] = pick(idx);
    return balancedAccuracy(t, p, C);
  };
  const roc = (idx: Int32Array) => probabilityAuroc(probs, y, C, positive, idx);
  const ci = (f: (idx: Int32Array) => number, label: string): MetricWithCi => {
    const r = bootstrapCi(y.length, f, { iterations: BOOTSTRAP_ITERATIONS, seed: subSeed(seed, label) });
    return { value: r.estimate, lo: r.lo, hi: r.hi };
  };
  return { accuracy: ci(acc, 'accuracy'), balancedAccuracy: ci(bal, 'balanced-accuracy'), auroc: ci(roc, 'auroc') };
}

export interface CvProgress {
  inputSet: InputSet;
  fold: number;
  folds: number;
  epoch: EpochReport;
}

export interface CvArgs {
  base: Params;
  config: MedbindConfig;
  tokenizer: Tokenizer;
  examples: ClinicalExamples;
  inputSets: readonly InputSet[];
  settings: ClinicalSettings;
  folds?: number;
  gate: TrainGate;
  onEpoch?: (p: CvProgress) => void;
  /** After each finished row. */
  onRow?: (r: RowMetrics) => void;
  /** Epochs after which accuracies are measured (default all). */
  monitor?: (epoch: number) => boolean;
}

export interface CvResult {
  status: 'done' | 'cancelled';
  rows: RowMetrics[];
  /** Fold of each item (the same for every row). */
  fold: Int32Array;
}

/** The fold of each item: patient-grouped k-fold under the run's seed. */
export function clinicalFolds(groups: readonly string[], k: number, seed: number): Int32Array {
  return groupedKFold(groups, k, subSeed(seed, 'clinical-folds'));
}

export async function crossValidate(a: CvArgs): Promise<CvResult> {
  const ex = a.examples;
  const k = a.folds ?? DEFAULT_FOLDS;
  const C = ex.classes.length;
  const n = ex.y.length;
  const fold = clinicalFolds(ex.groups, k, a.settings.seed);
  const patients = new Set(ex.groups).size;
  const rows: RowMetrics[] = [];
  for (const inputSet of a.inputSets) {
    const modalities = modalitiesOf(inputSet);
    const data = new ExampleTensors(a.tokenizer, a.config, ex, modalities, a.settings.softTokens);
    try {
      const oof = new Float32Array(n * C);
      for (let f = 0; f < k; f++) {
        const test = [...fold.keys()].filter((i) => fold[i] === f);
        const train = [...fold.keys()].filter((i) => fold[i] !== f);
        if (test.length === 0 || train.length === 0) continue;
        const run = await trainPredictor({
          base: a.base, config: a.config, data, y: ex.y, nClasses: C, embedDim: ex.embedDim, train, val: test,
          settings: a.settings, seed: subSeed(a.settings.seed, `fold${f}`), gate: a.gate,
          onEpoch: (e) => a.onEpoch?.({ inputSet, fold: f, folds: k, epoch: e }),
          monitor: a.monitor,
        });
        if (run.status === 'cancelled') return { status: 'cancelled', rows, fold };
        const tp = tensorsOf(run.params);
        try {
          const probs = await predictProbabilities(a.base, a.config, tp, { rank: a.settings.rank, alpha: a.settings.alpha, softTokens: a.settings.softTokens, modalities }, data, test);
          test.forEach((i, r) => oof.set(probs.subarray(r * C, (r + 1) * C), i * C));
        } finally {
          for (const t of tp.values()) t.dispose();
        }
      }
      const row: RowMetrics = { inputSet, n, patients, folds: k, ...metricsWithCi(oof, ex.y, C, ex.positive, a.settings.seed) };
      rows.push(row);
      a.onRow?.(row);
    } finally {
      data.dispose();
    }
  }
  return { status: 'done', rows, fold };
}

// The per-dataset protocol of `npm run eval`, shared with the validation pass of `npm run pretrain`:
// modality -> text Recall@K over the set's distinct report texts, zero-shot balanced accuracy with the
// paper's prompts, and few-shot linear probes (mean and sd over random support sets) on frozen embeddings.
import { balancedAccuracy, confusionMatrix, cosineMatrix, recallAtKByKey } from '../../src/model/metrics';
import { fewShotEval } from '../../src/model/fewshot';
import { classEmbeddings, zeroShotPredict } from '../../src/model/zeroshot';
import type { MedbindEncoders } from '../../src/model/types';
import { embedItems, embedTexts } from './embed-items';
import { chooseTask, type EvalTask } from './eval-tasks';
import type { PreparedItem } from './prepared';

export const KS = [1, 5, 10];
export const SHOTS = [1, 2, 4, 8, 16];
export const round4 = (x: number) => Math.round(x * 10000) / 10000;

export interface DatasetReport {
  modality: 'ecg' | 'cxr';
  n: number;
  toText: Record<string, number> & { pool: number };
  zeroShot?: {
    task: string;
    classes: string[];
    n: number;
    balancedAccuracy: number;
    perClassCount: number[];
    /** Recall of each class (same order as classes). */
    perClassRecall?: number[];
    /** The same items classified with the paper's single prompt per class (for comparison). */
    paperPrompts?: { balancedAccuracy: number };
  };
  fewShot?: Record<string, { mean: number; sd: number; repeats: number; effectiveK: number[] }>;
}

/** The items of a task (rows of x) and their class indices. */
export function taskRows(task: EvalTask, items: PreparedItem[]): { idx: number[]; y: number[] } {
  const idx: number[] = [];
  const y: number[] = [];
  items.forEach((p, i) => {
    const c = task.classOf(p.item.labels);
    if (c >= 0) {
      idx.push(i);
      y.push(c);
    }
  });
  return { idx, y };
}

export function gatherRows(vectors: Float32Array, idx: number[], d: number): Float32Array {
  const x = new Float32Array(idx.length * d);
  idx.forEach((i, row) => x.set(vectors.subarray(i * d, (i + 1) * d), row * d));
  return x;
}

export async function evalDataset(enc: MedbindEncoders, items: PreparedItem[], repeats: number, seed: number, shots: number[] = SHOTS): Promise<{ report: DatasetReport; vectors: Float32Array }> {
  const modality = items[0].item.modality;
  const d = enc.embedDim;
  const vectors = await embedItems(enc, items);
  // Modality -> text: the pool is the set of distinct report texts of this dataset.
  const pool = [...new Set(items.map((p) => p.item.text))];
  const textVecs = await embedTexts(enc, pool);
  const r = recallAtKByKey(cosineMatrix(vectors, textVecs, d), items.map((p) => p.item.text), pool, KS);
  const toText = Object.assign(Object.fromEntries(KS.map((k) => [`R@${k}`, round4(r[k])])), { pool: pool.length }) as DatasetReport['toText'];
  const report: DatasetReport = { modality, n: items.length, toText };

  const task = chooseTask(modality, items.map((p) => p.item.labels));
  if (task) {
    const { idx, y } = taskRows(task, items);
    const x = gatherRows(vectors, idx, d);
    const cls = await classEmbeddings((t) => enc.embedText(t), task.prompts);
    const pred = zeroShotPredict(x, cls.vectors, d).predictions;
    const nC = task.classes.length;
    const cm = confusionMatrix(y, pred, nC);
    report.zeroShot = {
      task: task.task,
      classes: task.classes,
      n: idx.length,
      balancedAccuracy: round4(balancedAccuracy(y, pred, nC)),
      perClassCount: task.classes.map((_, c) => y.filter((v) => v === c).length),
      perClassRecall: cm.map((row, c) => round4(row[c] / Math.max(1, row.reduce((a, b) => a + b, 0)))),
    };
    const paperTask = chooseTask(modality, items.map((p) => p.item.labels), 'paper');
    if (paperTask && paperTask.prompts !== task.prompts && paperTask.classes.join() === task.classes.join()) {
      const paperCls = await classEmbeddings((t) => enc.embedText(t), paperTask.prompts);
      const paperPred = zeroShotPredict(x, paperCls.vectors, d).predictions;
      report.zeroShot.paperPrompts = { balancedAccuracy: round4(balancedAccuracy(y, paperPred, nC)) };
    }
    report.fewShot = {};
    for (const K of shots) {
      const f = fewShotEval(x, y, nC, K, { repeats, seed: seed + K });
      report.fewShot[String(K)] = { mean: round4(f.mean), sd: round4(f.sd), repeats: f.repeats, effectiveK: f.effectiveK };
    }
  }
  return { report, vectors };
}

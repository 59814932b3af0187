// `npm run clinical -- --data DIR [--task NAME] [--json FILE] [--weights DIR] [--compare-weights DIR]`
// The paper's LLM prompt-tuning experiment (Table 4) on public outcomes, on the same code as the app's
// "Clinical prediction" page: the text encoder tuned with LoRA, frozen CXR/ECG embeddings as soft tokens,
// patient-grouped 5-fold cross-validation, accuracy / balanced accuracy / AUROC with bootstrap 95% CIs.
// Without --task every built-in task runs. --compare-weights evaluates a second set of weights the same way.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend';
import {
  BUILTIN_TASKS, buildExamples, crossValidate, DEFAULT_CLINICAL_SETTINGS, DEFAULT_FOLDS, type BuiltinTask, type ClinicalSettings, type RowMetrics,
} from '../src/model/clinical';
import { encodersFromParams } from '../src/model/encoders/runtime';
import { TrainGate } from '../src/model/finetune/gate';
import { loadWeights, type LoadedWeights } from '../src/model/load';
import { embedItems } from './lib/embed-items';
import { prepareFolder, type PreparedItem } from './lib/prepared';
import { fileWeightSource } from './lib/weights-fs';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    task: { type: 'string' },
    json: { type: 'string' },
    weights: { type: 'string', default: 'public/weights' },
    'compare-weights': { type: 'string' },
    epochs: { type: 'string' },
    rank: { type: 'string' },
    alpha: { type: 'string' },
    k: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    folds: { type: 'string' },
  },
});

const log = (s: string) => process.stderr.write(`[clinical] ${s}\n`);
const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : null);
const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));

const settings: ClinicalSettings = {
  ...DEFAULT_CLINICAL_SETTINGS,
  epochs: num(args.epochs, DEFAULT_CLINICAL_SETTINGS.epochs),
  rank: num(args.rank, DEFAULT_CLINICAL_SETTINGS.rank),
  alpha: num(args.alpha, DEFAULT_CLINICAL_SETTINGS.alpha),
  softTokens: num(args.k, DEFAULT_CLINICAL_SETTINGS.softTokens),
  learningRate: num(args.lr, DEFAULT_CLINICAL_SETTINGS.learningRate),
  batchSize: num(args.batch, DEFAULT_CLINICAL_SETTINGS.batchSize),
  seed: num(args.seed, DEFAULT_CLINICAL_SETTINGS.seed),
};
const folds = num(args.folds, DEFAULT_FOLDS);

interface TaskJson {
  n: number;
  patients: number;
  positives: number;
  folds: number;
  rows: Record<string, { accuracy: number | null; balancedAccuracy: number | null; auroc: number | null; auroc95: [number | null, number | null] }>;
}

/** The task's items: from DIR/<dataset> when that folder exists, else every item of that dataset under DIR. */
async function taskItems(task: BuiltinTask, cache: Map<string, PreparedItem[]>): Promise<PreparedItem[]> {
  const sub = join(args.data!, task.dataset);
  const dir = existsSync(sub) ? sub : args.data!;
  if (!cache.has(dir)) {
    // No prepared-input cache: the cache keeps item metadata, and the clinical text reads metadata columns.
    const set = await prepareFolder(dir, (d, n) => log(`loading ${d}/${n}`), false);
    for (const e of set.errors) log(`skipped ${e.file}: ${e.message}`);
    cache.set(dir, set.items);
  }
  return cache.get(dir)!.filter((p) => p.item.dataset === task.dataset && p.item.modality === task.modality);
}

async function runTask(w: LoadedWeights, task: BuiltinTask, items: PreparedItem[]): Promise<TaskJson> {
  const enc = encodersFromParams(w.params, w.config, w.tokenizer, w.manifest.version, { ownsParams: false });
  const vectors = await embedItems(enc, items);
  const d = enc.embedDim;
  const rows = items.map((_, i) => vectors.subarray(i * d, (i + 1) * d));
  const built = buildExamples(
    items.map((p) => ({ id: p.item.id, labels: p.item.labels, meta: p.item.meta })),
    { [task.modality]: rows },
    d,
    { template: task.template, outcome: task.outcome, groupColumn: task.groupColumn },
  );
  const ex = built.examples;
  const positives = ex.y.filter((y) => y === ex.positive).length;
  log(`${task.name}: ${ex.y.length} items, ${new Set(ex.groups).size} patients, classes ${JSON.stringify(built.counts)}; text e.g. "${ex.texts[0]}"`);
  const t0 = performance.now();
  const res = await crossValidate({
    base: w.params, config: w.config, tokenizer: w.tokenizer, examples: ex, inputSets: task.inputSets, settings, folds, gate: new TrainGate(),
    monitor: () => false, // accuracies only after the last epoch: the run is long enough without them
    onEpoch: (p) => p.epoch.epoch === settings.epochs && log(`${task.name} ${p.inputSet} fold ${p.fold + 1}/${p.folds}: loss ${p.epoch.loss.toFixed(3)}, train acc ${p.epoch.trainAccuracy.toFixed(3)}, held-out acc ${p.epoch.valAccuracy.toFixed(3)}`),
    onRow: (r: RowMetrics) => log(`${task.name} ${r.inputSet}: acc ${r.accuracy.value.toFixed(3)} bal ${r.balancedAccuracy.value.toFixed(3)} AUROC ${r.auroc.value.toFixed(3)} [${r.auroc.lo.toFixed(3)}, ${r.auroc.hi.toFixed(3)}] (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
  });
  const out: TaskJson = { n: ex.y.length, patients: new Set(ex.groups).size, positives, folds, rows: {} };
  for (const r of res.rows) {
    out.rows[r.inputSet] = { accuracy: round(r.accuracy.value), balancedAccuracy: round(r.balancedAccuracy.value), auroc: round(r.auroc.value), auroc95: [round(r.auroc.lo), round(r.auroc.hi)] };
  }
  return out;
}

async function evaluateWeights(dir: string, tasks: readonly BuiltinTask[], cache: Map<string, PreparedItem[]>) {
  const w = await loadWeights(fileWeightSource(dir));
  log(`weights ${w.manifest.version} from ${dir}`);
  const out: Record<string, TaskJson> = {};
  try {
    for (const task of tasks) {
      const items = await taskItems(task, cache);
      if (items.length === 0) {
        log(`${task.name}: no ${task.dataset} items under ${args.data}; skipped`);
        continue;
      }
      out[task.name] = await runTask(w, task, items);
    }
  } finally {
    for (const t of w.params.values()) t.dispose();
  }
  return { weights: w.manifest.version, tasks: out };
}

async function main(): Promise<void> {
  const tasks = args.task ? BUILTIN_TASKS.filter((t) => t.name === args.task) : BUILTIN_TASKS;
  if (tasks.length === 0) throw new Error(`unknown task "${args.task}"; built-in tasks: ${BUILTIN_TASKS.map((t) => t.name).join(', ')}`);
  const be = await initBackend('wasm');
  log(`backend ${be.backend}; settings ${JSON.stringify(settings)}; ${folds} patient-grouped folds`);
  const cache = new Map<string, PreparedItem[]>();
  const result: Record<string, unknown> = await evaluateWeights(args.weights!, tasks, cache);
  if (args['compare-weights']) result.compare = await evaluateWeights(args['compare-weights'], tasks, cache);
  const json = JSON.stringify(result, null, 2);
  if (args.json) await writeFile(args.json, json);
  process.stdout.write(`${json}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// One local fine-tuning run: pick the labelled items and their prompt classes, split support (K shots per
// class, seeded) from validation (the rest), compute the frozen CLS features once (cached), train the head
// in the trainer, and store the result as a new model version with its lineage. The zero-shot balanced
// accuracy of the base version on the same validation items is reported next to the fine-tuned one.
import type { Modality } from '../../formats/types';
import { sampleSupport } from '../../model/fewshot';
import { TrainGate } from '../../model/finetune/gate';
import { makeHead } from '../../model/finetune/head';
import { finetuneHead, type EpochMetrics, type ParamArrays } from '../../model/finetune/trainer';
import { encodeParamFiles } from '../../model/finetune/version-files';
import { balancedAccuracy } from '../../model/metrics';
import { makeRng, shuffleInPlace, subSeed } from '../../model/rng';
import { classEmbeddings, zeroShotPredict } from '../../model/zeroshot';
import type { StudioDb } from '../../storage/db';
import { allItems } from '../../storage/items';
import { putVersion } from '../../storage/versions';
import type { StoredItem, StoredModelVersion } from '../../storage/types';
import type { BackendInfo } from '../api';
import type { FeatureCache } from './features-cache';
import type { FinetuneOutcome, FinetuneProgress, FinetuneSpec } from './methods';
import type { ModelHost } from './model-host';
import { toModelPromptSet } from './prompts';
import { matchesFilter, truthForPromptSet } from './sets';
import { itemVectors } from './vectors';

export interface FinetuneContext {
  db: StudioDb;
  host: ModelHost;
  cache: FeatureCache;
  gate: TrainGate;
  backend: BackendInfo;
  signal: AbortSignal;
  progress(p: FinetuneProgress): void;
  now?: () => number;
}

/** Support/validation split: K shots per class (seeded, each class keeps >= 1 for validation); "all" = 80 %. */
export function splitSupport(y: Int32Array, nClasses: number, k: number | 'all', seed: number): { train: number[]; val: number[]; effectiveK: number[] } {
  const rng = makeRng(subSeed(seed, 'finetune-support'));
  if (k !== 'all') {
    const s = sampleSupport(y, nClasses, k, rng);
    return { train: s.support, val: s.test, effectiveK: s.effectiveK };
  }
  const train: number[] = [];
  const val: number[] = [];
  const effectiveK: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    const idx = shuffleInPlace([...y.keys()].filter((i) => y[i] === c), rng);
    const nTrain = idx.length <= 1 ? 0 : Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * 0.8)));
    train.push(...idx.slice(0, nTrain));
    val.push(...idx.slice(nTrain));
    effectiveK.push(nTrain);
  }
  return { train, val: val.sort((a, b) => a - b), effectiveK };
}

const pick = (x: Float32Array, d: number, idx: number[]) => {
  const out = new Float32Array(idx.length * d);
  idx.forEach((i, r) => out.set(x.subarray(i * d, (i + 1) * d), r * d));
  return out;
};

/** Merges parameter overrides (later wins). */
const mergeOverrides = (a: ParamArrays, b: ParamArrays): ParamArrays => ({ ...a, ...b });

export async function runFinetune(spec: FinetuneSpec, ctx: FinetuneContext): Promise<FinetuneOutcome> {
  const { db, host } = ctx;
  const modality: Modality = spec.promptSet.modality;
  if (spec.set.modality !== modality) throw Object.assign(new Error(`the prompt set is for ${modality.toUpperCase()}, the labelled set for ${spec.set.modality.toUpperCase()}`), { code: 'bad-input' });
  const shipped = await host.shippedVersion();
  const baseId = spec.baseVersion ?? shipped;
  const m = await host.model(baseId);
  const classes = spec.promptSet.classes.map((c) => c.name);
  const C = classes.length;
  if (C < 2) throw Object.assign(new Error('fine-tuning needs at least two classes'), { code: 'bad-input' });

  // Items of the set that carry exactly one prompt class.
  const pool = (await allItems(db)).filter((it) => matchesFilter(it, { modality, datasets: spec.set.datasets, splits: spec.set.splits }));
  const truth = truthForPromptSet(pool, spec.promptSet, spec.set.column);
  const labelled = pool.filter((_, i) => truth[i] >= 0);
  ctx.progress({ phase: 'features', done: 0, total: labelled.length });
  const f = await ctx.cache.features(db, m, modality, labelled, {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress({ phase: 'features', done, total }),
  });
  const items: StoredItem[] = f.kept;
  const truthById = new Map(pool.map((it, i) => [it.id, truth[i]]));
  const y = Int32Array.from(items, (it) => truthById.get(it.id) ?? -1);
  const present = new Set(y);
  if (present.size < 2) throw Object.assign(new Error(`fine-tuning needs labelled items of at least two classes; found ${present.size} (${items.length} items)`), { code: 'bad-input' });
  const split = splitSupport(y, C, spec.k, spec.seed);
  if (split.train.length === 0 || split.val.length === 0) throw Object.assign(new Error('too few labelled items to keep a validation set'), { code: 'bad-input' });

  const classText = await classEmbeddings((t) => m.encoders.embedText(t), toModelPromptSet(spec.promptSet));
  const d = classText.embedDim;

  // Zero-shot of the base version on the validation items (stored embeddings; computed where missing).
  const valItems = split.val.map((i) => items[i]);
  const zv = await itemVectors(db, m.encoders, valItems, { signal: ctx.signal });
  const zvTruth = zv.kept.map((it) => truthById.get(it.id) ?? -1);
  const zeroShotVal = zv.kept.length ? balancedAccuracy(zvTruth, zeroShotPredict(zv.vectors, classText.vectors, d).predictions, C) : NaN;

  const head = await makeHead(m.params, modality, spec.scope);
  const history: EpochMetrics[] = [];
  const onAbort = () => ctx.gate.cancel();
  ctx.signal.addEventListener('abort', onAbort);
  const offGate = ctx.gate.onChange((s) => ctx.progress({ phase: 'training', paused: s === 'paused' }));
  let res;
  try {
    res = await finetuneHead(
      head,
      {
        trainFeats: pick(f.feats, f.featDim, split.train),
        trainLabels: Int32Array.from(split.train, (i) => y[i]),
        valFeats: pick(f.feats, f.featDim, split.val),
        valLabels: Int32Array.from(split.val, (i) => y[i]),
        featDim: f.featDim,
        nClasses: C,
        classText: classText.vectors,
        embedDim: d,
      },
      { objective: spec.objective, epochs: spec.epochs, batchSize: spec.batchSize, learningRate: spec.learningRate, weightDecay: spec.weightDecay, tau: m.config.tau, patience: spec.patience, seed: spec.seed },
      ctx.gate,
      (e) => {
        history.push(e);
        ctx.progress({ phase: 'training', epoch: e });
      },
    );
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    offGate();
  }

  const base = { bestEpoch: res.bestEpoch, valBalancedAccuracy: res.bestValBalancedAccuracy, zeroShotValBalancedAccuracy: zeroShotVal, nTrain: split.train.length, nVal: split.val.length, backend: ctx.backend, history };
  if (res.status === 'cancelled') return { status: 'cancelled', version: null, ...base };

  ctx.progress({ phase: 'saving' });
  const createdAt = (ctx.now ?? Date.now)();
  const id = `ft-${createdAt}`;
  const overrides = mergeOverrides(m.overrides, res.params);
  const files = await encodeParamFiles(id, overrides);
  const version: StoredModelVersion = {
    id,
    name: spec.name?.trim() || `${modality.toUpperCase()} ${spec.objective === 'prompt-contrastive' ? 'prompt-contrastive' : 'cross-entropy'} · K=${spec.k} · seed ${spec.seed}`,
    parent: baseId,
    createdAt,
    lineage: {
      base: shipped,
      parent: baseId,
      data: {
        modality,
        column: spec.set.column,
        datasets: spec.set.datasets ?? [],
        splits: spec.set.splits ?? [],
        classes: spec.promptSet.classes.map((c) => ({ name: c.name, labels: c.labels ?? [c.name] })),
        k: spec.k,
        effectiveK: Object.fromEntries(classes.map((c, i) => [c, split.effectiveK[i]])),
        trainIds: split.train.map((i) => items[i].id),
        valIds: split.val.map((i) => items[i].id),
      },
      promptSet: { id: spec.promptSet.id, name: spec.promptSet.name, classes: spec.promptSet.classes },
      settings: {
        objective: spec.objective, scope: spec.scope, epochs: spec.epochs, batchSize: spec.batchSize,
        learningRate: spec.learningRate, weightDecay: spec.weightDecay, patience: spec.patience, seed: spec.seed, tau: m.config.tau,
      },
      metrics: {
        status: res.status, bestEpoch: res.bestEpoch, valBalancedAccuracy: res.bestValBalancedAccuracy,
        zeroShotValBalancedAccuracy: zeroShotVal, history,
      },
      backend: { backend: ctx.backend.backend, adapter: ctx.backend.adapter, reason: ctx.backend.reason },
      trainedParams: Object.keys(res.params).sort(),
    },
    files,
  };
  await putVersion(db, version);
  return { status: res.status, version, ...base };
}

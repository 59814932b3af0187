// One clinical-prediction run in the lab worker: the items (one modality or linked CXR + ECG), their
// frozen embeddings from the active model version, the outcome and templated text, patient-grouped
// cross-validation of every chosen input set (live epochs, pause / cancel), then the chosen input set's
// predictor fitted on every item and saved as a version (LoRA + projections + head, with its lineage).
import { buildExamples, crossValidate, type ClinicalExamples, type PredictorLineage, type RowMetrics, type SoftModality } from '../../../model/clinical';
import { ExampleTensors, trainPredictor } from '../../../model/clinical/train';
import { modalitiesOf } from '../../../model/clinical/types';
import type { TrainGate } from '../../../model/finetune/gate';
import { encodeParamFiles } from '../../../model/finetune/version-files';
import type { StudioDb } from '../../../storage/db';
import { allItems } from '../../../storage/items';
import type { StoredItem, StoredModelVersion } from '../../../storage/types';
import { putVersion } from '../../../storage/versions';
import type { VersionModel } from '../model-host';
import { itemVectors } from '../vectors';
import { selectClinicalItems, type ClinicalItem } from './items';
import type { ClinicalOutcome, ClinicalProgress, ClinicalRunSpec } from './methods';
import { predictorSummary } from './predictors';
import { makeProgress } from '../../shared/progress';
import { badInput } from '../../shared/errors';


export interface ClinicalContext {
  db: StudioDb;
  model: VersionModel;
  gate: TrainGate;
  signal: AbortSignal;
  progress(p: ClinicalProgress): void;
  now?: () => number;
}

/** Embedding rows of each modality aligned with `items` (null where an item lacks it). */
export async function embeddingsFor(db: StudioDb, m: VersionModel, items: readonly ClinicalItem[], modalities: readonly SoftModality[], ctx: Pick<ClinicalContext, 'signal' | 'progress'>) {
  const out: Partial<Record<SoftModality, (Float32Array | null)[]>> = {};
  const d = m.encoders.embedDim;
  for (const mod of modalities) {
    const t0 = performance.now();
    const src = items.map((it) => it[mod]).filter((x): x is StoredItem => !!x);
    const unique = [...new Map(src.map((it) => [it.id, it])).values()];
    const v = await itemVectors(db, m.encoders, unique, {
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress({ phase: 'embedding', embedding: makeProgress(`${mod.toUpperCase()} embeddings`, done, total, t0, performance.now()) }),
    });
    const byId = new Map(v.kept.map((it, i) => [it.id, v.vectors.subarray(i * d, (i + 1) * d)]));
    out[mod] = items.map((it) => (it[mod] ? (byId.get(it[mod]!.id) ?? null) : null));
  }
  return out;
}

function checkSpec(spec: ClinicalRunSpec): void {
  const s = spec.settings;
  if (!spec.inputSets.length) throw badInput('choose at least one input set');
  if (!(s.rank >= 1 && s.alpha > 0 && s.softTokens >= 1 && s.epochs >= 1 && s.batchSize >= 1 && s.learningRate > 0)) throw badInput('rank, alpha, k, epochs, batch and learning rate must be positive');
  if (!(spec.folds >= 2)) throw badInput('cross-validation needs at least 2 folds');
  if (!spec.template.trim()) throw badInput('the text template is empty');
  for (const set of spec.inputSets) {
    for (const m of modalitiesOf(set)) {
      if (spec.items.mode !== 'both' && spec.items.mode !== m) throw badInput(`input set "${set}" needs ${m.toUpperCase()} items; the chosen items are ${spec.items.mode.toUpperCase()}`);
    }
  }
}

export async function runClinical(spec: ClinicalRunSpec, ctx: ClinicalContext): Promise<ClinicalOutcome> {
  checkSpec(spec);
  const { db, model: m } = ctx;
  if (!m.tokenizer) throw new Error('the model version has no tokenizer');
  const items = selectClinicalItems(await allItems(db), spec.items);
  if (items.length === 0) throw badInput(spec.items.mode === 'both' ? 'no CXR is linked to an ECG by the chosen column or pairing file' : `the library has no ${spec.items.mode.toUpperCase()} items (load the demo library)`);
  const needed = [...new Set(spec.inputSets.flatMap(modalitiesOf))];
  const emb = await embeddingsFor(db, m, items, needed, ctx);
  const built = buildExamples(items, emb, m.encoders.embedDim, { template: spec.template, outcome: spec.outcome, groupColumn: spec.groupColumn });
  const ex: ClinicalExamples = built.examples;
  if (ex.classes.length < 2) throw badInput(`the outcome needs at least two classes among the items; found ${ex.classes.length} (${ex.y.length} items)`);
  const patients = new Set(ex.groups).size;
  if (patients < spec.folds) throw badInput(`${patients} patients are fewer than the ${spec.folds} folds`);

  const offGate = ctx.gate.onChange((s) => ctx.progress({ phase: 'training', paused: s === 'paused' }));
  const onAbort = () => ctx.gate.cancel();
  ctx.signal.addEventListener('abort', onAbort);
  const base = { n: ex.y.length, patients, classes: ex.classes, counts: built.counts, dropped: built.dropped, baseVersion: m.version, sampleText: ex.texts[0] ?? '' };
  try {
    const cv = await crossValidate({
      base: m.params, config: m.config, tokenizer: m.tokenizer, examples: ex, inputSets: spec.inputSets, settings: spec.settings, folds: spec.folds, gate: ctx.gate,
      onEpoch: (p) => ctx.progress({ phase: 'training', inputSet: p.inputSet, fold: p.fold, folds: p.folds, epoch: p.epoch }),
      onRow: (row) => ctx.progress({ phase: 'training', row }),
    });
    if (cv.status === 'cancelled') return { status: 'cancelled', rows: cv.rows, predictor: null, ...base };
    if (!spec.saveInputSet) return { status: 'done', rows: cv.rows, predictor: null, ...base };

    // The saved predictor: the chosen input set fitted on every item (its CV row says how well it generalises).
    const saveSet = spec.saveInputSet;
    const data = new ExampleTensors(m.tokenizer, m.config, ex, modalitiesOf(saveSet), spec.settings.softTokens);
    let fit;
    try {
      fit = await trainPredictor({
        base: m.params, config: m.config, data, y: ex.y, nClasses: ex.classes.length, embedDim: ex.embedDim, train: [...ex.y.keys()], val: [],
        settings: spec.settings, seed: spec.settings.seed, gate: ctx.gate,
        onEpoch: (e) => ctx.progress({ phase: 'training', inputSet: saveSet, fold: -1, folds: spec.folds, epoch: e }),
      });
    } finally {
      data.dispose();
    }
    if (fit.status === 'cancelled') return { status: 'cancelled', rows: cv.rows, predictor: null, ...base };
    ctx.progress({ phase: 'saving' });
    const createdAt = (ctx.now ?? Date.now)();
    const id = `clinical-${createdAt}`;
    const lineage: PredictorLineage & { rows: RowMetrics[]; items: ClinicalRunSpec['items']; groupColumn: string; folds: number; n: number; counts: Record<string, number>; itemIds: string[] } = {
      kind: 'clinical-predictor',
      baseVersion: m.version,
      task: { outcome: spec.outcome, classes: ex.classes, positive: ex.positive },
      template: spec.template,
      inputSet: saveSet,
      settings: spec.settings,
      items: spec.items.link?.kind === 'pairs' ? { ...spec.items, link: { ...spec.items.link } } : spec.items,
      groupColumn: spec.groupColumn,
      folds: spec.folds,
      n: ex.y.length,
      counts: built.counts,
      rows: cv.rows,
      itemIds: built.ids,
      trainedParams: Object.keys(fit.params).sort(),
    };
    const version: StoredModelVersion = {
      id,
      name: spec.name?.trim() || `${spec.outcome.replace(/^(meta|label):/, '')} · ${saveSet} · r=${spec.settings.rank} k=${spec.settings.softTokens} · seed ${spec.settings.seed}`,
      parent: m.version,
      createdAt,
      lineage,
      files: await encodeParamFiles(id, fit.params),
    };
    await putVersion(db, version);
    return { status: 'done', rows: cv.rows, predictor: predictorSummary(version), ...base };
  } finally {
    offGate();
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

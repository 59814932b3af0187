// Saved clinical predictors: model versions whose lineage.kind is "clinical-predictor" (kept in the
// versions store beside the encoder versions, listed apart from them), and applying one to library items.
import { applyPredictor, isPredictorLineage, outcomeOf, renderTemplate, type PredictorLineage, type RowMetrics } from '../../../model/clinical';
import { modalitiesOf } from '../../../model/clinical/types';
import { versionOverrides } from '../../../model/finetune/version-model';
import type { StudioDb } from '../../../storage/db';
import { allItems } from '../../../storage/items';
import type { StoredModelVersion } from '../../../storage/types';
import { allVersions, getVersion } from '../../../storage/versions';
import type { CallCtx } from '../service';
import type { VersionModel } from '../model-host';
import type { Progress } from '../../api';
import { selectClinicalItems } from './items';
import { embeddingsFor } from './job';
import type { ClinicalItemSpec, ClinicalPrediction, PredictorSummary } from './methods';
import { badInput } from '../../shared/errors';


type StoredLineage = PredictorLineage & { items: ClinicalItemSpec; n: number; rows: RowMetrics[]; groupColumn: string };

export const isPredictorVersion = (v: StoredModelVersion): boolean => isPredictorLineage(v.lineage);

export function predictorSummary(v: StoredModelVersion): PredictorSummary {
  const l = v.lineage as StoredLineage;
  return {
    id: v.id, name: v.name, createdAt: v.createdAt, baseVersion: l.baseVersion, inputSet: l.inputSet, outcome: l.task.outcome,
    classes: l.task.classes, template: l.template, items: l.items, n: l.n, rows: l.rows,
  };
}

export async function listPredictors(db: StudioDb): Promise<PredictorSummary[]> {
  return (await allVersions(db)).filter(isPredictorVersion).sort((a, b) => a.createdAt - b.createdAt).map(predictorSummary);
}

/** Predictions of a saved predictor for the library items its selection matches (first `limit`). */
export async function applySaved(
  db: StudioDb,
  id: string,
  limit: number,
  model: (version: string) => Promise<VersionModel>,
  ctx: CallCtx<Progress>,
): Promise<{ predictor: PredictorSummary; classes: string[]; predictions: ClinicalPrediction[] }> {
  const v = await getVersion(db, id);
  if (!v || !isPredictorVersion(v)) throw badInput(`no saved clinical predictor "${id}"`);
  const l = v.lineage as StoredLineage;
  const m = await model(l.baseVersion);
  if (!m.tokenizer) throw new Error('the model version has no tokenizer');
  const items = selectClinicalItems(await allItems(db), l.items).slice(0, Math.max(0, limit));
  const emb = await embeddingsFor(db, m, items, modalitiesOf(l.inputSet), { signal: ctx.signal, progress: (p) => p.embedding && ctx.progress(p.embedding) });
  // Every item with its embeddings is predicted; the outcome column only supplies the truth shown beside it.
  const kept = items.map((_, i) => i).filter((i) => Object.values(emb).every((r) => r?.[i]));
  const d = m.encoders.embedDim;
  const embeddings: Record<string, Float32Array> = {};
  for (const [mod, r] of Object.entries(emb)) {
    const out = new Float32Array(kept.length * d);
    kept.forEach((i, j) => out.set(r![i]!, j * d));
    embeddings[mod] = out;
  }
  const itemTexts = kept.map((i) => renderTemplate(l.template, items[i].meta));
  const probs = await applyPredictor(m.params, m.config, m.tokenizer, versionOverrides(v), l, { texts: itemTexts, embeddings, embedDim: d });
  const C = l.task.classes.length;
  const predictions = kept.map((i, j): ClinicalPrediction => {
    const p = Array.from(probs.subarray(j * C, (j + 1) * C));
    const best = p.indexOf(Math.max(...p));
    return { id: items[i].id, sourceName: items[i].sourceName, text: itemTexts[j], predicted: l.task.classes[best], probabilities: p, truth: outcomeOf(items[i], l.task.outcome) };
  });
  return { predictor: predictorSummary(v), classes: l.task.classes, predictions };
}

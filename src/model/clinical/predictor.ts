// A trained clinical predictor as data: its parameters (LoRA, soft-token projections, head) plus what is
// needed to use it again (settings, classes, inputs, template, base model version). Saved as a model
// version's weight files; applied to new items with the same forward pass.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import type { ParamArrays } from '../finetune/trainer';
import type { Params } from '../params';
import type { Tokenizer } from '../tokenizer';
import { ExampleTensors, predictProbabilities } from './train';
import { modalitiesOf, type ClinicalExamples, type ClinicalSettings, type InputSet } from './types';

/** The version lineage of a saved predictor (lineage.kind marks it apart from encoder versions). */
export interface PredictorLineage {
  kind: 'clinical-predictor';
  baseVersion: string;
  task: { outcome: string; classes: string[]; positive: number };
  template: string;
  inputSet: InputSet;
  settings: ClinicalSettings;
  [key: string]: unknown;
}

export const isPredictorLineage = (l: unknown): l is PredictorLineage => !!l && (l as { kind?: unknown }).kind === 'clinical-predictor';

/** Parameters as tensors (the caller disposes them). */
export function tensorsOf(params: ParamArrays): Map<string, tf.Tensor> {
  return new Map(Object.entries(params).map(([k, p]) => [k, tf.tensor(p.values, p.shape, 'float32')]));
}

/** Class probabilities [n, C] of new items under a saved predictor. */
export async function applyPredictor(
  base: Params,
  c: MedbindConfig,
  tok: Tokenizer,
  params: ParamArrays,
  lineage: PredictorLineage,
  items: Pick<ClinicalExamples, 'texts' | 'embeddings' | 'embedDim'>,
): Promise<Float32Array> {
  const modalities = modalitiesOf(lineage.inputSet);
  const n = items.texts.length;
  const ex: ClinicalExamples = { ...items, y: new Int32Array(n), classes: lineage.task.classes, positive: lineage.task.positive, groups: items.texts.map((_, i) => String(i)) };
  const data = new ExampleTensors(tok, c, ex, modalities, lineage.settings.softTokens);
  const tp = tensorsOf(params);
  try {
    const s = lineage.settings;
    return await predictProbabilities(base, c, tp, { rank: s.rank, alpha: s.alpha, softTokens: s.softTokens, modalities }, data, [...Array(n).keys()]);
  } finally {
    data.dispose();
    for (const t of tp.values()) t.dispose();
  }
}

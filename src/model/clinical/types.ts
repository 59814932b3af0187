// Shared shapes of the clinical-prediction experiment (the paper's Table 4): which inputs a row uses, the
// tuning settings (LoRA rank/alpha, soft tokens per modality, epochs, lr, seed) and per-row metrics.

/** A modality whose frozen 256-d embedding becomes soft tokens after the text. */
export type SoftModality = 'cxr' | 'ecg';

/** One row of the comparison: the text alone, or the text with one or both embeddings. */
export type InputSet = 'text' | 'text+cxr' | 'text+ecg' | 'text+cxr+ecg';

export const INPUT_SETS: readonly InputSet[] = ['text', 'text+cxr', 'text+ecg', 'text+cxr+ecg'];

export function modalitiesOf(set: InputSet): SoftModality[] {
  const out: SoftModality[] = [];
  if (set.includes('cxr')) out.push('cxr');
  if (set.includes('ecg')) out.push('ecg');
  return out;
}

export interface ClinicalSettings {
  /** LoRA rank r of the query/value updates. */
  rank: number;
  /** LoRA alpha: the update is scaled by alpha / r. */
  alpha: number;
  /** Soft tokens per modality. */
  softTokens: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  seed: number;
}

export const DEFAULT_CLINICAL_SETTINGS: ClinicalSettings = {
  rank: 4,
  alpha: 8,
  softTokens: 2,
  epochs: 8,
  batchSize: 32,
  learningRate: 2e-3,
  weightDecay: 0.01,
  seed: 1,
};

/** Items of one task, ready for the model: rendered texts, frozen embeddings, labels, patient groups. */
export interface ClinicalExamples {
  texts: string[];
  /** [n, embedDim] per available modality (row i = item i). */
  embeddings: Partial<Record<SoftModality, Float32Array>>;
  embedDim: number;
  y: Int32Array;
  classes: string[];
  /** Index of the positive class for binary AUROC (ignored for more classes). */
  positive: number;
  /** Patient (or other grouping) key per item: folds never split a group. */
  groups: string[];
}

export interface EpochReport {
  /** 1-based epoch. */
  epoch: number;
  loss: number;
  trainAccuracy: number;
  /** Accuracy on the held-out fold (NaN when training on everything). */
  valAccuracy: number;
}

export interface MetricWithCi {
  value: number;
  lo: number;
  hi: number;
}

export interface RowMetrics {
  inputSet: InputSet;
  n: number;
  patients: number;
  accuracy: MetricWithCi;
  balancedAccuracy: MetricWithCi;
  auroc: MetricWithCi;
  folds: number;
}

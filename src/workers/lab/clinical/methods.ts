// The clinical-prediction part of the lab worker's contract: the options the library offers (columns,
// labels, sample metadata for the template preview), the cross-validated run with its progress, pause /
// resume / cancel, and saved predictors (list, apply to items, delete). Plain data only.
import type { ClinicalSettings, EpochReport, InputSet, RowMetrics } from '../../../model/clinical/types';
import type { Modality } from '../../../formats/types';
import type { Progress } from '../../api';

/** Which items: one modality, or CXR + ECG joined by a metadata column or a pairing file. */
export interface ClinicalItemSpec {
  mode: 'cxr' | 'ecg' | 'both';
  /** Only these datasets (empty or absent: all). */
  datasets?: string[];
  /** For "both": the link between a CXR and an ECG. */
  link?: { kind: 'meta'; cxrColumn: string; ecgColumn: string } | { kind: 'pairs'; csv: string; file: string };
}

export interface ClinicalRunSpec {
  items: ClinicalItemSpec;
  /** "meta:<column>", "label:<name>" or "labels". */
  outcome: string;
  template: string;
  /** Metadata column holding the patient (folds never split one). */
  groupColumn: string;
  inputSets: InputSet[];
  settings: ClinicalSettings;
  folds: number;
  /** The input set whose predictor is fitted on every item and saved (null: save none). */
  saveInputSet: InputSet | null;
  name?: string;
}

export interface ClinicalModalityInfo {
  modality: Modality;
  n: number;
  datasets: string[];
  /** Metadata columns and how many items carry each. */
  columns: Record<string, number>;
  labels: Record<string, number>;
}

export interface ClinicalOptions {
  modalities: ClinicalModalityInfo[];
  /** A few items' metadata per modality, for the template preview. */
  samples: { id: string; modality: Modality; dataset: string; labels: string[]; meta: Record<string, string | number> }[];
}

export interface ClinicalProgress {
  phase: 'embedding' | 'training' | 'saving';
  embedding?: Progress;
  inputSet?: InputSet;
  fold?: number;
  folds?: number;
  epoch?: EpochReport;
  row?: RowMetrics;
  paused?: boolean;
}

export interface PredictorSummary {
  id: string;
  name: string;
  createdAt: number;
  baseVersion: string;
  inputSet: InputSet;
  outcome: string;
  classes: string[];
  template: string;
  items: ClinicalItemSpec;
  n: number;
  rows: RowMetrics[];
}

export interface ClinicalOutcome {
  status: 'done' | 'cancelled';
  rows: RowMetrics[];
  n: number;
  patients: number;
  classes: string[];
  counts: Record<string, number>;
  /** Items left out (no outcome value, or a missing embedding / link). */
  dropped: number;
  baseVersion: string;
  sampleText: string;
  predictor: PredictorSummary | null;
}

export interface ClinicalPrediction {
  id: string;
  sourceName: string;
  text: string;
  predicted: string;
  probabilities: number[];
  /** The item's own outcome value where it has one. */
  truth: string | null;
}

export type ClinicalMethods = {
  clinicalOptions: { params: null; result: ClinicalOptions };
  clinicalRun: { params: ClinicalRunSpec; result: ClinicalOutcome; progress: ClinicalProgress };
  clinicalControl: { params: { action: 'pause' | 'resume' | 'cancel' }; result: { state: 'running' | 'paused' | 'cancelled' | 'idle' } };
  clinicalPredictors: { params: null; result: PredictorSummary[] };
  clinicalApply: { params: { id: string; limit: number }; result: { predictor: PredictorSummary; classes: string[]; predictions: ClinicalPrediction[] }; progress: Progress };
  clinicalDelete: { params: { id: string }; result: PredictorSummary[] };
};

// The lab worker's method map (zero-shot, cross-modal, few-shot probe, fine-tuning, model versions):
// each method's types and, in labMethods, how the client calls it. lab.worker.ts serves it, lab-client.ts
// derives its calls from it. Plain data only (structured-clone safe).
import type { BackendInfo, Progress } from '../api';
import type { Modality } from '../../formats/types';
import type { StoredModelVersion, StoredPromptSet } from '../../storage/types';
import type { BindEpoch } from '../../model/bind/trainer';
import type { PairRetrieval } from '../../model/bind/retrieval';
import type { BindCounts } from './pairs/bind-core';
import type { PairRule } from './pairs/match-rule';
import type { MatchReport, UnmatchedRow } from './pairs/types';

export type { BindEpoch, PairRetrieval, BindCounts, PairRule, MatchReport, UnmatchedRow };
export { PAIRING_MAX_BYTES } from './pairs/types';
import type { ClinicalMethods } from './clinical/methods';
import type { MethodSpecs } from '../shared/worker-client';

/** A labelled subset of the library: modality, optional dataset/split filters, a label column and classes. */
export interface LabelledSetSpec {
  modality: Modality;
  /** Only these datasets (empty or absent: all). */
  datasets?: string[];
  /** Only these splits (absent: all). */
  splits?: ('train' | 'val' | 'test')[];
  /** "labels" (the item's label list) or "meta:<column>" (one metadata column). */
  column: string;
  /** Class values to use (absent: every value present). Items must carry exactly one of them. Not used by
   * fine-tuning, whose classes come from its prompt set. */
  classes?: string[];
}

/** What the library offers for LabelledSetSpec pickers. */
export interface LabelColumnInfo {
  modality: Modality;
  column: string;
  /** value -> number of items carrying exactly that one value among the column's values. */
  counts: Record<string, number>;
  datasets: string[];
}

export interface ZeroShotItemResult {
  id: string;
  dataset: string;
  sourceName: string;
  /** The item's class (name of the prompt class) or null when it carries none / several. */
  truth: string | null;
  predicted: string;
  /** Cosine similarity per class, in prompt-set order. */
  scores: number[];
}

export interface ClassificationReport {
  classes: string[];
  items: ZeroShotItemResult[];
  /** confusion[t][p]: items of true class t predicted as p (labelled items only). */
  confusion: number[][];
  /** null when no item carries a label of the classes. */
  balancedAccuracy: number | null;
  nLabelled: number;
  version: string;
  elapsedMs: number;
}

export interface ZeroShotRunSpec {
  /** Classes, their library labels (truth) and templates. */
  promptSet: StoredPromptSet;
  /** Which items: a filter or an explicit id list. */
  filter?: { datasets?: string[]; splits?: ('train' | 'val' | 'test')[]; labels?: string[]; column?: string };
  itemIds?: string[];
  /** Model version to use (default: the active one). */
  version?: string;
}

/** Table 3 procedure: query items of one modality, a labelled support set of the other, class centroids. */
export interface CrossModalSpec {
  queryModality: Modality;
  /** Class name, the labels that define it in the support modality and in the query modality. */
  classes: { name: string; supportLabels: string[]; queryLabels: string[] }[];
  /** Name of the class of everything else ("other"), or null for no rest class. */
  restClass: string | null;
  version?: string;
}

export interface CrossModalReport extends ClassificationReport {
  supportCounts: Record<string, number>;
  /** Always set: the caveat about how the support and query modalities relate. */
  caveat: string;
}

export interface ProbeSpec {
  set: LabelledSetSpec;
  /** Shots per class, or "all" (every item outside a held-out part). */
  k: number | 'all';
  seed: number;
  /** Number of random support sets (1 = a single run). */
  repeats: number;
  version?: string;
}

export interface ProbeReport {
  k: number | 'all';
  repeats: number;
  mean: number;
  sd: number;
  runs: number[];
  /** Effective shots per class (a small class gives what it has and keeps one item for testing). */
  effectiveK: Record<string, number>;
  /** Items outside the support set (tested on). */
  nTest: number;
  elapsedMs: number;
}

export interface FinetuneSpec {
  set: LabelledSetSpec;
  /** The classes: each prompt class's labels select its items in `set.column`; its templates give its text embedding. */
  promptSet: StoredPromptSet;
  k: number | 'all';
  seed: number;
  objective: 'prompt-contrastive' | 'cross-entropy';
  scope: 'projection' | 'projection+final-norm';
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  patience: number;
  /** Version to start from (default: the active one). */
  baseVersion?: string;
  name?: string;
}

export interface FinetuneProgress {
  phase: 'features' | 'training' | 'saving';
  /** Feature extraction progress (phase 'features'). */
  done?: number;
  total?: number;
  /** One entry per finished epoch (phase 'training'; epoch 0 = before training). */
  epoch?: { epoch: number; loss: number; trainBalancedAccuracy: number; valBalancedAccuracy: number; elapsedMs: number };
  paused?: boolean;
}

export interface FinetuneOutcome {
  status: 'done' | 'early-stopped' | 'cancelled';
  /** The new version (absent when cancelled). */
  version: StoredModelVersion | null;
  bestEpoch: number;
  valBalancedAccuracy: number;
  /** Zero-shot balanced accuracy of the base version on the same validation items. */
  zeroShotValBalancedAccuracy: number;
  nTrain: number;
  nVal: number;
  backend: BackendInfo;
  history: NonNullable<FinetuneProgress['epoch']>[];
}

/** A version as listed to the page (no weight bytes). */
export interface VersionSummary {
  id: string;
  name: string;
  parent: string | null;
  createdAt: number;
  lineage: Record<string, unknown>;
  files: { name: string; bytes: number; sha256: string }[];
  embedded: number;
  active: boolean;
  shipped: boolean;
}

export interface CompareSpec {
  a: string;
  b: string;
  promptSet: StoredPromptSet;
  /** The held-out items; default: the validation ids stored in b's lineage, else the val/test split. */
  itemIds?: string[];
  modality?: Modality;
}

export interface CompareReport {
  a: ClassificationReport;
  b: ClassificationReport;
  itemIds: string[];
}

/** A pairing: a CSV file's bytes, or the metadata rule (same patient, study times within N hours). */
export type PairSource = { kind: 'csv'; fileName: string; bytes: Uint8Array } | { kind: 'rule'; rule: PairRule };

export interface BindSpec {
  source: PairSource;
  /** Fraction of pair groups (patients) held out for validation, and the split's seed. */
  valFrac: number;
  splitSeed: number;
  seed: number;
  epochs: number;
  /** Pairs per batch. */
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  /** Epochs without a better validation CXR -> ECG R@10 before stopping (0 = never). */
  patience: number;
  /** Version to start from (default: the active one). */
  baseVersion?: string;
  name?: string;
}

export interface BindProgress {
  phase: 'features' | 'training' | 'evaluating' | 'saving';
  done?: number;
  total?: number;
  modality?: 'cxr' | 'ecg';
  epoch?: BindEpoch;
  paused?: boolean;
}

export interface BindOutcome {
  status: 'done' | 'early-stopped' | 'cancelled';
  version: StoredModelVersion | null;
  /** The pairing's label (file name, or the rule). */
  pairing: string;
  counts: BindCounts;
  /** Base heads vs the bound heads on the held-out pairs (after is null when cancelled). */
  before: PairRetrieval;
  after: PairRetrieval | null;
  history: BindEpoch[];
  bestEpoch: number;
  /** The first rows of the pairing that did not match (line + reason). */
  unmatched: UnmatchedRow[];
  /** Paired items without a stored model input (left out). */
  droppedNoInput: number;
  backend: BackendInfo;
}

/** The lab validates, trains and saves versions; activating one and re-embedding belong to the engine. */
export type LabEvent = { type: 'backend'; info: BackendInfo };

export type LabMethods = {
  backend: { params: null; result: BackendInfo };
  labelColumns: { params: null; result: LabelColumnInfo[] };
  listItems: { params: { modality?: Modality; limit: number }; result: { id: string; modality: Modality; dataset: string; sourceName: string; labels: string[] }[] };
  defaultPromptSets: { params: null; result: StoredPromptSet[] };
  savedPromptSets: { params: null; result: StoredPromptSet[] };
  savePromptSet: { params: { set: StoredPromptSet }; result: null };
  deletePromptSet: { params: { id: string }; result: null };
  zeroShotItem: { params: { itemId: string; promptSet: StoredPromptSet; version?: string }; result: { classes: string[]; scores: number[]; ranked: { name: string; score: number }[] } };
  zeroShotRun: { params: ZeroShotRunSpec; result: ClassificationReport; progress: Progress };
  crossModal: { params: CrossModalSpec; result: CrossModalReport; progress: Progress };
  probe: { params: ProbeSpec; result: ProbeReport; progress: Progress };
  finetune: { params: FinetuneSpec; result: FinetuneOutcome; progress: FinetuneProgress };
  finetuneControl: { params: { action: 'pause' | 'resume' | 'cancel' }; result: { state: 'running' | 'paused' | 'cancelled' | 'idle' } };
  listVersions: { params: null; result: VersionSummary[] };
  compareVersions: { params: CompareSpec; result: CompareReport; progress: Progress };
  exportVersion: { params: { id: string }; result: { name: string; bytes: Uint8Array }[] };
  importVersion: { params: { files: { name: string; bytes: Uint8Array }[] }; result: VersionSummary };
  deleteVersion: { params: { id: string }; result: VersionSummary[] };
  matchPairs: { params: { source: PairSource }; result: MatchReport };
  bind: { params: BindSpec; result: BindOutcome; progress: BindProgress };
} & ClinicalMethods;

/** How the client calls each lab method (training runs have no timeout: they can be paused). */
export const labMethods = {
  backend: { idempotent: true },
  labelColumns: { idempotent: true },
  listItems: { idempotent: true },
  defaultPromptSets: { idempotent: true },
  savedPromptSets: { idempotent: true },
  savePromptSet: { idempotent: false },
  deletePromptSet: { idempotent: false },
  zeroShotItem: { idempotent: true },
  zeroShotRun: { idempotent: true, job: true },
  crossModal: { idempotent: true, job: true },
  probe: { idempotent: true, job: true },
  finetune: { idempotent: false, job: true, timeoutMs: 0 },
  finetuneControl: { idempotent: false },
  listVersions: { idempotent: true },
  compareVersions: { idempotent: true, job: true },
  exportVersion: { idempotent: true },
  importVersion: { idempotent: false },
  deleteVersion: { idempotent: false },
  matchPairs: { idempotent: true },
  bind: { idempotent: false, job: true, timeoutMs: 0 },
  clinicalOptions: { idempotent: true },
  clinicalRun: { idempotent: false, job: true, timeoutMs: 0 },
  clinicalControl: { idempotent: false },
  clinicalPredictors: { idempotent: true },
  clinicalApply: { idempotent: true, job: true },
  clinicalDelete: { idempotent: false },
} as const satisfies MethodSpecs<LabMethods>;

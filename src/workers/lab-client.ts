// The main-thread door to the lab worker (zero-shot, probes, fine-tuning, model versions): LabClient over
// the client derived from the lab's method map (lab/methods.ts states each call's idempotence and
// timeout), so every promise settles (result, typed RpcError, crash, device loss, timeout). Long jobs
// return Job<T> with cancel(); fine-tuning can also be paused and resumed.
import type { BackendInfo, Job, Progress } from './api';
import type { Modality } from '../formats/types';
import type { StoredPromptSet } from '../storage/types';
import { createWorkerClient } from './shared/worker-client';
import type { WorkerLike } from './protocol';
import { parseBackendParam } from './engine/methods';
import { labMethods } from './lab/methods';
import type {
  BindOutcome,
  BindProgress,
  BindSpec,
  MatchReport,
  PairSource,
  ClassificationReport,
  CompareReport,
  CompareSpec,
  CrossModalReport,
  CrossModalSpec,
  FinetuneOutcome,
  FinetuneProgress,
  FinetuneSpec,
  LabEvent,
  LabMethods,
  LabelColumnInfo,
  ProbeReport,
  ProbeSpec,
  VersionSummary,
  ZeroShotRunSpec,
} from './lab/methods';
import type { ClinicalOptions, ClinicalOutcome, ClinicalPrediction, ClinicalProgress, ClinicalRunSpec, PredictorSummary } from './lab/clinical/methods';

export type * from './lab/methods';
export { PAIRING_MAX_BYTES } from './lab/methods';
export type * from './lab/clinical/methods';

export type LabClientEvent = LabEvent | { type: 'worker-restarted'; reason: string };

export interface LabItemRow {
  id: string;
  modality: Modality;
  dataset: string;
  sourceName: string;
  labels: string[];
}

export interface LabClient {
  backend(): Promise<BackendInfo>;
  labelColumns(): Promise<LabelColumnInfo[]>;
  listItems(modality: Modality | undefined, limit: number): Promise<LabItemRow[]>;
  /** The paper's prompt sets plus sets generated for the labels in the library (not saved). */
  defaultPromptSets(): Promise<StoredPromptSet[]>;
  savedPromptSets(): Promise<StoredPromptSet[]>;
  savePromptSet(set: StoredPromptSet): Promise<void>;
  deletePromptSet(id: string): Promise<void>;
  zeroShotItem(itemId: string, promptSet: StoredPromptSet, version?: string): Promise<{ classes: string[]; scores: number[]; ranked: { name: string; score: number }[] }>;
  zeroShotRun(spec: ZeroShotRunSpec, onProgress?: (p: Progress) => void): Job<ClassificationReport>;
  crossModal(spec: CrossModalSpec, onProgress?: (p: Progress) => void): Job<CrossModalReport>;
  probe(spec: ProbeSpec, onProgress?: (p: Progress) => void): Job<ProbeReport>;
  /** One run at a time; progress carries each epoch's metrics and pause state. */
  finetune(spec: FinetuneSpec, onProgress?: (p: FinetuneProgress) => void): Job<FinetuneOutcome>;
  pauseFinetune(): Promise<void>;
  resumeFinetune(): Promise<void>;
  cancelFinetune(): Promise<void>;
  listVersions(): Promise<VersionSummary[]>;
  compareVersions(spec: CompareSpec, onProgress?: (p: Progress) => void): Job<CompareReport>;
  /** The files to download: "<id>.weights.json", "<id>.weights.bin", "<id>.version.json". */
  exportVersion(id: string): Promise<{ name: string; bytes: Uint8Array }[]>;
  /** Verifies every file's sha256 against the bundle JSON; rejects with RpcError code 'bad-input' on mismatch. */
  importVersion(files: { name: string; bytes: Uint8Array }[]): Promise<VersionSummary>;
  deleteVersion(id: string): Promise<VersionSummary[]>;
  /** How a pairing matches the library: pair count and each row that did not match, with why. */
  matchPairs(source: PairSource): Promise<MatchReport>;
  /** Pair binding (TMCL + EMCL on the heads); pause / resume / cancel as fine-tuning. */
  bind(spec: BindSpec, onProgress?: (p: BindProgress) => void): Job<BindOutcome>;
  clinicalOptions(): Promise<ClinicalOptions>;
  /** One run at a time; progress carries each epoch, each finished row and the pause state. */
  clinicalRun(spec: ClinicalRunSpec, onProgress?: (p: ClinicalProgress) => void): Job<ClinicalOutcome>;
  controlClinical(action: 'pause' | 'resume' | 'cancel'): Promise<void>;
  clinicalPredictors(): Promise<PredictorSummary[]>;
  clinicalApply(id: string, limit: number, onProgress?: (p: Progress) => void): Job<{ predictor: PredictorSummary; classes: string[]; predictions: ClinicalPrediction[] }>;
  clinicalDelete(id: string): Promise<PredictorSummary[]>;
  onEvent(cb: (e: LabClientEvent) => void): () => void;
  dispose(): void;
}

export interface LabClientOptions {
  spawn?: (name: string) => WorkerLike;
  /** The page's query string (defaults to location.search) for `?backend=`. */
  search?: string;
  /** Inactivity timeout of calls whose spec states none, ms (default 300 s). */
  timeoutMs?: number;
}

export const LAB_NAME_PREFIX = 'medbind-lab';

const spawnLab = (name: string): WorkerLike => new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module', name });

export function createLabClient(opts: LabClientOptions = {}): LabClient {
  const search = opts.search ?? (typeof location !== 'undefined' ? location.search : '');
  const forced = parseBackendParam(search);
  const name = forced ? `${LAB_NAME_PREFIX}?backend=${forced}` : LAB_NAME_PREFIX;
  const spawn = opts.spawn ?? spawnLab;
  const w = createWorkerClient<LabMethods, typeof labMethods, LabEvent>({
    label: 'lab',
    methods: labMethods,
    spawn: () => spawn(name),
    defaultTimeoutMs: opts.timeoutMs ?? 300_000,
  });
  const c = w.call;

  return {
    backend: () => c.backend(null),
    labelColumns: () => c.labelColumns(null),
    listItems: (modality, limit) => c.listItems({ modality, limit }),
    defaultPromptSets: () => c.defaultPromptSets(null),
    savedPromptSets: () => c.savedPromptSets(null),
    savePromptSet: async (set) => void (await c.savePromptSet({ set })),
    deletePromptSet: async (id) => void (await c.deletePromptSet({ id })),
    zeroShotItem: (itemId, promptSet, version) => c.zeroShotItem({ itemId, promptSet, version }),
    zeroShotRun: (spec, onProgress) => c.zeroShotRun(spec, onProgress),
    crossModal: (spec, onProgress) => c.crossModal(spec, onProgress),
    probe: (spec, onProgress) => c.probe(spec, onProgress),
    finetune: (spec, onProgress) => c.finetune(spec, onProgress),
    pauseFinetune: async () => void (await c.finetuneControl({ action: 'pause' })),
    resumeFinetune: async () => void (await c.finetuneControl({ action: 'resume' })),
    cancelFinetune: async () => void (await c.finetuneControl({ action: 'cancel' })),
    listVersions: () => c.listVersions(null),
    compareVersions: (spec, onProgress) => c.compareVersions(spec, onProgress),
    exportVersion: (id) => c.exportVersion({ id }),
    importVersion: (files) => c.importVersion({ files }),
    deleteVersion: (id) => c.deleteVersion({ id }),
    matchPairs: (source) => c.matchPairs({ source }),
    bind: (spec, onProgress) => c.bind(spec, onProgress),
    clinicalOptions: () => c.clinicalOptions(null),
    clinicalRun: (spec, onProgress) => c.clinicalRun(spec, onProgress),
    controlClinical: async (action) => void (await c.clinicalControl({ action })),
    clinicalPredictors: () => c.clinicalPredictors(null),
    clinicalApply: (id, limit, onProgress) => c.clinicalApply({ id, limit }, onProgress),
    clinicalDelete: (id) => c.clinicalDelete({ id }),
    onEvent: w.onEvent,
    dispose: () => w.dispose(),
  };
}

let shared: LabClient | null = null;
/** The app's one lab client (created on first use). */
export function labClient(): LabClient {
  shared ??= createLabClient();
  return shared;
}

// The main-thread door to the lab worker (zero-shot, probes, fine-tuning, model versions): typed calls over
// the supervised RPC client, so every promise settles (result, typed RpcError, crash, device loss,
// timeout). Long jobs return Job<T> with cancel(); fine-tuning can also be paused and resumed.
import type { BackendInfo, Job, Progress } from './api';
import type { Modality } from '../formats/types';
import type { StoredPromptSet } from '../storage/types';
import { RpcClient } from './rpc-client';
import type { WorkerLike } from './protocol';
import { parseBackendParam } from './engine/methods';
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
import { createEventHub } from './event-hub';

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
  /** Sets kv "activeVersion" and starts re-embedding the library in the background (events 'reembed'). */
  setActiveVersion(id: string): Promise<VersionSummary[]>;
  reembed(version: string, onProgress?: (p: Progress) => void): Job<{ embedded: number }>;
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
  /** Inactivity timeout of calls, ms (default 300 s; fine-tuning has none since it can be paused). */
  timeoutMs?: number;
}

export const LAB_NAME_PREFIX = 'medbind-lab';

const spawnLab = (name: string): WorkerLike => new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module', name });

export function createLabClient(opts: LabClientOptions = {}): LabClient {
  const events = createEventHub<LabClientEvent>();
  const emit = events.emit;
  const search = opts.search ?? (typeof location !== 'undefined' ? location.search : '');
  const forced = parseBackendParam(search);
  const name = forced ? `${LAB_NAME_PREFIX}?backend=${forced}` : LAB_NAME_PREFIX;
  const spawn = opts.spawn ?? spawnLab;
  const rpc = new RpcClient<LabMethods>({
    spawn: () => spawn(name),
    defaultTimeoutMs: opts.timeoutMs ?? 300_000,
    onEvent: (e) => emit(e as LabEvent),
    onRestart: (reason) => emit({ type: 'worker-restarted', reason }),
    onLog: (level, message) => (level === 'error' ? console.error : console.warn)(`[lab] ${message}`),
  });
  const read = <K extends keyof LabMethods & string>(method: K, params: LabMethods[K]['params']) =>
    rpc.call(method, params, { idempotent: true }).promise;
  const write = <K extends keyof LabMethods & string>(method: K, params: LabMethods[K]['params']) => rpc.call(method, params).promise;

  return {
    backend: () => read('backend', null),
    labelColumns: () => read('labelColumns', null),
    listItems: (modality, limit) => read('listItems', { modality, limit }),
    defaultPromptSets: () => read('defaultPromptSets', null),
    savedPromptSets: () => read('savedPromptSets', null),
    savePromptSet: async (set) => void (await write('savePromptSet', { set })),
    deletePromptSet: async (id) => void (await write('deletePromptSet', { id })),
    zeroShotItem: (itemId, promptSet, version) => read('zeroShotItem', { itemId, promptSet, version }),
    zeroShotRun: (spec, onProgress) => rpc.call('zeroShotRun', spec, { idempotent: true, onProgress }),
    crossModal: (spec, onProgress) => rpc.call('crossModal', spec, { idempotent: true, onProgress }),
    probe: (spec, onProgress) => rpc.call('probe', spec, { idempotent: true, onProgress }),
    finetune: (spec, onProgress) => rpc.call('finetune', spec, { onProgress, timeoutMs: 0 }),
    pauseFinetune: async () => void (await write('finetuneControl', { action: 'pause' })),
    resumeFinetune: async () => void (await write('finetuneControl', { action: 'resume' })),
    cancelFinetune: async () => void (await write('finetuneControl', { action: 'cancel' })),
    listVersions: () => read('listVersions', null),
    setActiveVersion: (id) => write('setActiveVersion', { id }),
    reembed: (version, onProgress) => rpc.call('reembed', { version }, { idempotent: true, onProgress }),
    compareVersions: (spec, onProgress) => rpc.call('compareVersions', spec, { idempotent: true, onProgress }),
    exportVersion: (id) => read('exportVersion', { id }),
    importVersion: (files) => write('importVersion', { files }),
    deleteVersion: (id) => write('deleteVersion', { id }),
    matchPairs: (source) => read('matchPairs', { source }),
    bind: (spec, onProgress) => rpc.call('bind', spec, { onProgress, timeoutMs: 0 }),
    clinicalOptions: () => read('clinicalOptions', null),
    clinicalRun: (spec, onProgress) => rpc.call('clinicalRun', spec, { onProgress, timeoutMs: 0 }),
    controlClinical: async (action) => void (await write('clinicalControl', { action })),
    clinicalPredictors: () => read('clinicalPredictors', null),
    clinicalApply: (id, limit, onProgress) => rpc.call('clinicalApply', { id, limit }, { idempotent: true, onProgress }),
    clinicalDelete: (id) => write('clinicalDelete', { id }),
    onEvent: events.on,
    dispose() {
      events.clear();
      rpc.terminate('the client was disposed');
    },
  };
}

let shared: LabClient | null = null;
/** The app's one lab client (created on first use). */
export function labClient(): LabClient {
  shared ??= createLabClient();
  return shared;
}

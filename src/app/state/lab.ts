// Lab-side app state shared by the zero-shot, few-shot and pairs pages: model versions, prompt sets, the
// fine-tuning run, and the lab's jobs (probe, zero-shot, cross-modal, compare) run through runJob so their
// results survive page navigation. Pages call the actions below; only clients.ts talks to the lab worker.
import type { Modality } from '../../formats/types';
import type { StoredPromptSet } from '../../storage/types';
import type { BackendInfo, Progress } from '../../workers/api';
import type {
  ClassificationReport,
  CompareReport,
  CompareSpec,
  CrossModalReport,
  CrossModalSpec,
  FinetuneOutcome,
  FinetuneProgress,
  FinetuneSpec,
  LabClientEvent,
  LabelColumnInfo,
  LabItemRow,
  ProbeReport,
  ProbeSpec,
  VersionSummary,
  ZeroShotRunSpec,
} from '../../workers/lab-client';
import { activateVersion, lab } from './clients';
import { errorMessage } from './errors';
import { cancelJob, runJob, type JobState } from './jobs';
import { createStore, useStore } from './store';

export interface EpochRow {
  epoch: number;
  loss: number;
  trainBalancedAccuracy: number;
  valBalancedAccuracy: number;
  elapsedMs: number;
}

export interface FinetuneState {
  status: 'idle' | 'features' | 'training' | 'paused' | 'saving' | 'done' | 'cancelled' | 'error';
  spec: FinetuneSpec | null;
  features: Progress | null;
  epochs: EpochRow[];
  outcome: FinetuneOutcome | null;
  error: string | null;
}

export interface LabState {
  versions: VersionSummary[];
  versionsError: string | null;
  promptSets: StoredPromptSet[];
  finetune: FinetuneState;
}

/** Keys of the lab's jobs in the job registry (one run of each at a time). */
export const LAB_JOBS = {
  probe: 'lab/probe',
  zeroShot: 'lab/zero-shot',
  crossModal: 'lab/cross-modal',
  compare: 'lab/compare',
  finetune: 'lab/finetune',
} as const;

const store = createStore<LabState>({
  versions: [],
  versionsError: null,
  promptSets: [],
  finetune: { status: 'idle', spec: null, features: null, epochs: [], outcome: null, error: null },
});

let loaded = false;

export function useLab<T>(select: (s: LabState) => T): T {
  return useStore(store, select);
}

export function getLabState(): LabState {
  return store.get();
}

/** Fetches versions and prompt sets the first time a lab page opens (the lab worker starts then). */
export function ensureLabLoaded(): void {
  if (loaded) return;
  loaded = true;
  void refreshVersions();
  void refreshPromptSets();
}

/** Lab worker events: none changes lab state (the version list follows the engine's 'active-version'). */
export function handleLabEvent(_e: LabClientEvent): void {}

export async function refreshVersions(): Promise<void> {
  if (!loaded) return; // nothing shown yet; the first lab page fetches them
  try {
    store.set({ versions: await lab().listVersions(), versionsError: null });
  } catch (e) {
    store.set({ versionsError: errorMessage(e) });
  }
}

/** Defaults (the eval ensembles, the paper's prompts, generated sets) first, then saved sets (a saved set with a default's id replaces it). */
export async function refreshPromptSets(): Promise<void> {
  try {
    const [defaults, saved] = await Promise.all([lab().defaultPromptSets(), lab().savedPromptSets()]);
    const byId = new Map(defaults.map((s) => [s.id, s]));
    for (const s of saved) byId.set(s.id, s);
    store.set({ promptSets: [...byId.values()] });
  } catch (e) {
    store.set({ versionsError: errorMessage(e) });
  }
}

export async function switchVersion(id: string): Promise<void> {
  store.set({ versions: await activateVersion(id) });
}

export async function deleteVersion(id: string): Promise<void> {
  // The engine owns the active version: deleting the active one first switches to the shipped weights.
  const list = store.get().versions;
  const shipped = list.find((v) => v.shipped)?.id;
  if (shipped && list.find((v) => v.id === id)?.active) await activateVersion(shipped);
  await lab().deleteVersion(id);
  await refreshVersions();
}

export const exportVersion = (id: string) => lab().exportVersion(id);

export async function importVersion(files: { name: string; bytes: Uint8Array }[]): Promise<VersionSummary> {
  const v = await lab().importVersion(files);
  await refreshVersions();
  return v;
}

export async function savePromptSet(set: StoredPromptSet): Promise<void> {
  await lab().savePromptSet(set);
  await refreshPromptSets();
}

export async function deletePromptSet(id: string): Promise<void> {
  await lab().deletePromptSet(id);
  await refreshPromptSets();
}

export const labBackend = (): Promise<BackendInfo> => lab().backend();
export const labelColumns = (): Promise<LabelColumnInfo[]> => lab().labelColumns();
export const listLabItems = (modality: Modality | undefined, limit: number): Promise<LabItemRow[]> => lab().listItems(modality, limit);
export const zeroShotItem = (itemId: string, promptSet: StoredPromptSet) => lab().zeroShotItem(itemId, promptSet);

/** `label` is shown beside the result (the page passes the seed). */
export const runProbe = (spec: ProbeSpec, label = ''): Promise<JobState<ProbeReport, Progress>> =>
  runJob<ProbeReport, Progress>(LAB_JOBS.probe, (cb) => lab().probe(spec, cb), { label });
export const runZeroShot = (spec: ZeroShotRunSpec): Promise<JobState<ClassificationReport, Progress>> =>
  runJob<ClassificationReport, Progress>(LAB_JOBS.zeroShot, (cb) => lab().zeroShotRun(spec, cb));
/** `label` names what the run is for (the page shows the report only beside the same choice). */
export const runCrossModal = (spec: CrossModalSpec, label = ''): Promise<JobState<CrossModalReport, Progress>> =>
  runJob<CrossModalReport, Progress>(LAB_JOBS.crossModal, (cb) => lab().crossModal(spec, cb), { label });
export const runCompare = (spec: CompareSpec): Promise<JobState<CompareReport, Progress>> =>
  runJob<CompareReport, Progress>(LAB_JOBS.compare, (cb) => lab().compareVersions(spec, cb));

/** Folds one fine-tuning progress message into the run's state (pure). */
export function finetuneStep(f: FinetuneState, p: FinetuneProgress): FinetuneState {
  if (p.phase === 'features') return { ...f, status: 'features', features: { done: p.done ?? 0, total: p.total ?? 0, itemsPerSec: 0, etaSec: null, phase: 'frozen features' } };
  if (p.phase === 'saving') return { ...f, status: 'saving' };
  if (p.epoch) return { ...f, status: 'training', epochs: [...f.epochs, p.epoch] };
  if (p.paused !== undefined) return { ...f, status: p.paused ? 'paused' : 'training' };
  return f;
}

export function startFinetune(spec: FinetuneSpec): void {
  const set = (f: Partial<FinetuneState>) => store.set((s) => ({ finetune: { ...s.finetune, ...f } }));
  const running = ['features', 'training', 'paused', 'saving'].includes(store.get().finetune.status);
  if (running) return;
  set({ status: 'features', spec, features: null, epochs: [], outcome: null, error: null });
  void runJob<FinetuneOutcome, FinetuneProgress>(LAB_JOBS.finetune, (cb) => lab().finetune(spec, cb), {
    onProgress: (p) => store.set((s) => ({ finetune: finetuneStep(s.finetune, p) })),
    cancel: () => lab().cancelFinetune(),
    isCancelled: (o) => o.status === 'cancelled',
  }).then((j) => {
    if (j.result) {
      set({ status: j.result.status === 'cancelled' ? 'cancelled' : 'done', outcome: j.result });
      void refreshVersions();
    } else if (j.status === 'cancelled') set({ status: 'cancelled' });
    else set({ status: 'error', error: j.error });
  });
}

export async function controlFinetune(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  if (action === 'pause') await lab().pauseFinetune();
  else if (action === 'resume') await lab().resumeFinetune();
  else cancelJob(LAB_JOBS.finetune);
}

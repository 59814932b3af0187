// Lab state shared by the zero-shot and few-shot pages: model versions, background re-embedding, the
// running fine-tuning job (kept here so it survives page navigation) and the prompt sets.
import type { Job, Progress } from '../../../workers/api';
import { labClient, type FinetuneOutcome, type FinetuneSpec, type LabClientEvent, type VersionSummary } from '../../../workers/lab-client';
import type { StoredPromptSet } from '../../../storage/types';
import { createStore, useStore } from '../../state/store';
import { errorMessage } from '../../state/errors';

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
  reembed: { version: string; progress: Progress | null; error?: string } | null;
  promptSets: StoredPromptSet[];
  finetune: FinetuneState;
}

const store = createStore<LabState>({
  versions: [],
  versionsError: null,
  reembed: null,
  promptSets: [],
  finetune: { status: 'idle', spec: null, features: null, epochs: [], outcome: null, error: null },
});

let subscribed = false;
let job: Job<FinetuneOutcome> | null = null;

export function useLab<T>(select: (s: LabState) => T): T {
  initLab();
  return useStore(store, select);
}

export function initLab(): void {
  if (subscribed) return;
  subscribed = true;
  labClient().onEvent(onEvent);
  void refreshVersions();
  void refreshPromptSets();
}

function onEvent(e: LabClientEvent): void {
  if (e.type === 'reembed') {
    store.set({ reembed: e.done ? (e.error ? { version: e.version, progress: null, error: e.error } : null) : { version: e.version, progress: e.progress } });
    if (e.done) void refreshVersions();
  } else if (e.type === 'active-version') {
    void refreshVersions();
  }
}

export async function refreshVersions(): Promise<void> {
  try {
    store.set({ versions: await labClient().listVersions(), versionsError: null });
  } catch (e) {
    store.set({ versionsError: errorMessage(e) });
  }
}

/** Defaults (paper + generated) first, then saved sets (a saved set with a default's id replaces it). */
export async function refreshPromptSets(): Promise<void> {
  try {
    const [defaults, saved] = await Promise.all([labClient().defaultPromptSets(), labClient().savedPromptSets()]);
    const byId = new Map(defaults.map((s) => [s.id, s]));
    for (const s of saved) byId.set(s.id, s);
    store.set({ promptSets: [...byId.values()] });
  } catch (e) {
    store.set({ versionsError: errorMessage(e) });
  }
}

export async function switchVersion(id: string): Promise<void> {
  store.set({ versions: await labClient().setActiveVersion(id) });
}

export function startFinetune(spec: FinetuneSpec): void {
  if (job) return;
  const set = (f: Partial<FinetuneState>) => store.set((s) => ({ finetune: { ...s.finetune, ...f } }));
  set({ status: 'features', spec, features: null, epochs: [], outcome: null, error: null });
  job = labClient().finetune(spec, (p) => {
    if (p.phase === 'features') set({ status: 'features', features: { done: p.done ?? 0, total: p.total ?? 0, itemsPerSec: 0, etaSec: null, phase: 'frozen features' } });
    else if (p.phase === 'saving') set({ status: 'saving' });
    else if (p.epoch) set({ status: 'training', epochs: [...store.get().finetune.epochs, p.epoch] });
    else if (p.paused !== undefined) set({ status: p.paused ? 'paused' : 'training' });
  });
  job.promise
    .then((outcome) => {
      set({ status: outcome.status === 'cancelled' ? 'cancelled' : 'done', outcome });
      void refreshVersions();
    })
    .catch((e) => set({ status: 'error', error: errorMessage(e) }))
    .finally(() => {
      job = null;
    });
}

export async function controlFinetune(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  const c = labClient();
  if (action === 'pause') await c.pauseFinetune();
  else if (action === 'resume') await c.resumeFinetune();
  else await c.cancelFinetune();
}

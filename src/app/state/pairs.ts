// Pairs page state: the chosen pairing, its match report, and the binding run (the 'lab/bind' job, so it
// survives page navigation). A finished binding is made the active version, so search uses it.
import type { BindEpoch, BindOutcome, BindProgress, BindSpec, MatchReport, PairSource } from '../../workers/lab-client';
import { lab } from './clients';
import { errorMessage } from './errors';
import { cancelJob, isJobRunning, runJob } from './jobs';
import { refreshVersions, switchVersion } from './lab';
import { createStore, useStore } from './store';

export const BIND_JOB = 'lab/bind';

export interface PairsState {
  source: PairSource | null;
  matching: boolean;
  report: MatchReport | null;
  matchError: string | null;
  status: 'idle' | 'features' | 'training' | 'paused' | 'evaluating' | 'saving' | 'done' | 'cancelled' | 'error';
  features: { done: number; total: number; modality?: string } | null;
  epochs: BindEpoch[];
  outcome: BindOutcome | null;
  error: string | null;
  activated: string | null;
}

const store = createStore<PairsState>({
  source: null, matching: false, report: null, matchError: null,
  status: 'idle', features: null, epochs: [], outcome: null, error: null, activated: null,
});

export const usePairs = <T,>(select: (s: PairsState) => T): T => useStore(store, select);

/** Matches a pairing against the library; `refused` reports a file refused before reading it. */
export async function matchPairing(source: PairSource, refused?: string): Promise<void> {
  if (refused) {
    store.set({ source: null, matching: false, report: null, matchError: refused });
    return;
  }
  store.set({ source, matching: true, report: null, matchError: null });
  try {
    store.set({ report: await lab().matchPairs(source), matching: false });
  } catch (e) {
    store.set({ matchError: errorMessage(e), matching: false });
  }
}

/** Folds one binding progress message into the page state (pure). */
export function bindStep(s: PairsState, p: BindProgress): Partial<PairsState> {
  if (p.phase === 'features') return { status: 'features', features: { done: p.done ?? 0, total: p.total ?? 0, modality: p.modality } };
  if (p.phase === 'evaluating' || p.phase === 'saving') return { status: p.phase };
  if (p.epoch) return { status: 'training', epochs: [...s.epochs, p.epoch] };
  if (p.paused !== undefined) return { status: p.paused ? 'paused' : 'training' };
  return {};
}

export function startBind(spec: Omit<BindSpec, 'source'>): void {
  const source = store.get().source;
  if (isJobRunning(BIND_JOB) || !source) return;
  store.set({ status: 'features', features: null, epochs: [], outcome: null, error: null, activated: null });
  void runJob<BindOutcome, BindProgress>(BIND_JOB, (cb) => lab().bind({ ...spec, source }, cb), {
    onProgress: (p) => store.set((s) => bindStep(s, p)),
    cancel: () => lab().cancelFinetune(),
    isCancelled: (o) => o.status === 'cancelled',
  }).then(async (j) => {
    const outcome = j.result;
    if (!outcome) {
      store.set(j.status === 'cancelled' ? { status: 'cancelled' } : { status: 'error', error: j.error });
      return;
    }
    store.set({ status: outcome.status === 'cancelled' ? 'cancelled' : 'done', outcome });
    try {
      if (outcome.version) {
        await switchVersion(outcome.version.id);
        store.set({ activated: outcome.version.id });
      }
    } catch (e) {
      store.set({ status: 'error', error: errorMessage(e) });
    }
    void refreshVersions();
  });
}

export async function controlBind(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  if (action === 'pause') await lab().pauseFinetune();
  else if (action === 'resume') await lab().resumeFinetune();
  else cancelJob(BIND_JOB);
}

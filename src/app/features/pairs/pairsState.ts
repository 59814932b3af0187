// Pairs page state: the chosen pairing, its match report, and the running binding job (kept here so it
// survives page navigation). A finished binding is made the active version, so search uses it.
import type { Job } from '../../../workers/api';
import { labClient, type BindEpoch, type BindOutcome, type BindSpec, type MatchReport, type PairSource } from '../../../workers/lab-client';
import { createStore, useStore } from '../../state/store';
import { errorMessage } from '../../state/errors';
import { refreshVersions, switchVersion } from '../fewshot/labState';

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
let job: Job<BindOutcome> | null = null;

export const usePairs = <T,>(select: (s: PairsState) => T): T => useStore(store, select);

/** Matches a pairing against the library; `refused` reports a file refused before reading it. */
export async function matchPairing(source: PairSource, refused?: string): Promise<void> {
  if (refused) {
    store.set({ source: null, matching: false, report: null, matchError: refused });
    return;
  }
  store.set({ source, matching: true, report: null, matchError: null });
  try {
    store.set({ report: await labClient().matchPairs(source), matching: false });
  } catch (e) {
    store.set({ matchError: errorMessage(e), matching: false });
  }
}

export function startBind(spec: Omit<BindSpec, 'source'>): void {
  const source = store.get().source;
  if (job || !source) return;
  store.set({ status: 'features', features: null, epochs: [], outcome: null, error: null, activated: null });
  job = labClient().bind({ ...spec, source }, (p) => {
    if (p.phase === 'features') store.set({ status: 'features', features: { done: p.done ?? 0, total: p.total ?? 0, modality: p.modality } });
    else if (p.phase === 'evaluating' || p.phase === 'saving') store.set({ status: p.phase });
    else if (p.epoch) store.set((s) => ({ status: 'training', epochs: [...s.epochs, p.epoch!] }));
    else if (p.paused !== undefined) store.set({ status: p.paused ? 'paused' : 'training' });
  });
  job.promise
    .then(async (outcome) => {
      store.set({ status: outcome.status === 'cancelled' ? 'cancelled' : 'done', outcome });
      if (outcome.version) {
        await switchVersion(outcome.version.id);
        store.set({ activated: outcome.version.id });
      }
      void refreshVersions();
    })
    .catch((e) => store.set({ status: 'error', error: errorMessage(e) }))
    .finally(() => {
      job = null;
    });
}

export async function controlBind(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  const c = labClient();
  if (action === 'pause') await c.pauseFinetune();
  else if (action === 'resume') await c.resumeFinetune();
  else await c.cancelFinetune();
}

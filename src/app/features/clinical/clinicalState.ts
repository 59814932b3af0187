// State of the clinical-prediction page, kept outside the component so a run survives page navigation:
// the running job (epochs for the curves, finished rows), its outcome, and the saved predictors.
import type { Job } from '../../../workers/api';
import { labClient, type ClinicalOutcome, type ClinicalRunSpec, type PredictorSummary } from '../../../workers/lab-client';
import type { EpochReport, InputSet, RowMetrics } from '../../../model/clinical/types';
import { createStore, useStore } from '../../state/store';
import { errorMessage } from '../../state/errors';

export interface CurvePoint extends EpochReport {
  inputSet: InputSet;
  /** -1 = the final fit on every item. */
  fold: number;
  /** Running epoch count over folds (x axis). */
  step: number;
}

export interface ClinicalState {
  status: 'idle' | 'embedding' | 'training' | 'paused' | 'saving' | 'done' | 'cancelled' | 'error';
  spec: ClinicalRunSpec | null;
  embedding: { done: number; total: number; phase: string } | null;
  current: { inputSet: InputSet; fold: number; folds: number; epoch: number } | null;
  curve: CurvePoint[];
  rows: RowMetrics[];
  outcome: ClinicalOutcome | null;
  error: string | null;
  predictors: PredictorSummary[];
}

const store = createStore<ClinicalState>({ status: 'idle', spec: null, embedding: null, current: null, curve: [], rows: [], outcome: null, error: null, predictors: [] });
let job: Job<ClinicalOutcome> | null = null;
let loaded = false;

export function useClinical<T>(select: (s: ClinicalState) => T): T {
  if (!loaded) {
    loaded = true;
    void refreshPredictors();
  }
  return useStore(store, select);
}

export async function refreshPredictors(): Promise<void> {
  try {
    store.set({ predictors: await labClient().clinicalPredictors() });
  } catch (e) {
    store.set({ error: errorMessage(e) });
  }
}

export function startClinical(spec: ClinicalRunSpec): void {
  if (job) return;
  store.set({ status: 'embedding', spec, embedding: null, current: null, curve: [], rows: [], outcome: null, error: null });
  job = labClient().clinicalRun(spec, (p) => {
    const s = store.get();
    if (p.phase === 'embedding' && p.embedding) store.set({ status: 'embedding', embedding: { done: p.embedding.done, total: p.embedding.total, phase: p.embedding.phase } });
    else if (p.phase === 'saving') store.set({ status: 'saving' });
    else if (p.row) store.set({ rows: [...s.rows, p.row] });
    else if (p.epoch && p.inputSet) {
      const point: CurvePoint = { ...p.epoch, inputSet: p.inputSet, fold: p.fold ?? 0, step: s.curve.filter((c) => c.inputSet === p.inputSet).length + 1 };
      store.set({ status: 'training', curve: [...s.curve, point], current: { inputSet: p.inputSet, fold: p.fold ?? 0, folds: p.folds ?? 0, epoch: p.epoch.epoch } });
    } else if (p.paused !== undefined) store.set({ status: p.paused ? 'paused' : 'training' });
  });
  job.promise
    .then((outcome) => {
      store.set({ status: outcome.status === 'cancelled' ? 'cancelled' : 'done', outcome, rows: outcome.rows });
      void refreshPredictors();
    })
    .catch((e) => store.set({ status: 'error', error: errorMessage(e) }))
    .finally(() => {
      job = null;
    });
}

export async function controlClinical(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  await labClient().controlClinical(action);
}

export async function deletePredictor(id: string): Promise<void> {
  store.set({ predictors: await labClient().clinicalDelete(id) });
}

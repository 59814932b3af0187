// State of the clinical-prediction page, kept outside the component so a run (the 'lab/clinical' job)
// survives page navigation: epochs for the curves, finished rows, the outcome, and the saved predictors.
import type { Progress } from '../../workers/api';
import type { ClinicalOptions, ClinicalOutcome, ClinicalPrediction, ClinicalProgress, ClinicalRunSpec, PredictorSummary } from '../../workers/lab-client';
import type { EpochReport, InputSet, RowMetrics } from '../../model/clinical/types';
import { lab } from './clients';
import { errorMessage } from './errors';
import { cancelJob, isJobRunning, runJob, type JobState } from './jobs';
import { createStore, useStore } from './store';

export const CLINICAL_JOB = 'lab/clinical';
export const CLINICAL_APPLY_JOB = 'lab/clinical-apply';

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
let loaded = false;

export function useClinical<T>(select: (s: ClinicalState) => T): T {
  return useStore(store, select);
}

/** Fetches the saved predictors the first time the page opens. */
export function ensureClinicalLoaded(): void {
  if (loaded) return;
  loaded = true;
  void refreshPredictors();
}

export const clinicalOptions = (): Promise<ClinicalOptions> => lab().clinicalOptions();

export async function refreshPredictors(): Promise<void> {
  try {
    store.set({ predictors: await lab().clinicalPredictors() });
  } catch (e) {
    store.set({ error: errorMessage(e) });
  }
}

/** Folds one clinical-run progress message into the page state (pure). */
export function clinicalStep(s: ClinicalState, p: ClinicalProgress): Partial<ClinicalState> {
  if (p.phase === 'embedding' && p.embedding) return { status: 'embedding', embedding: { done: p.embedding.done, total: p.embedding.total, phase: p.embedding.phase } };
  if (p.phase === 'saving') return { status: 'saving' };
  if (p.row) return { rows: [...s.rows, p.row] };
  if (p.epoch && p.inputSet) {
    const point: CurvePoint = { ...p.epoch, inputSet: p.inputSet, fold: p.fold ?? 0, step: s.curve.filter((c) => c.inputSet === p.inputSet).length + 1 };
    return { status: 'training', curve: [...s.curve, point], current: { inputSet: p.inputSet, fold: p.fold ?? 0, folds: p.folds ?? 0, epoch: p.epoch.epoch } };
  }
  if (p.paused !== undefined) return { status: p.paused ? 'paused' : 'training' };
  return {};
}

export function startClinical(spec: ClinicalRunSpec): void {
  if (isJobRunning(CLINICAL_JOB)) return;
  store.set({ status: 'embedding', spec, embedding: null, current: null, curve: [], rows: [], outcome: null, error: null });
  void runJob<ClinicalOutcome, ClinicalProgress>(CLINICAL_JOB, (cb) => lab().clinicalRun(spec, cb), {
    onProgress: (p) => store.set((s) => clinicalStep(s, p)),
    cancel: () => lab().controlClinical('cancel'),
    isCancelled: (o) => o.status === 'cancelled',
  }).then((j) => {
    const outcome = j.result;
    if (outcome) {
      store.set({ status: outcome.status === 'cancelled' ? 'cancelled' : 'done', outcome, rows: outcome.rows });
      void refreshPredictors();
    } else store.set(j.status === 'cancelled' ? { status: 'cancelled' } : { status: 'error', error: j.error });
  });
}

export async function controlClinical(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  if (action === 'cancel') cancelJob(CLINICAL_JOB);
  else await lab().controlClinical(action);
}

export async function deletePredictor(id: string): Promise<void> {
  store.set({ predictors: await lab().clinicalDelete(id) });
}

/** Applies a saved predictor to the library (the 'lab/clinical-apply' job). */
export interface AppliedPredictor {
  predictor: PredictorSummary;
  classes: string[];
  predictions: ClinicalPrediction[];
}
export const applyPredictor = (id: string, limit: number): Promise<JobState<AppliedPredictor, Progress>> =>
  runJob<AppliedPredictor, Progress>(CLINICAL_APPLY_JOB, (cb) => lab().clinicalApply(id, limit, cb), { label: id });

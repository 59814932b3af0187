import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Job, LibraryStats, Progress, StudioApi, StudioEvent } from '../../workers/api';
import type { FinetuneOutcome, FinetuneProgress, FinetuneSpec, LabClient, LabClientEvent, ProbeReport } from '../../workers/lab-client';
import { ProbePanel } from '../features/fewshot/ProbePanel';
import { INITIAL_FORM } from '../features/fewshot/form';
import { reembedOf, setClients } from './clients';
import { bindStep, type PairsState } from './pairs';
import { clinicalStep, type ClinicalState } from './clinical';
import { controlFinetune, ensureLabLoaded, getLabState, runProbe, startFinetune } from './lab';
import { getStudioState, initStudio } from './studio';

/** A job the test settles by hand, with the progress callback it was given. */
function manualJob<T, P>() {
  const j = { onProgress: (_p: P) => undefined as void, resolve: (_v: T) => undefined as void, reject: (_e: unknown) => undefined as void, cancelled: 0 };
  const promise = new Promise<T>((res, rej) => {
    j.resolve = res;
    j.reject = rej;
  });
  const job: Job<T> = { promise, cancel: () => void j.cancelled++ };
  return { j, job };
}

function fakeLab() {
  const listeners = new Set<(e: LabClientEvent) => void>();
  const calls = { probe: 0, finetune: 0, cancelFinetune: 0, listVersions: 0 };
  const probes: ReturnType<typeof manualJob<ProbeReport, Progress>>['j'][] = [];
  const finetunes: ReturnType<typeof manualJob<FinetuneOutcome, FinetuneProgress>>['j'][] = [];
  const api = {
    probe(_spec, onProgress) {
      calls.probe++;
      const { j, job } = manualJob<ProbeReport, Progress>();
      j.onProgress = (p) => onProgress?.(p);
      probes.push(j);
      return job;
    },
    finetune(_spec, onProgress) {
      calls.finetune++;
      const { j, job } = manualJob<FinetuneOutcome, FinetuneProgress>();
      j.onProgress = (p) => onProgress?.(p);
      finetunes.push(j);
      return job;
    },
    cancelFinetune: async () => void calls.cancelFinetune++,
    pauseFinetune: async () => undefined,
    resumeFinetune: async () => undefined,
    listVersions: async () => (calls.listVersions++, []),
    defaultPromptSets: async () => [],
    savedPromptSets: async () => [],
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  } as Partial<LabClient> as LabClient;
  return { api, calls, probes, finetunes, emit: (e: LabClientEvent) => listeners.forEach((l) => l(e)) };
}

function fakeStudio() {
  const listeners = new Set<(e: StudioEvent) => void>();
  const stats: LibraryStats = { total: 3, byModality: { ecg: 3, cxr: 0 }, byLabel: { ecg: {}, cxr: {} }, byDataset: {}, storageBytes: null, storageQuotaBytes: null, modelVersion: 'v1' };
  const api = {
    backend: async () => ({ backend: 'wasm', adapter: null, reason: 'no WebGPU', forced: false }),
    stats: async () => stats,
    interruptedJobs: async () => [],
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  } as Partial<StudioApi> as StudioApi;
  return { api, emit: (e: StudioEvent) => listeners.forEach((l) => l(e)) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const report: ProbeReport = { k: 4, repeats: 20, mean: 0.6125, sd: 0.05, runs: [], effectiveK: { Normal: 4, MI: 3 }, nTest: 41, elapsedMs: 5 };
const spec = { set: { modality: 'ecg', column: 'labels', datasets: [] }, promptSet: { id: 'p', name: 'P', modality: 'ecg', classes: [], updatedAt: 0 } } as unknown as FinetuneSpec;

describe('lab state', () => {
  const lab = fakeLab();
  const engine = fakeStudio();
  setClients({ lab: lab.api });
  initStudio(engine.api);

  it('a probe keeps running and its result is shown when the page is opened again (state outside the component)', async () => {
    const page = () => renderToString(createElement(ProbePanel, { form: INITIAL_FORM, dispatch: () => undefined, classLabels: ['NORM', 'IMI'], ready: true }));
    const done = runProbe({ set: { modality: 'ecg', column: 'labels', datasets: [], classes: ['NORM', 'IMI'] }, k: 4, seed: 1, repeats: 20 }, '1');
    expect(page()).toContain('Linear probe'); // the progress bar while it runs
    // The user leaves the page: nothing renders; the job goes on and finishes.
    lab.probes[0].onProgress({ done: 10, total: 20, itemsPerSec: 5, etaSec: 2, phase: 'support sets' });
    void runProbe({ set: { modality: 'ecg', column: 'labels', datasets: [], classes: [] }, k: 1, seed: 2, repeats: 1 });
    expect(lab.calls.probe).toBe(1); // a second start of the same key joins the running job
    lab.probes[0].resolve(report);
    expect((await done).status).toBe('done');
    // Back on the page: a fresh render reads the result from app state.
    const html = page();
    expect(html).toContain('data-testid="probe-accuracy"');
    expect(html).toContain('61.3 %');
    expect(html).toContain('41<!-- --> test items');
    expect(html).not.toContain('Linear probe —');
  });

  it('fine-tuning: progress folds into the slice, one run at a time, cancel goes to the worker, a cancelled outcome is cancelled', async () => {
    startFinetune(spec);
    startFinetune(spec);
    expect(lab.calls.finetune).toBe(1);
    const run = lab.finetunes[0];
    run.onProgress({ phase: 'features', done: 2, total: 8 });
    expect(getLabState().finetune.status).toBe('features');
    expect(getLabState().finetune.features?.done).toBe(2);
    run.onProgress({ phase: 'training', epoch: { epoch: 0, loss: 1, trainBalancedAccuracy: 0.5, valBalancedAccuracy: 0.4, elapsedMs: 1 } });
    run.onProgress({ phase: 'training', paused: true });
    expect(getLabState().finetune.status).toBe('paused');
    expect(getLabState().finetune.epochs.map((e) => e.valBalancedAccuracy)).toEqual([0.4]);
    await controlFinetune('cancel');
    await tick();
    expect(lab.calls.cancelFinetune).toBe(1);
    expect(run.cancelled).toBe(0); // stopped by the control message, not by dropping the call
    run.resolve({ status: 'cancelled' } as FinetuneOutcome);
    await tick();
    await tick();
    expect(getLabState().finetune.status).toBe('cancelled');
    startFinetune(spec); // a new run may start after the last one ended
    expect(lab.calls.finetune).toBe(2);
    lab.finetunes[1].reject(new Error('lab: out of memory'));
    await tick();
    await tick();
    expect(getLabState().finetune).toMatchObject({ status: 'error', error: 'lab: out of memory' });
  });

  it('the engine alone feeds the re-embedding slice: running, failed with why, done refreshes the versions', async () => {
    ensureLabLoaded();
    await tick();
    const before = lab.calls.listVersions;
    engine.emit({ type: 'reembed', version: 'ft-2', done: 4, total: 9, phase: 'running' });
    expect(getStudioState().reembed).toEqual({ version: 'ft-2', done: 4, total: 9, phase: 'running' });
    engine.emit({ type: 'reembed', version: 'ft-2', done: 6, total: 9, phase: 'failed', error: 'out of memory' });
    expect(getStudioState().reembed).toEqual({ version: 'ft-2', done: 6, total: 9, phase: 'failed', error: 'out of memory' });
    engine.emit({ type: 'reembed', version: 'ft-2', done: 9, total: 9, phase: 'done' });
    expect(getStudioState().reembed).toBeNull();
    await tick();
    expect(lab.calls.listVersions).toBeGreaterThan(before); // the version list refreshes after re-embedding
  });

  it('a version switched in another tab refreshes the version list', async () => {
    ensureLabLoaded();
    await tick();
    const before = lab.calls.listVersions;
    engine.emit({ type: 'active-version', version: 'ft-3' });
    await tick();
    expect(lab.calls.listVersions).toBeGreaterThan(before);
  });
});

describe('re-embedding event', () => {
  it('is the engine event without its tag', () => {
    expect(reembedOf({ type: 'reembed', version: 'v', done: 1, total: 2, phase: 'running' })).toEqual({ version: 'v', done: 1, total: 2, phase: 'running' });
  });
});

describe('progress reducers of binding and clinical runs', () => {
  it('binding: features, epochs in order, evaluating, pause', () => {
    const s = { epochs: [] } as unknown as PairsState;
    expect(bindStep(s, { phase: 'features', done: 3, total: 10, modality: 'cxr' })).toEqual({ status: 'features', features: { done: 3, total: 10, modality: 'cxr' } });
    const e1 = { epoch: 1 } as never;
    const e2 = { epoch: 2 } as never;
    expect(bindStep({ ...s, epochs: [e1] }, { phase: 'training', epoch: e2 })).toEqual({ status: 'training', epochs: [e1, e2] });
    expect(bindStep(s, { phase: 'evaluating' })).toEqual({ status: 'evaluating' });
    expect(bindStep(s, { phase: 'training', paused: false })).toEqual({ status: 'training' });
  });

  it('clinical: the curve counts epochs per input set, rows append', () => {
    const s = { curve: [], rows: [] } as unknown as ClinicalState;
    const ep = { epoch: 1, loss: 0.7 } as never;
    const a = clinicalStep(s, { phase: 'training', inputSet: 'text', fold: 2, folds: 5, epoch: ep });
    expect(a.status).toBe('training');
    expect(a.curve?.[0]).toMatchObject({ inputSet: 'text', fold: 2, step: 1 });
    expect(a.current).toEqual({ inputSet: 'text', fold: 2, folds: 5, epoch: 1 });
    const b = clinicalStep({ ...s, curve: a.curve! }, { phase: 'training', inputSet: 'text', fold: 2, folds: 5, epoch: ep });
    expect(b.curve?.[1].step).toBe(2);
    const c = clinicalStep({ ...s, curve: b.curve! }, { phase: 'training', inputSet: 'text+cxr', fold: 0, folds: 5, epoch: ep });
    expect(c.curve?.[2].step).toBe(1);
    expect(clinicalStep(s, { phase: 'training', row: { inputSet: 'text' } as never }).rows).toHaveLength(1);
    expect(clinicalStep(s, { phase: 'embedding', embedding: { done: 1, total: 4, itemsPerSec: 0, etaSec: null, phase: 'cxr' } }).embedding).toEqual({ done: 1, total: 4, phase: 'cxr' });
  });
});

import { describe, expect, it } from 'vitest';
import type { StoredPromptSet } from '../../../storage/types';
import type { FinetuneState, LabelColumnInfo } from '../../state';
import {
  bestValAccuracy,
  chosenPromptSet,
  clampInt,
  classLabelsOf,
  classSummary,
  columnPromptSet,
  curveTraces,
  datasetsOf,
  finetuneSpecOf,
  finetuneStatusText,
  formReducer,
  INITIAL_FORM,
  isFinetuneRunning,
  kValueOf,
} from './form';

const set = (id: string, modality: 'ecg' | 'cxr', classes: [string, string[] | undefined][]): StoredPromptSet => ({
  id,
  name: id,
  modality,
  classes: classes.map(([name, labels]) => ({ name, templates: [`a ${name}`], ...(labels ? { labels } : {}) })),
  updatedAt: 0,
});
const SETS = [set('ecg-a', 'ecg', [['Normal', ['NORM']], ['MI', ['IMI', 'AMI']]]), set('ecg-b', 'ecg', [['AF', undefined]]), set('cxr-a', 'cxr', [['Edema', ['Edema']]])];
const COLUMNS: LabelColumnInfo[] = [
  { modality: 'ecg', column: 'labels', counts: { NORM: 12, IMI: 3 }, datasets: ['ptbxl', 'cinc'] },
  { modality: 'ecg', column: 'meta:sex', counts: { male: 7, female: 5 }, datasets: ['ptbxl'] },
  { modality: 'cxr', column: 'labels', counts: { Edema: 4 }, datasets: ['openi'] },
];
const epoch = (n: number, val: number) => ({ epoch: n, loss: 1 / (n + 1), trainBalancedAccuracy: 0.5 + n / 100, valBalancedAccuracy: val, elapsedMs: 10 * n });
const ft = (patch: Partial<FinetuneState>): FinetuneState => ({ status: 'idle', spec: null, features: null, epochs: [], outcome: null, error: null, ...patch });

describe('few-shot form reducer', () => {
  it('a modality change goes back to its label column, first prompt set and all datasets; the same modality changes nothing', () => {
    const s = { ...INITIAL_FORM, column: 'meta:sex', setId: 'ecg-b', datasets: ['ptbxl'] };
    expect(formReducer(s, { type: 'modality', modality: 'cxr' })).toEqual({ ...s, modality: 'cxr', column: 'labels', setId: '', datasets: [] });
    expect(formReducer(s, { type: 'modality', modality: 'ecg' })).toBe(s);
  });

  it('ticks and unticks datasets once each', () => {
    let s = formReducer(INITIAL_FORM, { type: 'dataset', dataset: 'ptbxl', on: true });
    s = formReducer(s, { type: 'dataset', dataset: 'cinc', on: true });
    expect(formReducer(s, { type: 'dataset', dataset: 'ptbxl', on: true })).toBe(s);
    expect(s.datasets).toEqual(['ptbxl', 'cinc']);
    expect(formReducer(s, { type: 'dataset', dataset: 'ptbxl', on: false }).datasets).toEqual(['cinc']);
  });

  it('keeps the numbers in range: seed a 32-bit integer, counts at least 1, patience at least 0, an emptied field its minimum', () => {
    const s = formReducer(INITIAL_FORM, { type: 'set', patch: { seed: 7.9, repeats: 0, epochs: Number(''), batchSize: -3, patience: -1, learningRate: 0.005 } });
    expect(s).toMatchObject({ seed: 7, repeats: 1, epochs: 1, batchSize: 1, patience: 0, learningRate: 0.005 });
    expect(formReducer(INITIAL_FORM, { type: 'set', patch: { seed: 2 ** 32 + 5 } }).seed).toBe(5);
    expect(clampInt(Number.NaN, 3)).toBe(3);
    expect(clampInt(12.7, 1)).toBe(12);
  });
});

describe('few-shot helpers', () => {
  it('chooses the named prompt set of the modality, else its first, and builds one from another column', () => {
    expect(chosenPromptSet({ ...INITIAL_FORM, setId: 'ecg-b' }, SETS, COLUMNS)?.id).toBe('ecg-b');
    expect(chosenPromptSet({ ...INITIAL_FORM, setId: 'cxr-a' }, SETS, COLUMNS)?.id).toBe('ecg-a'); // another modality's id
    expect(chosenPromptSet({ ...INITIAL_FORM, modality: 'cxr' }, SETS, COLUMNS)?.id).toBe('cxr-a');
    const col = chosenPromptSet({ ...INITIAL_FORM, column: 'meta:sex' }, SETS, COLUMNS)!;
    expect(col).toEqual(columnPromptSet('ecg', COLUMNS[1]));
    expect(col.id).toBe('column/ecg/meta:sex');
    expect(col.name).toBe('ECG · sex');
    expect(col.classes).toEqual([
      { name: 'male', templates: ['This ECG shows male.'], labels: ['male'] },
      { name: 'female', templates: ['This ECG shows female.'], labels: ['female'] },
    ]);
    expect(chosenPromptSet({ ...INITIAL_FORM, column: 'meta:missing' }, SETS, COLUMNS)).toBeUndefined();
  });

  it('lists datasets per modality without repeats, sorted', () => {
    expect(datasetsOf(COLUMNS, 'ecg')).toEqual(['cinc', 'ptbxl']);
    expect(datasetsOf(COLUMNS, 'cxr')).toEqual(['openi']);
    expect(datasetsOf([], 'cxr')).toEqual([]);
  });

  it('class labels and the per-class counts (a class without labels stands for its name)', () => {
    expect(classLabelsOf(SETS[0])).toEqual(['NORM', 'IMI', 'AMI']);
    expect(classLabelsOf(SETS[1])).toEqual(['AF']);
    expect(classLabelsOf(undefined)).toEqual([]);
    expect(classSummary(SETS[0], COLUMNS[0].counts)).toBe('Normal [NORM: 12] · MI [IMI: 3, AMI: 0]');
    expect(classSummary(undefined, {})).toBe('—');
  });

  it('builds the fine-tuning spec from the form', () => {
    const form = { ...INITIAL_FORM, k: 'all' as const, datasets: ['ptbxl'], seed: 3, epochs: 7 };
    expect(kValueOf('8')).toBe(8);
    expect(finetuneSpecOf(form, SETS[0])).toEqual({
      set: { modality: 'ecg', column: 'labels', datasets: ['ptbxl'] },
      promptSet: SETS[0],
      k: 'all',
      seed: 3,
      objective: 'prompt-contrastive',
      scope: 'projection',
      epochs: 7,
      batchSize: 16,
      learningRate: 0.001,
      weightDecay: 0.01,
      patience: 5,
    });
  });

  it('says where the run is, and which states count as running', () => {
    expect(['features', 'training', 'paused', 'saving'].every((s) => isFinetuneRunning(s as FinetuneState['status']))).toBe(true);
    expect(['idle', 'done', 'cancelled', 'error'].some((s) => isFinetuneRunning(s as FinetuneState['status']))).toBe(false);
    const spec = finetuneSpecOf(INITIAL_FORM, SETS[0]);
    expect(finetuneStatusText(ft({}))).toBe('ready');
    expect(finetuneStatusText(ft({ status: 'training', spec, epochs: [epoch(0, 0.5), epoch(1, 0.6)] }))).toBe('training — epoch 1 of 20');
    expect(finetuneStatusText(ft({ status: 'error', error: 'lab: out of memory' }))).toBe('failed: lab: out of memory');
    const outcome = { status: 'early-stopped', version: { id: 'ft-9' } } as unknown as FinetuneState['outcome'];
    expect(finetuneStatusText(ft({ status: 'done', outcome }))).toBe('done (early stopping) — saved as ft-9');
  });

  it('curves: loss from epoch 1 (epoch 0 is the untrained evaluation), accuracies from 0; the best validation accuracy', () => {
    const e = [epoch(0, 0.5), epoch(1, 0.7), epoch(2, 0.65)];
    const c = curveTraces(e);
    expect(c.loss[0].x).toEqual([1, 2]);
    expect(c.loss[0].y).toEqual([0.5, 1 / 3]);
    expect(c.acc[1].x).toEqual([0, 1, 2]);
    expect(c.acc[1].y).toEqual([0.5, 0.7, 0.65]);
    expect(bestValAccuracy(ft({ epochs: e }))).toBe(0.7);
    expect(bestValAccuracy(ft({}))).toBeNull();
  });
});

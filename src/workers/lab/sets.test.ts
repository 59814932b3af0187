import { describe, expect, it } from 'vitest';
import type { StoredItem } from '../../storage/types';
import { ENSEMBLE_PROMPT_SETS, classPrompts } from '../../model/zeroshot';
import { evalPromptSets, generatedPromptSets, paperPromptSets, toModelPromptSet } from './prompts';
import { classOf, labelColumns, selectLabelled, truthForPromptSet } from './sets';

const item = (id: string, labels: string[], dataset = 'ptb-xl', meta: Record<string, string | number> = {}): StoredItem => ({
  id, modality: 'ecg', dataset, sourceName: id, labels, text: '', split: 'train', meta, addedAt: 0,
});

describe('labelled sets', () => {
  it('an item belongs to a class only when exactly one class matches (case-insensitive)', () => {
    expect(classOf(['MI'], [['NORM'], ['mi']])).toBe(1);
    expect(classOf(['MI', 'NORM'], [['NORM'], ['MI']])).toBe(-1);
    expect(classOf(['CD'], [['NORM'], ['MI']])).toBe(-1);
    expect(classOf(['CD', 'HYP'], [['CD', 'HYP'], ['MI']])).toBe(0);
  });

  it('selects single-label items of the chosen datasets and classes', () => {
    const all = [item('a', ['MI']), item('b', ['NORM']), item('c', ['MI', 'NORM']), item('d', ['MI'], 'ludb'), item('e', [])];
    const s = selectLabelled(all, { modality: 'ecg', column: 'labels', datasets: ['ptb-xl'] });
    expect(s.classes).toEqual(['MI', 'NORM']);
    expect(s.items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(Array.from(s.y)).toEqual([0, 1]);
    const meta = selectLabelled([item('x', [], 'ptb-xl', { sex: 'male' }), item('y', [], 'ptb-xl', { sex: 'female' })], { modality: 'ecg', column: 'meta:sex' });
    expect(meta.classes).toEqual(['female', 'male']);
  });

  it('maps items to prompt classes through the classes\' labels', () => {
    const paper = paperPromptSets().find((p) => p.id === 'paper/ptbxl-superclass')!;
    const t = truthForPromptSet([item('a', ['HYP']), item('b', ['NORM']), item('c', ['HYP', 'MI'])], paper);
    const names = paper.classes.map((c) => c.name);
    expect(names[t[0]]).toBe('Hypertrophy');
    expect(names[t[1]]).toBe('Normal sinus rhythm');
    expect(t[2]).toBe(-1);
  });

  it('lists label columns with counts of single-valued items', () => {
    const cols = labelColumns([item('a', ['MI']), item('b', ['NORM']), item('c', ['MI']), item('d', ['MI', 'NORM'])]);
    expect(cols).toEqual([{ modality: 'ecg', column: 'labels', counts: { MI: 2, NORM: 1 }, datasets: ['ptb-xl'] }]);
  });
});

describe('prompt sets', () => {
  it('the paper prompts are the defaults, one sentence per class', () => {
    const [ecg, cxr] = paperPromptSets();
    expect(ecg.classes.find((c) => c.labels![0] === 'STTC')!.templates).toEqual(['This ECG shows STT Changes.']);
    expect(cxr.classes.map((c) => [c.labels![0], c.templates[0]])).toEqual([
      ['PNEUMONIA', 'Findings suggesting pneumonia.'],
      ['NORMAL', 'No evidence of pneumonia.'],
    ]);
  });

  it('the eval ensembles are offered with every sentence the eval averages, per class', () => {
    const ecg = evalPromptSets().find((p) => p.id === 'eval/ptbxl-superclass')!;
    expect(ecg.modality).toBe('ecg');
    const sttc = ecg.classes.find((c) => c.labels![0] === 'STTC')!;
    const model = ENSEMBLE_PROMPT_SETS['ptbxl-superclass'];
    expect(sttc.templates).toEqual(classPrompts(model, model.classes.find((c) => c.label === 'STTC')!));
    expect(sttc.templates.length).toBe(3);
    expect(sttc.templates[0]).toBe('This ECG shows STT Changes.');
    expect(toModelPromptSet(ecg).classes.map((c) => c.names.length)).toEqual([3, 3, 3, 3, 3]);
    expect(evalPromptSets().find((p) => p.id === 'eval/pneumonia')!.modality).toBe('cxr');
  });

  it('generated sets give several distinct templates per label and convert to the model form unchanged', () => {
    const sets = generatedPromptSets([{ modality: 'cxr', dataset: 'nih', labels: ['Cardiomegaly', 'Effusion'] }, { modality: 'ecg', dataset: 'ludb', labels: ['HYP'] }]);
    expect(sets.map((s) => s.id)).toEqual(['generated/cxr/nih', 'generated/cxr/all']);
    const card = sets[0].classes[0];
    expect(card.labels).toEqual(['Cardiomegaly']);
    expect(card.templates.length).toBeGreaterThanOrEqual(3);
    expect(new Set(card.templates).size).toBe(card.templates.length);
    const model = toModelPromptSet(sets[0]);
    expect(classPrompts(model, model.classes[0])).toEqual(card.templates);
  });
});

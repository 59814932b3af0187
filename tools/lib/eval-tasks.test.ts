import { describe, expect, it } from 'vitest';
import { chooseTask } from './eval-tasks';

describe('chooseTask', () => {
  it('uses the 5 PTB-XL superclasses for ECG sets, on single-superclass records only', () => {
    const t = chooseTask('ecg', [['NORM'], ['MI', 'CD'], ['HYP'], ['STTC'], ['CD'], ['MI']])!;
    expect(t.classes).toEqual(['NORM', 'MI', 'STTC', 'CD', 'HYP']);
    expect(t.classOf(['MI', 'CD'])).toBe(-1);
    expect(t.classOf(['HYP'])).toBe(4);
    expect(t.prompts.templates[0]).toBe('This ECG shows {LABEL}.');
  });
  it('classifies superclasses with the prompt ensemble by default and the paper sentence on request', () => {
    const labels = [['NORM'], ['MI'], ['STTC'], ['CD'], ['HYP']];
    const ens = chooseTask('ecg', labels)!;
    expect(ens.prompts.templates).toEqual(['This ECG shows {LABEL}.', 'Diagnostic class: {LABEL}.', 'Interpretation: {LABEL}.']);
    const paper = chooseTask('ecg', labels, 'paper')!;
    expect(paper.prompts.templates).toEqual(['This ECG shows {LABEL}.']);
    expect(paper.classes).toEqual(ens.classes);
  });
  it('uses pneumonia vs normal for the pediatric CXR labels', () => {
    const t = chooseTask('cxr', [['NORMAL'], ['PNEUMONIA']])!;
    expect(t.prompts.classes.map((c) => c.names[0])).toEqual(['Findings suggesting pneumonia.', 'No evidence of pneumonia.']);
    expect(t.classOf(['NORMAL'])).toBe(1);
  });
  it('drops absent classes and keeps indices consistent', () => {
    const t = chooseTask('ecg', [['NORM'], ['HYP'], ['HYP']])!;
    expect(t.classes).toEqual(['NORM', 'HYP']);
    expect(t.classOf(['HYP'])).toBe(1);
    expect(t.prompts.classes.map((c) => c.label)).toEqual(['NORM', 'HYP']);
  });
  it('has no task for a single-class set, and generic prompts for other label sets', () => {
    expect(chooseTask('cxr', [['COVID-19'], ['COVID-19']])).toBeNull();
    const t = chooseTask('cxr', [['Effusion'], ['Effusion'], ['No Finding'], ['No Finding'], ['Hernia'], ['Effusion', 'Edema']])!;
    expect(t.classes).toEqual(['Effusion', 'No Finding']);
    expect(t.classOf(['Hernia'])).toBe(-1);
  });
});

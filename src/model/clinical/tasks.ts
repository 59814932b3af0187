// Outcomes and the built-in public tasks. An outcome is a metadata column (its values are the classes,
// binary or multi-class), "has label L" (yes/no) or the item's single label. The built-in tasks are the
// public stand-ins for the paper's MIMIC-IV outcomes: Hannover COVID-19 in-hospital death and ICU
// admission (CXR), PTB-XL myocardial infarction (ECG). Plain data, no tfjs: the page uses it too.
import { HANNOVER_TEMPLATE, PTBXL_TEMPLATE } from './template';
import type { InputSet, SoftModality } from './types';

/** "meta:<column>", "label:<name>" (has that label: yes / no) or "labels" (items with exactly one label). */
export type OutcomeSpec = string;

export interface OutcomeItem {
  labels: readonly string[];
  meta: Readonly<Record<string, string | number>>;
}

/** The class of an item under an outcome, or null when the item has none. */
export function outcomeOf(item: OutcomeItem, outcome: OutcomeSpec): string | null {
  if (outcome.startsWith('meta:')) {
    const v = item.meta[outcome.slice(5)];
    if (v === undefined || v === null) return null;
    const s = String(v).trim();
    return s ? s : null;
  }
  if (outcome.startsWith('label:')) {
    const want = outcome.slice(6).toLowerCase();
    return item.labels.some((l) => l.toLowerCase() === want) ? 'yes' : 'no';
  }
  if (outcome === 'labels') return item.labels.length === 1 ? item.labels[0] : null;
  throw new Error(`unknown outcome "${outcome}" (use meta:<column>, label:<name> or labels)`);
}

const POSITIVE = ['yes', 'true', '1', 'positive', 'died', 'death'];

/** Sorted classes and the positive one (a "yes"-like value, else the second class). */
export function outcomeClasses(values: readonly string[]): { classes: string[]; positive: number } {
  const classes = [...new Set(values)].sort();
  const p = classes.findIndex((c) => POSITIVE.includes(c.toLowerCase()));
  return { classes, positive: p >= 0 ? p : Math.min(1, classes.length - 1) };
}

export interface BuiltinTask {
  name: string;
  description: string;
  /** Dataset folder / item.dataset. */
  dataset: string;
  modality: SoftModality;
  outcome: OutcomeSpec;
  template: string;
  /** Metadata column holding the patient. */
  groupColumn: string;
  inputSets: InputSet[];
}

export const BUILTIN_TASKS: readonly BuiltinTask[] = [
  {
    name: 'hannover-death',
    description: 'Hannover COVID-19 CXRs: death recorded (death_offset present)',
    dataset: 'covid19-hannover-cxr', modality: 'cxr', outcome: 'meta:death', template: HANNOVER_TEMPLATE, groupColumn: 'patient_id',
    inputSets: ['text', 'text+cxr'],
  },
  {
    name: 'hannover-icu',
    description: 'Hannover COVID-19 CXRs: ICU admission recorded (icu_admission_offset present)',
    dataset: 'covid19-hannover-cxr', modality: 'cxr', outcome: 'meta:icu', template: HANNOVER_TEMPLATE, groupColumn: 'patient_id',
    inputSets: ['text', 'text+cxr'],
  },
  {
    name: 'ptbxl-mi',
    description: 'PTB-XL ECGs: myocardial infarction (MI superclass) vs not',
    dataset: 'ptb-xl', modality: 'ecg', outcome: 'label:MI', template: PTBXL_TEMPLATE, groupColumn: 'patient_id',
    inputSets: ['text', 'text+ecg'],
  },
];

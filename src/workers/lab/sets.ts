// Which library items form a labelled set, and their class: a label column ("labels" or "meta:<col>"),
// optional dataset/split filters, and classes. An item belongs to a class when exactly one of the
// classes matches its values (multi-label items such as PTB-XL records with two superclasses are left
// out of the metric, as in the paper's single-superclass protocol).
import type { Modality } from '../../formats/types';
import type { StoredItem, StoredPromptSet } from '../../storage/types';
import type { LabelColumnInfo, LabelledSetSpec } from './methods';
import { classLabels } from './prompts';

/** An item's values in a column: its labels, or one metadata value (comma lists split). */
export function itemValues(item: StoredItem, column: string): string[] {
  if (column === 'labels') return item.labels;
  if (column.startsWith('meta:')) {
    const v = item.meta[column.slice(5)];
    if (v === undefined || v === '') return [];
    return String(v).split(',').map((s) => s.trim()).filter((s) => s);
  }
  return [];
}

const norm = (s: string) => s.trim().toLowerCase();

/** Index of the one class whose labels match the item's values, -1 when none or several match. */
export function classOf(values: readonly string[], classLabelSets: readonly (readonly string[])[]): number {
  const have = new Set(values.map(norm));
  let found = -1;
  for (let c = 0; c < classLabelSets.length; c++) {
    if (classLabelSets[c].some((l) => have.has(norm(l)))) {
      if (found >= 0) return -1;
      found = c;
    }
  }
  return found;
}

export function matchesFilter(it: StoredItem, f: { modality?: Modality; datasets?: string[]; splits?: string[] }): boolean {
  if (f.modality && it.modality !== f.modality) return false;
  if (f.datasets && f.datasets.length && !f.datasets.includes(it.dataset)) return false;
  if (f.splits && f.splits.length && !f.splits.includes(it.split)) return false;
  return true;
}

export interface LabelledSet {
  classes: string[];
  items: StoredItem[];
  /** Class index per item. */
  y: Int32Array;
}

/** The items of a spec that carry exactly one of its classes (classes default to every value seen). */
export function selectLabelled(all: readonly StoredItem[], spec: LabelledSetSpec): LabelledSet {
  const pool = all.filter((it) => matchesFilter(it, spec));
  let classes = spec.classes;
  if (!classes || classes.length === 0) {
    const seen = new Set<string>();
    for (const it of pool) for (const v of itemValues(it, spec.column)) seen.add(v);
    classes = [...seen].sort();
  }
  const sets = classes.map((c) => [c]);
  const items: StoredItem[] = [];
  const y: number[] = [];
  for (const it of pool) {
    const c = classOf(itemValues(it, spec.column), sets);
    if (c >= 0) {
      items.push(it);
      y.push(c);
    }
  }
  return { classes, items, y: Int32Array.from(y) };
}

/** Truth of items against a prompt set's classes (-1 = no single class). */
export function truthForPromptSet(items: readonly StoredItem[], set: StoredPromptSet, column = 'labels'): Int32Array {
  const sets = set.classes.map(classLabels);
  return Int32Array.from(items, (it) => classOf(itemValues(it, column), sets));
}

/** Every label column per modality with the counts of single-valued items per value. */
export function labelColumns(all: readonly StoredItem[]): LabelColumnInfo[] {
  const acc = new Map<string, { modality: Modality; column: string; counts: Map<string, number>; datasets: Set<string> }>();
  const add = (it: StoredItem, column: string, values: string[]) => {
    if (values.length !== 1) return;
    const key = `${it.modality}|${column}`;
    const e = acc.get(key) ?? { modality: it.modality, column, counts: new Map(), datasets: new Set() };
    e.counts.set(values[0], (e.counts.get(values[0]) ?? 0) + 1);
    e.datasets.add(it.dataset);
    acc.set(key, e);
  };
  for (const it of all) {
    add(it, 'labels', it.labels);
    for (const k of Object.keys(it.meta)) {
      const v = it.meta[k];
      if (typeof v === 'string' && v.length > 0 && v.length <= 40 && k !== 'layout' && k !== 'findings') add(it, `meta:${k}`, itemValues(it, `meta:${k}`));
    }
  }
  return [...acc.values()]
    .filter((e) => e.counts.size >= 2 && e.counts.size <= 50)
    .map((e) => ({ modality: e.modality, column: e.column, counts: Object.fromEntries([...e.counts].sort()), datasets: [...e.datasets].sort() }));
}

// Builds a task's examples from library items: the outcome class (items without one are left out), the
// text rendered from the template, the frozen embeddings per modality (aligned rows) and the patient key
// (a metadata column; an item without it is its own patient).
import { renderTemplate } from './template';
import { outcomeClasses, outcomeOf, type OutcomeItem, type OutcomeSpec } from './tasks';
import type { ClinicalExamples, SoftModality } from './types';

export interface ExampleItem extends OutcomeItem {
  id: string;
}

export interface BuiltExamples {
  examples: ClinicalExamples;
  /** Ids of the items kept, in row order. */
  ids: string[];
  /** Items of each class. */
  counts: Record<string, number>;
  dropped: number;
}

export function buildExamples(
  items: readonly ExampleItem[],
  /** Per modality: [items.length, embedDim] rows aligned with `items` (or null where the item has none). */
  embeddings: Partial<Record<SoftModality, (Float32Array | null)[]>>,
  embedDim: number,
  o: { template: string; outcome: OutcomeSpec; groupColumn: string },
): BuiltExamples {
  const keep: number[] = [];
  const values: string[] = [];
  items.forEach((it, i) => {
    const v = outcomeOf(it, o.outcome);
    if (v === null) return;
    if (Object.values(embeddings).some((rows) => !rows?.[i])) return;
    keep.push(i);
    values.push(v);
  });
  const { classes, positive } = outcomeClasses(values);
  const counts = Object.fromEntries(classes.map((c) => [c, values.filter((v) => v === c).length]));
  const emb: ClinicalExamples['embeddings'] = {};
  for (const [m, rows] of Object.entries(embeddings) as [SoftModality, (Float32Array | null)[]][]) {
    const out = new Float32Array(keep.length * embedDim);
    keep.forEach((i, r) => out.set(rows[i]!.subarray(0, embedDim), r * embedDim));
    emb[m] = out;
  }
  const examples: ClinicalExamples = {
    texts: keep.map((i) => renderTemplate(o.template, items[i].meta)),
    embeddings: emb,
    embedDim,
    y: Int32Array.from(values, (v) => classes.indexOf(v)),
    classes,
    positive,
    groups: keep.map((i) => {
      const g = items[i].meta[o.groupColumn];
      return g === undefined || String(g).trim() === '' ? `item:${items[i].id}` : `${o.groupColumn}:${g}`;
    }),
  };
  return { examples, ids: keep.map((i) => items[i].id), counts, dropped: items.length - keep.length };
}

// Colour mapping for the explorer: any column (modality, label, dataset, split, a metadata key) becomes
// either categories (the most frequent get distinct colours, the rest "other") or a numeric scale.
import type { ExplorerPoints } from '../../state';
import { POINT_KINDS } from '../../state';

/** A colour-blind-friendly categorical palette (Tableau 10 + light variants). */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#1f77b4', '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#dbdb8d',
];
export const OTHER_COLOUR = '#9aa0a6';
export const MODALITY_COLOURS: Record<string, string> = { ecg: '#e15759', cxr: '#4e79a7', text: '#59a14f' };

export type ColourColumn = 'modality' | 'label' | 'dataset' | 'split' | `meta:${string}`;

export interface CategoryColouring {
  kind: 'category';
  /** Category names in legend order; the last may be OTHER when there were too many. */
  categories: string[];
  colours: string[];
  /** Category index per point. */
  codes: Uint16Array;
}

export interface NumericColouring {
  kind: 'numeric';
  values: Float32Array; // NaN where missing
  min: number;
  max: number;
}

export type Colouring = CategoryColouring | NumericColouring;

export const OTHER = 'other';
export const MISSING = '(none)';

/** Columns a user can colour by, given the point table. */
export function colourColumns(p: ExplorerPoints): { value: ColourColumn; label: string }[] {
  return [
    { value: 'modality', label: 'Modality' },
    { value: 'label', label: 'Label' },
    { value: 'dataset', label: 'Dataset' },
    { value: 'split', label: 'Split' },
    ...Object.keys(p.meta).map((k) => ({ value: `meta:${k}` as ColourColumn, label: k })),
  ];
}

/** The raw value of a column for point i (first label for "label"). */
export function columnValue(p: ExplorerPoints, column: ColourColumn, i: number): string | number | null {
  switch (column) {
    case 'modality':
      return POINT_KINDS[p.kind[i]] ?? null;
    case 'label':
      return p.labels[i][0] ?? null;
    case 'dataset':
      return p.dataset[i] || null;
    case 'split':
      return p.split[i] || null;
    default:
      return p.meta[column.slice(5)]?.[i] ?? null;
  }
}

/**
 * Colours for every point. Numeric columns with more than `maxCategories` distinct values use a scale;
 * otherwise the `maxCategories` most frequent values get palette colours and the rest share "other".
 */
export function colourBy(p: ExplorerPoints, column: ColourColumn, maxCategories = PALETTE.length): Colouring {
  const values = Array.from({ length: p.n }, (_, i) => columnValue(p, column, i));
  const distinct = new Map<string, number>();
  let numeric = true;
  for (const v of values) {
    if (v === null) continue;
    if (typeof v !== 'number') numeric = false;
    const key = String(v);
    distinct.set(key, (distinct.get(key) ?? 0) + 1);
  }
  if (numeric && distinct.size > maxCategories) {
    const arr = Float32Array.from(values, (v) => (typeof v === 'number' ? v : NaN));
    let min = Infinity;
    let max = -Infinity;
    // eslint-disable-next-line @typescript-eslint/no-unused-expressions -- existing short-circuit call kept as is; to be rewritten with the app-state rework
    for (const v of arr) if (v === v) (min = Math.min(min, v)), (max = Math.max(max, v));
    return { kind: 'numeric', values: arr, min, max };
  }
  const byCount = [...distinct.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  const overflow = byCount.length > maxCategories;
  const kept = overflow ? byCount.slice(0, maxCategories - 1) : byCount;
  if (column === 'modality') kept.sort((a, b) => POINT_KINDS.indexOf(a as never) - POINT_KINDS.indexOf(b as never));
  const hasMissing = values.some((v) => v === null);
  const categories = [...kept, ...(overflow ? [OTHER] : []), ...(hasMissing ? [MISSING] : [])];
  const index = new Map(categories.map((c, i) => [c, i]));
  const codes = Uint16Array.from(values, (v) =>
    v === null ? index.get(MISSING)! : (index.get(String(v)) ?? index.get(OTHER)!),
  );
  const colours = categories.map((c, i) =>
    c === OTHER || c === MISSING ? OTHER_COLOUR : column === 'modality' ? (MODALITY_COLOURS[c] ?? PALETTE[i]) : PALETTE[i % PALETTE.length],
  );
  return { kind: 'category', categories, colours, codes };
}

/** Points that match a free-text filter (case-insensitive, in id, name, labels, text or dataset). */
export function filterMask(p: ExplorerPoints, query: string): Uint8Array | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  const out = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) {
    if (
      p.ids[i].toLowerCase().includes(q) ||
      p.sourceName[i].toLowerCase().includes(q) ||
      p.text[i].toLowerCase().includes(q) ||
      p.dataset[i].toLowerCase().includes(q) ||
      p.labels[i].some((l) => l.toLowerCase().includes(q))
    )
      out[i] = 1;
  }
  return out;
}

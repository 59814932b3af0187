// The items of a clinical-prediction run: one modality's library items, or CXR + ECG joined into one
// example per link (a shared metadata value such as a patient/visit id, or a pairing file "cxr_id,ecg_id").
// A joined example carries both items' metadata (the CXR's wins on a shared name; "cxr.<col>" and
// "ecg.<col>" keep both) and both label lists. The public data has no such links of one patient.
import { parseCsv } from '../../../formats/csv';
import type { StoredItem } from '../../../storage/types';
import { matchesFilter } from '../sets';
import type { ClinicalItemSpec, ClinicalModalityInfo } from './methods';
import { badInput } from '../../shared/errors';

export interface ClinicalItem {
  /** The example's id (the item id, or "<cxr id>+<ecg id>"). */
  id: string;
  sourceName: string;
  labels: string[];
  meta: Record<string, string | number>;
  cxr: StoredItem | null;
  ecg: StoredItem | null;
}


function single(it: StoredItem): ClinicalItem {
  return { id: it.id, sourceName: it.sourceName, labels: it.labels, meta: it.meta, cxr: it.modality === 'cxr' ? it : null, ecg: it.modality === 'ecg' ? it : null };
}

function joined(c: StoredItem, e: StoredItem): ClinicalItem {
  const meta: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(e.meta)) meta[`ecg.${k}`] = v;
  for (const [k, v] of Object.entries(c.meta)) meta[`cxr.${k}`] = v;
  Object.assign(meta, e.meta, c.meta);
  return { id: `${c.id}+${e.id}`, sourceName: `${c.sourceName} + ${e.sourceName}`, labels: [...new Set([...c.labels, ...e.labels])], meta, cxr: c, ecg: e };
}

/** Pairs "cxr_id,ecg_id" from a pairing CSV (errors name the file and row). */
export function parsePairs(csv: string, file: string): [string, string][] {
  const t = parseCsv(csv, file);
  if (!t.ok) throw badInput(t.error.message);
  if (!t.value.header.includes('cxr_id') || !t.value.header.includes('ecg_id')) throw badInput(`${file}: needs columns cxr_id and ecg_id`);
  const out: [string, string][] = [];
  t.value.rows.forEach((r, i) => {
    const c = r.cxr_id?.trim();
    const e = r.ecg_id?.trim();
    if (!c || !e) throw badInput(`${file}: line ${t.value.rowLines[i]}: empty cxr_id or ecg_id`);
    out.push([c, e]);
  });
  return out;
}

export function selectClinicalItems(all: readonly StoredItem[], spec: ClinicalItemSpec): ClinicalItem[] {
  const f = (modality: 'cxr' | 'ecg') => all.filter((it) => matchesFilter(it, { modality, datasets: spec.datasets }));
  if (spec.mode !== 'both') return f(spec.mode).map(single);
  const cxrs = f('cxr');
  const ecgs = f('ecg');
  const link = spec.link;
  if (!link) throw badInput('CXR + ECG needs a link: a metadata column both carry, or a pairing file');
  if (link.kind === 'pairs') {
    const byId = new Map([...cxrs, ...ecgs].map((it) => [it.id, it]));
    return parsePairs(link.csv, link.file).flatMap(([c, e]) => {
      const ci = byId.get(c);
      const ei = byId.get(e);
      return ci?.modality === 'cxr' && ei?.modality === 'ecg' ? [joined(ci, ei)] : [];
    });
  }
  // One ECG per CXR: the first ECG (by id) with the same value of the link column.
  const ecgByKey = new Map<string, StoredItem>();
  for (const e of [...ecgs].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const v = e.meta[link.ecgColumn];
    if (v !== undefined && String(v).trim() && !ecgByKey.has(String(v).trim())) ecgByKey.set(String(v).trim(), e);
  }
  return cxrs.flatMap((c) => {
    const v = c.meta[link.cxrColumn];
    const e = v === undefined ? undefined : ecgByKey.get(String(v).trim());
    return e ? [joined(c, e)] : [];
  });
}

export function modalityInfo(all: readonly StoredItem[]): ClinicalModalityInfo[] {
  return (['cxr', 'ecg'] as const).map((modality) => {
    const items = all.filter((it) => it.modality === modality);
    const columns: Record<string, number> = {};
    const labels: Record<string, number> = {};
    for (const it of items) {
      for (const [k, v] of Object.entries(it.meta)) if (String(v).trim()) columns[k] = (columns[k] ?? 0) + 1;
      for (const l of it.labels) labels[l] = (labels[l] ?? 0) + 1;
    }
    return { modality, n: items.length, datasets: [...new Set(items.map((it) => it.dataset))].sort(), columns, labels };
  });
}

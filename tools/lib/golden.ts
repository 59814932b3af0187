// Golden embeddings of the shipped weights: 4 CXRs, 4 ECGs (the first of each by item id in the demo
// library) and 4 fixed texts, embedded with the runtime and stored beside the weights (golden.json), so a
// unit test notices when a runtime change moves the shipped model's embeddings (tolerance 1e-3).
import type { MedbindEncoders } from '../../src/model/types';
import { embedItems, embedTexts } from './embed-items';
import { prepareFolder } from './prepared';

export const GOLDEN_FILE = 'golden.json';
export const GOLDEN_TOLERANCE = 1e-3;
export const GOLDEN_TEXTS = [
  'Findings suggesting pneumonia.',
  'ECG presents sinus rhythm. Diagnostic class: normal sinus rhythm.',
  'afib with LBBB',
  'No acute cardiopulmonary process; heart size normal.',
];

export interface GoldenJson {
  version: string;
  embedDim: number;
  items: { id: string; modality: 'cxr' | 'ecg'; vector: number[] }[];
  texts: { text: string; vector: number[] }[];
}

export async function computeGolden(enc: MedbindEncoders, demoDir: string, ids?: string[]): Promise<GoldenJson> {
  const set = await prepareFolder(demoDir, undefined, false);
  const sorted = [...set.items].sort((a, b) => (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  const pick = ids
    ? ids.map((id) => {
        const p = sorted.find((q) => q.item.id === id);
        if (!p) throw new Error(`golden: demo item ${id} not found in ${demoDir}`);
        return p;
      })
    : [...sorted.filter((p) => p.item.modality === 'cxr').slice(0, 4), ...sorted.filter((p) => p.item.modality === 'ecg').slice(0, 4)];
  const items: GoldenJson['items'] = [];
  for (const m of ['cxr', 'ecg'] as const) {
    const group = pick.filter((p) => p.item.modality === m);
    if (group.length === 0) continue;
    const v = await embedItems(enc, group);
    group.forEach((p, i) => items.push({ id: p.item.id, modality: m, vector: Array.from(v.subarray(i * enc.embedDim, (i + 1) * enc.embedDim)) }));
  }
  const tv = await embedTexts(enc, GOLDEN_TEXTS);
  const texts = GOLDEN_TEXTS.map((text, i) => ({ text, vector: Array.from(tv.subarray(i * enc.embedDim, (i + 1) * enc.embedDim)) }));
  // Keep items in the order they were picked.
  const order = new Map(pick.map((p, i) => [p.item.id, i]));
  items.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { version: enc.version, embedDim: enc.embedDim, items, texts };
}

/** Largest absolute difference between two golden sets' vectors (same items and texts required). */
export function maxGoldenDiff(a: GoldenJson, b: GoldenJson): number {
  if (a.items.length !== b.items.length || a.texts.length !== b.texts.length) throw new Error('golden: different item or text counts');
  let worst = 0;
  const cmp = (x: number[], y: number[]) => {
    if (x.length !== y.length) throw new Error('golden: vector lengths differ');
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  };
  a.items.forEach((it, i) => {
    if (it.id !== b.items[i].id) throw new Error(`golden: item ${i} is ${it.id} vs ${b.items[i].id}`);
    cmp(it.vector, b.items[i].vector);
  });
  a.texts.forEach((t, i) => cmp(t.vector, b.texts[i].vector));
  return worst;
}

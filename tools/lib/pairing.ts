// CXR-ECG pairing files for EMCL. A pairing file is a CSV "cxr_id,ecg_id[,category]" of item ids.
// No public data pairs a CXR and an ECG of the same patient, so the shipped model uses a DEMO pairing
// made here by shared finding category (e.g. a normal CXR with a normal ECG). It is a training device,
// not clinical evidence, and is labelled as such wherever it is used.
import { parseCsv } from '../../src/formats/csv';
import type { DatasetItem } from '../../src/formats/types';
import { makeRng } from '../../src/model/rng';

export interface Pair {
  cxrId: string;
  ecgId: string;
  category: string;
}

/** Finding categories shared by both modalities: CXR labels and ECG labels that belong to each. */
export const DEMO_CATEGORIES: { category: string; cxr: (labels: string[]) => boolean; ecg: (labels: string[]) => boolean }[] = [
  {
    category: 'normal',
    cxr: (l) => l.length === 1 && /^(normal|no finding)$/i.test(l[0]),
    ecg: (l) => l.length === 1 && /^(norm|normal|sinus rhythm)$/i.test(l[0]),
  },
  {
    category: 'cardiac enlargement',
    cxr: (l) => l.some((x) => /cardiomegaly|enlarged cardiomediastinum/i.test(x)),
    ecg: (l) => l.some((x) => /^hyp$|hypertrophy/i.test(x)),
  },
];

/** Pairs each CXR of a shared category with one ECG of that category (seeded, ECGs reused round-robin). */
export function makeDemoPairing(items: DatasetItem[], seed: number): Pair[] {
  const rng = makeRng(seed);
  const pairs: Pair[] = [];
  for (const cat of DEMO_CATEGORIES) {
    const cxrs = items.filter((i) => i.modality === 'cxr' && cat.cxr(i.labels));
    const ecgs = items.filter((i) => i.modality === 'ecg' && cat.ecg(i.labels));
    if (cxrs.length === 0 || ecgs.length === 0) continue;
    const order = ecgs.map((e) => ({ e, k: rng() })).sort((a, b) => a.k - b.k).map((x) => x.e);
    cxrs.forEach((c, i) => pairs.push({ cxrId: c.id, ecgId: order[i % order.length].id, category: cat.category }));
  }
  return pairs;
}

export function pairingToCsv(pairs: Pair[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['cxr_id,ecg_id,category', ...pairs.map((p) => [p.cxrId, p.ecgId, p.category].map(q).join(','))].join('\n') + '\n';
}

export function parsePairingCsv(text: string, file: string): { pairs: Pair[]; errors: string[] } {
  const parsed = parseCsv(text, file);
  if (!parsed.ok) return { pairs: [], errors: [parsed.error.message] };
  const pairs: Pair[] = [];
  const errors: string[] = [];
  parsed.value.rows.forEach((r, i) => {
    const cxrId = r['cxr_id']?.trim();
    const ecgId = r['ecg_id']?.trim();
    if (!cxrId || !ecgId) errors.push(`${file}: row ${i + 2}: needs cxr_id and ecg_id`);
    else pairs.push({ cxrId, ecgId, category: r['category']?.trim() ?? '' });
  });
  return { pairs, errors };
}

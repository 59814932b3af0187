// Patient-disjoint train/validation split of CXR-ECG pairs. A pair involves two patients' keys (the CXR's
// and the ECG's: the same person for real pairs, two people for the demo pairing) and two items; pairs
// that share any of them are joined into one group (union-find), and groupedSplit deals whole groups,
// so no patient and no item is ever on both sides.
import { groupedSplit } from '../../../model/stats';
import type { MatchedPair, PairableItem } from './types';

/** The patient of an item: its patientKey, else the item itself (then only the item is kept apart). */
export const patientOf = (it: PairableItem | undefined, id: string) => it?.patientKey || `item:${id}`;

export function pairGroups(pairs: readonly MatchedPair[], items: ReadonlyMap<string, PairableItem>): string[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y)! !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const add = (x: string) => (parent.has(x) ? undefined : parent.set(x, x));
  const union = (a: string, b: string) => {
    add(a);
    add(b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const keys = pairs.map((p) => [`p:${patientOf(items.get(p.cxrId), p.cxrId)}`, `p:${patientOf(items.get(p.ecgId), p.ecgId)}`, `i:${p.cxrId}`, `i:${p.ecgId}`]);
  for (const k of keys) for (let j = 1; j < k.length; j++) union(k[0], k[j]);
  return keys.map((k) => find(k[0]));
}

/** true = validation. About valFrac of the pair groups go to validation (seeded). */
export function splitPairs(pairs: readonly MatchedPair[], items: ReadonlyMap<string, PairableItem>, valFrac: number, seed: number): boolean[] {
  return groupedSplit(pairGroups(pairs, items), valFrac, seed);
}

// Patient-grouped splits: every item of one group (patient) falls on one side, so no patient is both
// trained on and evaluated on. Used by k-fold evaluation and train/validation splits of user data.
import { makeRng, shuffleInPlace } from '../rng';

/**
 * Assigns each item a fold in 0..k-1 so that items of one group share a fold. Groups are shuffled
 * with `seed` and dealt to the fold holding the fewest items so far (ties: lowest fold), which keeps
 * fold sizes close even when groups differ in size. Fewer groups than k leaves some folds empty.
 */
export function groupedKFold(groups: readonly string[], k: number, seed = 0): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error(`groupedKFold: k must be an integer >= 2 (got ${k})`);
  const members = groupMembers(groups);
  const keys = shuffleInPlace([...members.keys()].sort(), makeRng(seed));
  // Larger groups first (stable on the shuffled order) so the greedy dealing balances sizes.
  keys.sort((a, b) => members.get(b)!.length - members.get(a)!.length);
  const fold = new Int32Array(groups.length);
  const sizes = new Array<number>(k).fill(0);
  for (const key of keys) {
    let best = 0;
    for (let f = 1; f < k; f++) if (sizes[f] < sizes[best]) best = f;
    for (const i of members.get(key)!) fold[i] = best;
    sizes[best] += members.get(key)!.length;
  }
  return fold;
}

/**
 * Train/validation split by group: about `valFrac` of the groups (at least one when there are two or
 * more groups) go to validation. Returns true for validation items.
 */
export function groupedSplit(groups: readonly string[], valFrac: number, seed = 0): boolean[] {
  if (!(valFrac > 0 && valFrac < 1)) throw new Error(`groupedSplit: valFrac ${valFrac} is not in (0, 1)`);
  const members = groupMembers(groups);
  const keys = shuffleInPlace([...members.keys()].sort(), makeRng(seed));
  const nVal = keys.length < 2 ? 0 : Math.max(1, Math.round(keys.length * valFrac));
  const isVal = new Array<boolean>(groups.length).fill(false);
  for (const key of keys.slice(0, nVal)) for (const i of members.get(key)!) isVal[i] = true;
  return isVal;
}

function groupMembers(groups: readonly string[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = m.get(g);
    if (list) list.push(i);
    else m.set(g, [i]);
  });
  return m;
}

// Batches for pretraining: each step draws CXRs and ECGs from the training split, puts m demo-paired
// CXR/ECG rows first (for EMCL), and picks each item's text at random from its canonical report and
// its phrasing variants (text augmentation). Seeded: the same seed gives the same batches.
import type { TrainBatch } from '../../src/model/train';
import { makeRng, subSeed } from '../../src/model/rng';
import type { Pair } from './pairing';
import { CXR_INPUT_LEN, ECG_INPUT_LEN, type PreparedItem } from './prepared';

export interface SamplerOptions {
  batchCxr: number;
  batchEcg: number;
  /** Paired rows per batch (EMCL); 0 for the NM variant. */
  pairedPerBatch: number;
  seed: number;
  /** Draw ECGs with these weights (one per ECG item) instead of uniformly, e.g. sqrtInverseFrequency. */
  ecgWeights?: number[];
}

/**
 * Per-item sampling weights 1 / sqrt(count of items with the same dataset and label set): rare label
 * combinations are drawn more often than their share (PTB-XL has 194 NORM and 3 HYP-only training
 * records), without the few rarest items dominating the batches as full inverse frequency would.
 */
export function sqrtInverseFrequency(items: PreparedItem[]): number[] {
  const key = (p: PreparedItem) => `${p.item.dataset}\u0000${[...p.item.labels].sort().join('+')}`;
  const counts = new Map<string, number>();
  for (const p of items) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
  return items.map((p) => 1 / Math.sqrt(counts.get(key(p))!));
}

/** Index drawn with probability proportional to the weights (cumulative sums, binary search). */
function weightedPicker(weights: number[]): (u: number) => number {
  const cum: number[] = [];
  let total = 0;
  for (const w of weights) cum.push((total += Math.max(0, w)));
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

export class BatchSampler {
  private readonly byId: Map<string, PreparedItem>;
  private readonly pairs: Pair[];
  private readonly ecgPick: ((u: number) => number) | null;

  constructor(
    private readonly cxr: PreparedItem[],
    private readonly ecg: PreparedItem[],
    pairs: Pair[],
    private readonly opts: SamplerOptions,
  ) {
    this.byId = new Map([...cxr, ...ecg].map((p) => [p.item.id, p]));
    // Only pairs whose both sides are in this (training) set are usable.
    this.pairs = pairs.filter((p) => this.byId.has(p.cxrId) && this.byId.has(p.ecgId));
    if (opts.ecgWeights && opts.ecgWeights.length !== ecg.length) throw new Error(`BatchSampler: ${opts.ecgWeights.length} ECG weights for ${ecg.length} ECGs`);
    this.ecgPick = opts.ecgWeights ? weightedPicker(opts.ecgWeights) : null;
  }

  get usablePairs(): number {
    return this.pairs.length;
  }

  batch(step: number): TrainBatch {
    const rng = makeRng(subSeed(this.opts.seed, `batch/${step}`));
    const pick = <T>(a: T[]): T => a[Math.floor(rng() * a.length)];
    const m = Math.min(this.opts.pairedPerBatch, this.pairs.length, this.opts.batchCxr, this.opts.batchEcg);
    const cx: PreparedItem[] = [];
    const ec: PreparedItem[] = [];
    const usedPairs = new Set<number>();
    while (cx.length < m) {
      const k = Math.floor(rng() * this.pairs.length);
      if (usedPairs.has(k) && usedPairs.size < this.pairs.length) continue;
      usedPairs.add(k);
      cx.push(this.byId.get(this.pairs[k].cxrId)!);
      ec.push(this.byId.get(this.pairs[k].ecgId)!);
    }
    const fill = (pool: PreparedItem[], into: PreparedItem[], n: number, picker: ((u: number) => number) | null = null) => {
      const taken = new Set(into.map((p) => p.item.id));
      let guard = 0;
      while (into.length < n && pool.length > 0) {
        const p = picker ? pool[picker(rng())] : pick(pool);
        if (taken.has(p.item.id) && guard++ < 10 * n) continue;
        taken.add(p.item.id);
        into.push(p);
      }
    };
    if (this.cxr.length > 0) fill(this.cxr, cx, this.opts.batchCxr);
    if (this.ecg.length > 0) fill(this.ecg, ec, this.opts.batchEcg, this.ecgPick);
    const textOf = (p: PreparedItem) => {
      const all = [p.item.text, ...p.item.textVariants];
      return all[Math.floor(rng() * all.length)];
    };
    const stack = (items: PreparedItem[], len: number) => {
      const out = new Float32Array(items.length * len);
      items.forEach((p, i) => out.set(p.input, i * len));
      return out;
    };
    return {
      cxr: cx.length ? { pixels: stack(cx, CXR_INPUT_LEN), n: cx.length, texts: cx.map(textOf) } : undefined,
      ecg: ec.length ? { signals: stack(ec, ECG_INPUT_LEN), n: ec.length, texts: ec.map(textOf) } : undefined,
      paired: m,
    };
  }
}

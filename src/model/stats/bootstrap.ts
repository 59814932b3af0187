// Seeded percentile bootstrap for confidence intervals of any metric over n evaluation items, so every
// table the product shows (clinical prediction, pair binding, retrieval) states its uncertainty the same way.
import { makeRng } from '../rng';

export interface BootstrapOptions {
  /** Resamples drawn (default 1000). */
  iterations?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  level?: number;
  seed?: number;
}

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

/**
 * Percentile bootstrap: resamples the n item indices with replacement `iterations` times, evaluates
 * `metric(indices)` on each resample and returns the metric on all items with the (1-level)/2 and
 * (1+level)/2 percentiles of the resampled values. Resamples whose metric is NaN (e.g. AUROC of a
 * resample with one class only) are skipped; lo/hi are NaN when every resample is.
 */
export function bootstrapCi(n: number, metric: (indices: Int32Array) => number, opts: BootstrapOptions = {}): Interval {
  const iterations = opts.iterations ?? 1000;
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrapCi: level ${level} is not in (0, 1)`);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimate = n > 0 ? metric(all) : NaN;
  if (n === 0) return { estimate, lo: NaN, hi: NaN };
  const rng = makeRng(opts.seed ?? 0);
  const values: number[] = [];
  const idx = new Int32Array(n);
  for (let b = 0; b < iterations; b++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(rng() * n);
    const v = metric(idx);
    if (Number.isFinite(v)) values.push(v);
  }
  if (values.length === 0) return { estimate, lo: NaN, hi: NaN };
  values.sort((a, b) => a - b);
  return { estimate, lo: quantileSorted(values, (1 - level) / 2), hi: quantileSorted(values, (1 + level) / 2) };
}

/** Linear-interpolated quantile q in [0, 1] of an ascending array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

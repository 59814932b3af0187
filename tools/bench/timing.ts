// Timing primitives for the benchmarks: warm-up then repeated timings, summarised as mean ± sd and
// percentiles; a time budget caps slow measurements so one heavy case cannot hold up the whole run.
import { performance } from 'node:perf_hooks';

export interface Summary {
  /** Number of timed samples. */
  n: number;
  meanMs: number;
  sdMs: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** p50 of this process's CPU time per run (user + system): what an idle core would roughly take for
   * single-threaded work, when other jobs share the machine. Absent when not recorded. */
  cpuP50Ms?: number;
}

/** Percentile by linear interpolation between closest ranks (q in [0, 1]); NaN for no samples. */
export function percentile(sortedMs: readonly number[], q: number): number {
  const n = sortedMs.length;
  if (n === 0) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sortedMs[lo] + (sortedMs[hi] - sortedMs[lo]) * (pos - lo);
}

/** Sample statistics of timings in ms (sample sd with n - 1; 0 for one sample). */
export function summarize(samplesMs: readonly number[], cpuSamplesMs?: readonly number[]): Summary {
  const s = [...samplesMs].sort((a, b) => a - b);
  const n = s.length;
  const mean = n ? s.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const out: Summary = { n, meanMs: mean, sdMs: sd, p50Ms: percentile(s, 0.5), p95Ms: percentile(s, 0.95), minMs: n ? s[0] : NaN, maxMs: n ? s[n - 1] : NaN };
  if (cpuSamplesMs?.length) out.cpuP50Ms = percentile([...cpuSamplesMs].sort((a, b) => a - b), 0.5);
  return out;
}

export interface TimeOptions {
  /** Untimed runs first (JIT, shader/kernel set-up, caches). */
  warmup?: number;
  /** Timed runs wanted. */
  repeats?: number;
  /** Stop starting new timed runs once this much time (warm-up included) has passed; at least one timed run is kept. */
  budgetMs?: number;
}

/** Runs fn warmup + repeats times and returns the timed samples in ms (fewer when the budget runs out).
 * `cpuOut`, when given, receives this process's CPU time (user + system) of each timed run. */
export async function timeRuns(fn: () => unknown | Promise<unknown>, opts: TimeOptions = {}, cpuOut?: number[]): Promise<number[]> {
  const { warmup = 1, repeats = 5, budgetMs = Infinity } = opts;
  const start = performance.now();
  for (let i = 0; i < warmup; i++) {
    await fn();
    if (performance.now() - start > budgetMs) break;
  }
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuOut?.push((c.user + c.system) / 1000);
    if (performance.now() - start > budgetMs) break;
  }
  return samples;
}

/** timeRuns + summarize (with CPU time). */
export async function timeIt(fn: () => unknown | Promise<unknown>, opts: TimeOptions = {}): Promise<Summary> {
  const cpu: number[] = [];
  return summarize(await timeRuns(fn, opts, cpu), cpu);
}

/** Formats a duration for tables: "850 µs", "12.3 ms", "4.56 s", "2.1 min". */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** "p50 12.3 ms, p95 14.0 ms (n=5)" or "mean 4.56 s ± 0.10 s (n=3)". */
export function fmtSummary(s: Summary, style: 'pct' | 'mean' = 'pct'): string {
  const cpu = s.cpuP50Ms !== undefined ? `; CPU time p50 ${fmtMs(s.cpuP50Ms)}` : '';
  if (s.n === 1) return `${fmtMs(s.p50Ms)} (n=1${cpu})`;
  return style === 'pct' ? `p50 ${fmtMs(s.p50Ms)}, p95 ${fmtMs(s.p95Ms)} (n=${s.n}${cpu})` : `${fmtMs(s.meanMs)} ± ${fmtMs(s.sdMs)} (n=${s.n}${cpu})`;
}

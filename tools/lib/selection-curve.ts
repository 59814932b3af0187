// Joins the validation scores of step snapshots (scored by `npm run select-weights`) to a PyTorch run's
// training curve, so a snapshot ships with the same training-curve.json fields as `npm run pretrain`
// writes (valScore / valMetrics per validated step, the selection), and the model card names the step.
import type { CurvePoint } from './curves';
import { selectBest } from './model-selection';
import type { ValidationMetrics } from './validate';

export interface ScoredStep {
  step: number;
  metrics: ValidationMetrics;
}

export interface SeedRun {
  seed: number;
  selectedStep: number;
  /** Raw (unsmoothed) selection score of the selected step. */
  score: number;
  metrics: ValidationMetrics;
}

export interface CurveWithSelection {
  curve: CurvePoint[];
  steps: number;
  selection?: { step: number; smoothedScore: number; window: number; lastStep: number } | null;
  seedRuns?: SeedRun[];
  [k: string]: unknown;
}

/** The curve with the scored steps' metrics and the selected step (best score smoothed over `window`). */
export function withSelection<T extends CurveWithSelection>(run: T, scored: ScoredStep[], window = 3): T {
  const byStep = new Map(scored.map((s) => [s.step, s.metrics]));
  const missing = [...byStep.keys()].filter((s) => !run.curve.some((p) => p.step === s));
  if (missing.length) throw new Error(`withSelection: scored steps ${missing.join(', ')} are not on the training curve`);
  const curve = run.curve.map((p) => {
    const m = byStep.get(p.step);
    if (!m) return p;
    const { ptbxlZeroShot, ptbxl16Shot, ptbxlR10, pediatricZeroShot } = m;
    return { ...p, valScore: m.score, valMetrics: { ptbxlZeroShot, ptbxl16Shot, ptbxlR10, pediatricZeroShot } };
  });
  const best = selectBest(scored.map((s) => ({ step: s.step, score: s.metrics.score })), window);
  const lastStep = run.curve.length ? run.curve[run.curve.length - 1].step : 0;
  return { ...run, curve, selection: best ? { step: best.step, smoothedScore: best.smoothed, window, lastStep } : null };
}

/** One seed's summary: the step selection picks and its raw score. */
export function seedRun(seed: number, scored: ScoredStep[], window = 3): SeedRun | null {
  const best = selectBest(scored.map((s) => ({ step: s.step, score: s.metrics.score })), window);
  if (!best) return null;
  const m = scored.find((s) => s.step === best.step)!.metrics;
  return { seed, selectedStep: best.step, score: m.score, metrics: m };
}

/** Mean and sample sd of the seeds' selected scores. */
export function seedSpread(runs: SeedRun[]): { mean: number; sd: number; n: number } {
  const n = runs.length;
  const mean = runs.reduce((a, r) => a + r.score, 0) / Math.max(1, n);
  const sd = n > 1 ? Math.sqrt(runs.reduce((a, r) => a + (r.score - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, n };
}

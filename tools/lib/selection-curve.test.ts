import { describe, expect, it } from 'vitest';
import { seedRun, seedSpread, withSelection, type CurveWithSelection } from './selection-curve';
import type { ValidationMetrics } from './validate';

const m = (score: number): ValidationMetrics => ({ ptbxlZeroShot: score, ptbxl16Shot: score, ptbxlR10: score, pediatricZeroShot: score, score });
const point = (step: number) => ({ step, total: 1, tmclCxr: 1, tmclEcg: 1, emcl: 1, lr: 1e-4 });

describe('withSelection', () => {
  const run: CurveWithSelection = { steps: 500, curve: [1, 2, 3, 4, 5].map((i) => point(i * 100)) };
  it('attaches scores to their steps and selects the best smoothed point, not the last', () => {
    const out = withSelection(run, [{ step: 100, metrics: m(0.3) }, { step: 200, metrics: m(0.6) }, { step: 300, metrics: m(0.62) }, { step: 400, metrics: m(0.58) }, { step: 500, metrics: m(0.2) }]);
    expect(out.selection).toEqual({ step: 300, smoothedScore: expect.closeTo(0.6, 6), window: 3, lastStep: 500 });
    expect(out.curve[1].valScore).toBe(0.6);
    expect(out.curve[1].valMetrics).toEqual({ ptbxlZeroShot: 0.6, ptbxl16Shot: 0.6, ptbxlR10: 0.6, pediatricZeroShot: 0.6 });
    expect(out.curve[0].valScore).toBe(0.3);
    expect(run.curve[1]).not.toHaveProperty('valScore');
  });
  it('refuses a scored step that is not on the curve', () => {
    expect(() => withSelection(run, [{ step: 150, metrics: m(0.5) }])).toThrow(/150/);
  });
});

describe('seed summaries', () => {
  it('reports the selected step with its raw score, and mean and sd over seeds', () => {
    const a = seedRun(1, [0.4, 0.7, 0.65, 0.3, 0.2].map((s, i) => ({ step: (i + 1) * 100, metrics: m(s) })))!;
    expect(a.selectedStep).toBe(200);
    expect(a.score).toBe(0.7);
    const s = seedSpread([a, { ...a, seed: 2, score: 0.5 }]);
    expect(s.mean).toBeCloseTo(0.6, 9);
    expect(s.sd).toBeCloseTo(Math.SQRT2 * 0.1, 9);
    expect(seedSpread([a]).sd).toBeNaN();
  });
});

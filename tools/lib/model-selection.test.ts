import { describe, expect, it } from 'vitest';
import { selectBest, smoothScores } from './model-selection';

describe('model selection', () => {
  it('picks the best point of a rise-then-overfit curve, not the last step', () => {
    const steps = [50, 100, 150, 200, 250, 300, 350, 400];
    const score = [0.3, 0.4, 0.5, 0.55, 0.56, 0.53, 0.45, 0.42];
    const best = selectBest(steps.map((step, i) => ({ step, score: score[i] })));
    expect(best?.step).toBe(250);
    expect(best?.smoothed).toBeCloseTo((0.55 + 0.56 + 0.53) / 3, 10);
  });

  it('prefers a good stretch over a single lucky spike, and the earlier step on ties', () => {
    const pts = [0.3, 0.7, 0.3, 0.3, 0.55, 0.56, 0.55, 0.3].map((score, i) => ({ step: (i + 1) * 100, score }));
    expect(selectBest(pts)?.step).toBe(600);
    expect(selectBest(pts, 1)?.step).toBe(200); // without smoothing the spike wins
    const flat = [0.5, 0.5, 0.5].map((score, i) => ({ step: (i + 1) * 10, score }));
    expect(selectBest(flat)?.step).toBe(10);
  });

  it('ignores non-finite scores, sorts by step, and returns null for an empty curve', () => {
    expect(selectBest([])).toBeNull();
    expect(selectBest([{ step: 5, score: NaN }])).toBeNull();
    expect(selectBest([{ step: 30, score: 0.2 }, { step: 10, score: 0.9 }, { step: 20, score: NaN }])?.step).toBe(10);
    expect(smoothScores([{ step: 1, score: 1 }, { step: 2, score: 3 }])).toEqual([2, 2]);
  });
});

// Checkpoint selection for pretraining: the shipped step is chosen on the validation split, not the last
// step. Each validation point has a score (the mean of the target metrics); the score is smoothed over
// neighbouring validation points (window 3) because the validation sets are small (44 PTB-XL records)
// and one lucky point should not win over a good stretch of training; the best smoothed point wins,
// ties going to the earlier step (less training, less overfitting).

export interface ValidationPoint {
  step: number;
  /** Higher is better. */
  score: number;
}

/** Mean of each point with its neighbours (index i-1..i+1, truncated at the ends), in step order. */
export function smoothScores(points: ValidationPoint[], window = 3): number[] {
  const half = Math.floor(window / 2);
  return points.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(points.length - 1, i + half); j++) {
      sum += points[j].score;
      n++;
    }
    return sum / n;
  });
}

/** The selected point (its index in step order and smoothed score); null for an empty curve. */
export function selectBest(points: ValidationPoint[], window = 3): { index: number; step: number; smoothed: number } | null {
  const finite = points.filter((p) => Number.isFinite(p.score)).sort((a, b) => a.step - b.step);
  if (finite.length === 0) return null;
  const sm = smoothScores(finite, window);
  let best = 0;
  for (let i = 1; i < sm.length; i++) if (sm[i] > sm[best]) best = i;
  return { index: best, step: finite[best].step, smoothed: sm[best] };
}

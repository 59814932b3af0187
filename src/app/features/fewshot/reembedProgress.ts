// The re-embedding slice shown by the progress bar (the slice carries counts only; no rate or ETA).
import type { Progress } from '../../../workers/api';
import type { ReembedEvent } from '../../state';

export function reembedProgress(e: ReembedEvent): Progress {
  return { done: e.done, total: e.total, itemsPerSec: 0, etaSec: null, phase: 're-embedding' };
}

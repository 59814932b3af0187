// Throughput and ETA for every long job of every worker (items/s over the whole run so far).
import type { Progress } from '../api';

export function makeProgress(phase: string, done: number, total: number, startedMs: number, nowMs: number): Progress {
  const elapsedSec = Math.max(1e-3, (nowMs - startedMs) / 1000);
  const itemsPerSec = done / elapsedSec;
  const etaSec = done > 0 && total >= done ? (total - done) / itemsPerSec : null;
  return { phase, done, total, itemsPerSec, etaSec };
}

// Number formatting for the UI: sizes, durations, rates and similarities.
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '—';
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatRate(itemsPerSec: number): string {
  if (!Number.isFinite(itemsPerSec) || itemsPerSec <= 0) return '—';
  return `${itemsPerSec >= 10 ? Math.round(itemsPerSec) : itemsPerSec.toFixed(1)} items/s`;
}

/** Cosine similarity shown with 3 decimals (the sign matters, so no percentages). */
export const formatSimilarity = (cos: number) => (Number.isFinite(cos) ? cos.toFixed(3) : '—');

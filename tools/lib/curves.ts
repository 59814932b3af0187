// Loss curves of a pretraining run: kept as JSON and drawn as a small self-contained SVG plot.
export interface CurvePoint {
  step: number;
  total: number;
  tmclCxr: number;
  tmclEcg: number;
  emcl: number;
  lr: number;
  val?: number;
  /** Model-selection score on the validation split (mean of valMetrics), where measured. */
  valScore?: number;
  valMetrics?: { ptbxlZeroShot: number; ptbxl16Shot: number; ptbxlR10: number; pediatricZeroShot: number };
}

const COLOURS: Record<string, string> = { total: '#1f4e79', tmclCxr: '#2e8b57', tmclEcg: '#b8860b', emcl: '#8b008b', val: '#c0392b' };

/** Moving average over a window of points (for readable training curves). */
function smooth(ys: number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < ys.length; i++) {
    sum += ys[i];
    if (i >= window) sum -= ys[i - window];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

export function curvesSvg(points: CurvePoint[], title: string): string {
  const W = 760;
  const H = 420;
  const L = 60;
  const R = 150;
  const T = 40;
  const B = 50;
  const maxStep = Math.max(1, ...points.map((p) => p.step));
  const series: { key: keyof CurvePoint; xs: number[]; ys: number[] }[] = [];
  for (const key of ['total', 'tmclCxr', 'tmclEcg', 'emcl'] as const) {
    series.push({ key, xs: points.map((p) => p.step), ys: smooth(points.map((p) => p[key] as number), 20) });
  }
  const vals = points.filter((p) => p.val !== undefined);
  series.push({ key: 'val', xs: vals.map((p) => p.step), ys: vals.map((p) => p.val!) });
  const allY = series.flatMap((s) => s.ys).filter(Number.isFinite);
  const maxY = Math.max(1e-6, ...allY);
  const x = (s: number) => L + ((W - L - R) * s) / maxStep;
  const y = (v: number) => T + (H - T - B) * (1 - v / maxY);
  const lines = series
    .filter((s) => s.ys.length > 0)
    .map((s) => `<polyline fill="none" stroke="${COLOURS[s.key]}" stroke-width="1.5" points="${s.xs.map((xs, i) => `${x(xs).toFixed(1)},${y(s.ys[i]).toFixed(1)}`).join(' ')}"/>`);
  const legend = series.map((s, i) => `<text x="${W - R + 10}" y="${T + 20 + i * 18}" fill="${COLOURS[s.key]}" font-size="12">${s.key === 'val' ? 'validation total' : s.key}</text>`);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${L - 8}" y="${y(f * maxY) + 4}" font-size="11" text-anchor="end">${(f * maxY).toFixed(2)}</text>`);
  const xticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${x(f * maxStep)}" y="${H - B + 18}" font-size="11" text-anchor="middle">${Math.round(f * maxStep)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${L}" y="24" font-size="14">${title}</text>
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>
${ticks.join('\n')}
${xticks.join('\n')}
<text x="${(L + W - R) / 2}" y="${H - 12}" font-size="12" text-anchor="middle">step (training curves smoothed over 20 steps)</text>
${lines.join('\n')}
${legend.join('\n')}
</svg>
`;
}

const METRIC_COLOURS: Record<string, string> = { valScore: '#1f4e79', ptbxlZeroShot: '#b8860b', ptbxl16Shot: '#8b008b', ptbxlR10: '#2e8b57', pediatricZeroShot: '#c0392b' };
const METRIC_NAMES: Record<string, string> = { valScore: 'selection score', ptbxlZeroShot: 'PTB-XL zero-shot', ptbxl16Shot: 'PTB-XL 16-shot', ptbxlR10: 'PTB-XL R@10', pediatricZeroShot: 'pediatric zero-shot' };

/** The validation metrics of each validated step (0-1 scale) and the selected step as a vertical line. */
export function selectionSvg(points: CurvePoint[], selectedStep: number | null, title: string): string {
  const W = 760;
  const H = 420;
  const L = 60;
  const R = 170;
  const T = 40;
  const B = 50;
  const vals = points.filter((p) => p.valScore !== undefined && p.valMetrics);
  const maxStep = Math.max(1, ...points.map((p) => p.step));
  const x = (s: number) => L + ((W - L - R) * s) / maxStep;
  const y = (v: number) => T + (H - T - B) * (1 - Math.min(1, Math.max(0, v)));
  const keys = ['valScore', 'ptbxlZeroShot', 'ptbxl16Shot', 'ptbxlR10', 'pediatricZeroShot'] as const;
  const valueOf = (p: CurvePoint, k: (typeof keys)[number]) => (k === 'valScore' ? p.valScore! : p.valMetrics![k]);
  const lines = keys.map((k) => `<polyline fill="none" stroke="${METRIC_COLOURS[k]}" stroke-width="${k === 'valScore' ? 2.5 : 1.5}" points="${vals.filter((p) => Number.isFinite(valueOf(p, k))).map((p) => `${x(p.step).toFixed(1)},${y(valueOf(p, k)).toFixed(1)}`).join(' ')}"/>`);
  const legend = keys.map((k, i) => `<text x="${W - R + 10}" y="${T + 20 + i * 18}" fill="${METRIC_COLOURS[k]}" font-size="12">${METRIC_NAMES[k]}</text>`);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${L - 8}" y="${y(f) + 4}" font-size="11" text-anchor="end">${f.toFixed(2)}</text>`);
  const xticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${x(f * maxStep)}" y="${H - B + 18}" font-size="11" text-anchor="middle">${Math.round(f * maxStep)}</text>`);
  const sel = selectedStep === null ? '' : `<line x1="${x(selectedStep)}" y1="${T}" x2="${x(selectedStep)}" y2="${H - B}" stroke="#555" stroke-dasharray="4 3"/><text x="${x(selectedStep) + 4}" y="${T + 12}" font-size="11">selected: step ${selectedStep}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${L}" y="24" font-size="14">${title}</text>
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>
${ticks.join('\n')}
${xticks.join('\n')}
<text x="${(L + W - R) / 2}" y="${H - 12}" font-size="12" text-anchor="middle">step (validation split)</text>
${sel}
${lines.join('\n')}
${legend.join('\n')}
</svg>
`;
}

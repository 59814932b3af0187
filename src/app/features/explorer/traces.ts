// Plotly trace builders for the explorer map (pure data, no DOM): one WebGL trace per colour category
// (so the legend toggles categories), symbols by modality, a faded trace for points a filter hides, and
// small overlay traces for the selected point, its neighbour lines and a text query.
import type { ExplorerPoints } from '../../state';
import { POINT_KINDS } from '../../state';
import type { Colouring } from './colors';

export const SYMBOLS: Record<string, string> = { ecg: 'circle', cxr: 'square', text: 'diamond' };
export const FILTERED_OUT = 'filtered out';

export interface MapData {
  points: ExplorerPoints;
  /** [n, dims] */
  coords: Float32Array;
  dims: 2 | 3;
}

export function markerSize(n: number, dims: 2 | 3): number {
  const base = n > 50_000 ? 2.5 : n > 10_000 ? 3.5 : n > 2_000 ? 5 : 7;
  return dims === 3 ? Math.max(1.5, base * 0.6) : base;
}

function coordsOf(m: MapData, rows: number[]) {
  const axes = ['x', 'y', 'z'].slice(0, m.dims);
  const out: Record<string, Float32Array> = {};
  axes.forEach((axis, a) => {
    out[axis] = Float32Array.from(rows, (i) => m.coords[i * m.dims + a]);
  });
  return out;
}

function baseTrace(m: MapData, rows: number[], name: string, marker: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type: m.dims === 3 ? 'scatter3d' : 'scattergl',
    mode: 'markers',
    name: `${name} (${rows.length})`,
    ...coordsOf(m, rows),
    customdata: rows,
    hoverinfo: 'none',
    marker: {
      size: markerSize(m.points.n, m.dims),
      symbol: rows.map((i) => SYMBOLS[POINT_KINDS[m.points.kind[i]]] ?? 'circle'),
      ...marker,
    },
    ...extra,
  };
}

/**
 * The point traces: every point appears in exactly one trace; customdata holds its row index.
 * mask (from a filter): points with 0 go to a faded "filtered out" trace.
 */
export function pointTraces(m: MapData, colouring: Colouring, mask: Uint8Array | null): object[] {
  const n = m.points.n;
  const traces: object[] = [];
  const hidden: number[] = [];
  const visible = (i: number) => !mask || mask[i] === 1;
  if (colouring.kind === 'category') {
    const groups = colouring.categories.map(() => [] as number[]);
    for (let i = 0; i < n; i++) (visible(i) ? groups[colouring.codes[i]] : hidden).push(i);
    groups.forEach((rows, c) => {
      if (rows.length) traces.push(baseTrace(m, rows, colouring.categories[c], { color: colouring.colours[c], opacity: 0.85 }));
    });
  } else {
    const groups = POINT_KINDS.map(() => [] as number[]);
    for (let i = 0; i < n; i++) (visible(i) ? groups[m.points.kind[i]] : hidden).push(i);
    let first = true;
    groups.forEach((rows, k) => {
      if (!rows.length) return;
      traces.push(
        baseTrace(m, rows, POINT_KINDS[k], {
          color: Float32Array.from(rows, (i) => colouring.values[i]),
          colorscale: 'Viridis',
          cmin: colouring.min,
          cmax: colouring.max,
          showscale: first,
          opacity: 0.85,
        }),
      );
      first = false;
    });
  }
  if (hidden.length) traces.push(baseTrace(m, hidden, FILTERED_OUT, { color: '#c4c7cc', opacity: 0.2 }));
  return traces;
}

export interface Overlay {
  selected: number | null;
  /** Neighbour rows of the selected point (all modalities). */
  neighbours: number[];
  /** Query position on the map and its nearest rows. */
  query: { position: number[]; neighbours: number[]; label: string } | null;
}

/** Lines from the selected point to its neighbours, ring markers, and the query point. */
export function overlayTraces(m: MapData, o: Overlay): object[] {
  const type = m.dims === 3 ? 'scatter3d' : 'scattergl';
  const axes = ['x', 'y', 'z'].slice(0, m.dims);
  const at = (i: number, a: number) => m.coords[i * m.dims + a];
  const traces: object[] = [];
  const line = (from: number[], to: number[][], name: string, colour: string) => {
    const cols: Record<string, (number | null)[]> = Object.fromEntries(axes.map((x) => [x, []]));
    for (const t of to) axes.forEach((x, a) => cols[x].push(from[a], t[a], null));
    traces.push({ type, mode: 'lines', name, ...cols, line: { color: colour, width: 1.5 }, hoverinfo: 'skip', showlegend: false });
  };
  const rings = (rows: number[], name: string, colour: string, size: number) => {
    traces.push({
      type,
      mode: 'markers',
      name,
      ...Object.fromEntries(axes.map((x, a) => [x, rows.map((i) => at(i, a))])),
      customdata: rows,
      marker: { symbol: 'circle-open', size, color: colour, line: { width: 2, color: colour } },
      hoverinfo: 'none',
      showlegend: false,
    });
  };
  if (o.selected !== null && o.selected < m.points.n) {
    const s = axes.map((_, a) => at(o.selected!, a));
    const nb = o.neighbours.filter((i) => i < m.points.n);
    line(s, nb.map((i) => axes.map((_, a) => at(i, a))), 'neighbour links', '#222');
    rings(nb, 'neighbours', '#222', m.dims === 3 ? 6 : 11);
    rings([o.selected], 'selected', '#000', m.dims === 3 ? 9 : 16);
  }
  if (o.query) {
    const q = o.query.position;
    const nb = o.query.neighbours.filter((i) => i < m.points.n);
    line(q, nb.map((i) => axes.map((_, a) => at(i, a))), 'query links', '#d35400');
    rings(nb, 'query neighbours', '#d35400', m.dims === 3 ? 6 : 11);
    traces.push({
      type,
      mode: 'markers+text',
      name: 'text query',
      ...Object.fromEntries(axes.map((x, a) => [x, [q[a]]])),
      text: [o.query.label.length > 40 ? `${o.query.label.slice(0, 37)}…` : o.query.label],
      textposition: 'top center',
      marker: { symbol: m.dims === 3 ? 'diamond' : 'star', size: m.dims === 3 ? 8 : 18, color: '#d35400', line: { width: 1, color: '#000' } },
      hoverinfo: 'none',
      showlegend: true,
    });
  }
  return traces;
}

/** Number of points drawn in the given traces (customdata of the point traces). */
export const countPoints = (traces: object[]): number =>
  traces.reduce<number>((s, t) => s + (((t as { customdata?: unknown[] }).customdata?.length ?? 0) as number), 0);

/**
 * The 2-D overlay as layout shapes and annotations instead of traces: changing them is a relayout, so a
 * click or a query does not make Plotly recompute the 100k-point traces.
 */
export function overlayShapes(m: MapData, o: Overlay): { shapes: object[]; annotations: object[] } {
  const at = (i: number): [number, number] => [m.coords[i * m.dims], m.coords[i * m.dims + 1]];
  const shapes: object[] = [];
  const annotations: object[] = [];
  const line = (from: [number, number], to: [number, number], colour: string) =>
    shapes.push({ type: 'line', x0: from[0], y0: from[1], x1: to[0], y1: to[1], line: { color: colour, width: 1.5 }, layer: 'above' });
  const ring = (p: [number, number], r: number, colour: string, fill = 'rgba(0,0,0,0)') =>
    shapes.push({
      type: 'circle', xsizemode: 'pixel', ysizemode: 'pixel', xanchor: p[0], yanchor: p[1],
      x0: -r, x1: r, y0: -r, y1: r, line: { color: colour, width: 2 }, fillcolor: fill, layer: 'above',
    });
  if (o.selected !== null && o.selected < m.points.n) {
    const s = at(o.selected);
    for (const i of o.neighbours) if (i < m.points.n) line(s, at(i), '#222');
    for (const i of o.neighbours) if (i < m.points.n) ring(at(i), 5, '#222');
    ring(s, 8, '#000');
  }
  if (o.query) {
    const q: [number, number] = [o.query.position[0], o.query.position[1]];
    for (const i of o.query.neighbours) if (i < m.points.n) line(q, at(i), '#d35400');
    for (const i of o.query.neighbours) if (i < m.points.n) ring(at(i), 5, '#d35400');
    ring(q, 7, '#000', '#d35400');
    const label = o.query.label.length > 40 ? `${o.query.label.slice(0, 37)}…` : o.query.label;
    annotations.push({ x: q[0], y: q[1], text: `★ ${label}`, showarrow: false, yshift: 16, font: { color: '#d35400', size: 12 }, bgcolor: 'rgba(255,255,255,0.8)' });
  }
  return { shapes, annotations };
}

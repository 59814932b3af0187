import { describe, expect, it } from 'vitest';
import type { ExplorerPoints } from '../../state';
import { colourBy, filterMask, MISSING, OTHER } from './colors';
import { countPoints, FILTERED_OUT, overlayTraces, pointTraces } from './traces';

function points(n: number): ExplorerPoints {
  const kinds = Uint8Array.from({ length: n }, (_, i) => i % 3);
  return {
    version: 'v', itemSetHash: 'h', n, embedDim: 4,
    ids: Array.from({ length: n }, (_, i) => `ds/p${i}`),
    kind: kinds,
    dataset: Array.from({ length: n }, (_, i) => (i < n / 2 ? 'a' : 'b')),
    labels: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? [] : [`L${i % 4}`])),
    text: Array.from({ length: n }, (_, i) => (i === 7 ? 'Pleural Effusion' : 'normal')),
    sourceName: Array.from({ length: n }, (_, i) => `p${i}`),
    split: new Array(n).fill('test'),
    count: new Uint32Array(n).fill(1),
    meta: { age: Array.from({ length: n }, (_, i) => (i === 3 ? null : 20 + i)), sex: Array.from({ length: n }, (_, i) => (i % 2 ? 'F' : 'M')) },
    orphans: 0,
  };
}

describe('colourBy', () => {
  it('gives every point a category; missing values get their own grey group', () => {
    const p = points(30);
    const c = colourBy(p, 'label');
    if (c.kind !== 'category') throw new Error('expected categories');
    expect(c.categories).toContain(MISSING);
    expect(c.codes[0]).toBe(c.categories.indexOf(MISSING));
    expect(c.categories[c.codes[1]]).toBe('L1');
    expect(new Set(c.colours.slice(0, -1)).size).toBe(c.categories.length - 1);
  });
  it('keeps the most frequent categories and folds the rest into "other"', () => {
    const p = points(30);
    p.meta.id = p.ids.map((s, i) => (i < 10 ? 'common' : s));
    const c = colourBy(p, 'meta:id', 5);
    if (c.kind !== 'category') throw new Error('expected categories');
    expect(c.categories).toEqual(['common', 'ds/p10', 'ds/p11', 'ds/p12', OTHER]);
    expect(c.categories[c.codes[29]]).toBe(OTHER);
  });
  it('uses a numeric scale for a numeric column with many values', () => {
    const c = colourBy(points(30), 'meta:age', 10);
    expect(c.kind).toBe('numeric');
    if (c.kind === 'numeric') {
      expect([c.min, c.max]).toEqual([20, 49]);
      expect(Number.isNaN(c.values[3])).toBe(true);
    }
  });
});

describe('pointTraces', () => {
  const coords = Float32Array.from({ length: 30 * 2 }, (_, i) => i);
  it('draws every point exactly once, in WebGL traces, with its row in customdata', () => {
    const p = points(30);
    for (const col of ['modality', 'label', 'meta:age'] as const) {
      const traces = pointTraces({ points: p, coords, dims: 2 }, colourBy(p, col, 10), null);
      expect(countPoints(traces)).toBe(30);
      const rows = traces.flatMap((t) => (t as { customdata: number[] }).customdata).sort((a, b) => a - b);
      expect(rows).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(traces.every((t) => (t as { type: string }).type === 'scattergl')).toBe(true);
      const t0 = traces[0] as { x: Float32Array; customdata: number[] };
      expect(t0.x[0]).toBe(coords[t0.customdata[0] * 2]);
    }
  });
  it('puts points a filter rejects into one faded trace', () => {
    const p = points(30);
    const mask = filterMask(p, 'effusion');
    expect(mask && [...mask].reduce((a, b) => a + b, 0)).toBe(1);
    const traces = pointTraces({ points: p, coords, dims: 2 }, colourBy(p, 'modality'), mask);
    const faded = traces.find((t) => (t as { name: string }).name.startsWith(FILTERED_OUT)) as { customdata: number[] };
    expect(faded.customdata.length).toBe(29);
    expect(countPoints(traces)).toBe(30);
  });
  it('3-D traces are scatter3d with z', () => {
    const p = points(9);
    const c3 = Float32Array.from({ length: 27 }, (_, i) => i);
    const t = pointTraces({ points: p, coords: c3, dims: 3 }, colourBy(p, 'modality'), null)[0] as { type: string; z: Float32Array };
    expect(t.type).toBe('scatter3d');
    expect(t.z.length).toBeGreaterThan(0);
  });
});

describe('overlayTraces', () => {
  it('draws one line segment per neighbour from the selected point', () => {
    const p = points(10);
    const coords = Float32Array.from({ length: 20 }, (_, i) => i);
    const t = overlayTraces({ points: p, coords, dims: 2 }, { selected: 2, neighbours: [5, 7], query: null });
    const lines = t[0] as { x: (number | null)[]; y: (number | null)[] };
    expect(lines.x).toEqual([4, 10, null, 4, 14, null]);
    expect(lines.y).toEqual([5, 11, null, 5, 15, null]);
    const q = overlayTraces({ points: p, coords, dims: 2 }, { selected: null, neighbours: [], query: { position: [1, 2], neighbours: [0], label: 'q' } });
    expect(q.some((tr) => (tr as { name: string }).name === 'text query')).toBe(true);
  });
});

describe('overlayShapes', () => {
  it('draws the 2-D overlay as shapes: one line and one ring per neighbour, a ring for the point, a label for the query', async () => {
    const { overlayShapes } = await import('./traces');
    const p = points(10);
    const coords = Float32Array.from({ length: 20 }, (_, i) => i);
    const o = overlayShapes({ points: p, coords, dims: 2 }, { selected: 2, neighbours: [5, 7], query: { position: [1, 2], neighbours: [0], label: 'q' } });
    const lines = o.shapes.filter((s) => (s as { type: string }).type === 'line') as { x0: number; y0: number; x1: number; y1: number }[];
    expect(lines.slice(0, 2).map((l) => [l.x0, l.y0, l.x1, l.y1])).toEqual([[4, 5, 10, 11], [4, 5, 14, 15]]);
    expect(lines[2]).toMatchObject({ x0: 1, y0: 2, x1: 0, y1: 1 });
    expect(o.shapes.filter((s) => (s as { type: string }).type === 'circle').length).toBe(2 + 1 + 1 + 1);
    expect(o.annotations.length).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import {
  MM_PER_MV,
  MM_PER_SEC,
  calibrationPulse,
  findLead,
  fitPxPerMm,
  gridLines,
  gridSpec,
  hasSignal,
  joinPolylines,
  layoutSegments,
  plotAreaPx,
  rowBaselineMm,
  segmentPolyline,
  sheetGeometry,
} from './ecgLayout';

const LEADS = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

describe('sheet geometry', () => {
  it('is 10 s wide at 25 mm/s plus the calibration margin, 4 rows high', () => {
    const g = sheetGeometry(30);
    expect(g.traceWidthMm).toBe(250);
    expect(g.widthMm).toBe(260);
    expect(g.heightMm).toBe(130);
    expect(rowBaselineMm(g, 0)).toBe(105);
    expect(rowBaselineMm(g, 3)).toBe(15);
  });

  it('uses one pixel scale for both axes', () => {
    const g = sheetGeometry();
    const { widthPx, heightPx } = plotAreaPx(g, 4);
    expect(widthPx / g.widthMm).toBeCloseTo(heightPx / g.heightMm, 6);
    const s = fitPxPerMm(g, 1000, 1000);
    expect(s).toBeCloseTo(1000 / 260, 6);
    expect(fitPxPerMm(g, 10, 10, 1.5)).toBe(1.5);
  });
});

describe('layoutSegments', () => {
  it('places the 3x4 leads in 2.5 s columns and a 10 s lead II rhythm strip', () => {
    const g = sheetGeometry();
    const segs = layoutSegments(LEADS, 500, 5000, g);
    expect(segs).toHaveLength(13);
    const v4 = segs.find((s) => s.lead === 'V4')!;
    expect(v4.leadIndex).toBe(9);
    expect(v4.col).toBe(3);
    expect(v4.row).toBe(0);
    expect(v4.startSample).toBe(3750);
    expect(v4.endSample).toBe(5000);
    expect(v4.x0Mm).toBe(10 + 7.5 * MM_PER_SEC);
    const avr = segs.find((s) => s.lead === 'aVR')!;
    expect(avr.leadIndex).toBe(3); // case-insensitive match of "AVR"
    const rhythm = segs[12];
    expect(rhythm.lead).toBe('II');
    expect(rhythm.startSample).toBe(0);
    expect(rhythm.endSample).toBe(5000);
    expect(rhythm.row).toBe(3);
  });

  it('clips to short recordings and marks missing leads', () => {
    const segs = layoutSegments(['I', 'II'], 100, 600, sheetGeometry());
    const v1 = segs.find((s) => s.lead === 'V1')!;
    expect(v1.leadIndex).toBe(-1);
    expect(v1.startSample).toBe(500);
    expect(v1.endSample).toBe(600);
    const v4 = segs.find((s) => s.lead === 'V4')!;
    expect(v4.endSample - v4.startSample).toBe(0);
    expect(findLead(['i', 'ii'], 'II')).toBe(1);
  });
});

describe('segmentPolyline', () => {
  const g = sheetGeometry();
  it('maps seconds to 25 mm and millivolts to 10 mm', () => {
    const sig = new Float32Array(1000);
    sig[300] = 1.5;
    const seg = layoutSegments(LEADS, 100, 1000, g).find((s) => s.lead === 'aVR')!; // samples 250..500
    const p = segmentPolyline(sig, seg, 100);
    expect(p.x).toHaveLength(250);
    const k = 300 - 250;
    expect(p.x[k]).toBeCloseTo(seg.x0Mm + 0.5 * MM_PER_SEC, 6);
    expect(p.y[k]).toBeCloseTo(seg.baselineMm + 1.5 * MM_PER_MV, 5);
    expect(p.y[0]).toBe(seg.baselineMm);
  });

  it('detects leads without any finite sample', () => {
    const sig = new Float32Array(10).fill(NaN);
    expect(hasSignal(sig, 0, 10)).toBe(false);
    sig[7] = 0;
    expect(hasSignal(sig, 0, 10)).toBe(true);
    expect(hasSignal(sig, 0, 7)).toBe(false);
    expect(hasSignal(undefined, 0, 10)).toBe(false);
  });

  it('turns NaN into gaps', () => {
    const sig = new Float32Array(1000).fill(NaN);
    const seg = layoutSegments(LEADS, 100, 1000, g)[0];
    const p = segmentPolyline(sig, seg, 100);
    expect(p.y.every((v) => v === null)).toBe(true);
  });

  it('keeps extremes when reducing with min/max buckets', () => {
    const sig = new Float32Array(5000);
    for (let i = 0; i < sig.length; i++) sig[i] = Math.sin(i / 7) * 0.1;
    sig[1234] = 2.2; // an R peak
    sig[4321] = -1.7;
    const rhythm = layoutSegments(LEADS, 500, 5000, g)[12];
    const p = segmentPolyline(sig, rhythm, 500, 400);
    expect(p.x.length).toBeLessThanOrEqual(400);
    const ys = p.y.filter((v): v is number => v !== null);
    expect(Math.max(...ys)).toBeCloseTo(rhythm.baselineMm + 22, 4);
    expect(Math.min(...ys)).toBeCloseTo(rhythm.baselineMm - 17, 4);
    for (let i = 1; i < p.x.length; i++) expect(p.x[i]).toBeGreaterThan(p.x[i - 1]);
  });
});

describe('calibration, joins and grid', () => {
  it('draws a 10 mm high, 5 mm wide pulse', () => {
    const c = calibrationPulse(50, 1);
    expect(Math.max(...(c.y as number[])) - 50).toBe(10);
    expect(c.x[3] - c.x[2]).toBe(5);
  });

  it('separates parts with null', () => {
    const j = joinPolylines([{ x: [0, 1], y: [0, 1] }, { x: [], y: [] }, { x: [5], y: [2] }]);
    expect(j.y).toEqual([0, 1, null, 2]);
    expect(j.x).toHaveLength(4);
  });

  it('lists grid lines and hides minor lines when too dense', () => {
    expect(gridLines(10, 5)).toEqual([0, 5, 10]);
    expect(gridLines(260, 1)).toHaveLength(261);
    expect(gridSpec(1.5).showMinor).toBe(false);
    expect(gridSpec(4).showMinor).toBe(true);
  });
});

describe('leads without a grid place', () => {
  it('get one 10 s strip each below the rhythm strip, under their own names', async () => {
    const { extraLeadNames, layoutSegments, sheetGeometry } = await import('./ecgLayout');
    const names = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'MCL1', 'V'];
    expect(extraLeadNames(names)).toEqual(['MCL1', 'V']);
    const geom = sheetGeometry(30, 10, 2);
    expect(geom.nRows).toBe(6);
    const segs = layoutSegments(names, 125, 1250, geom);
    const extra = segs.filter((s) => s.row >= 4);
    expect(extra.map((s) => [s.lead, s.leadIndex, s.row, s.endSample])).toEqual([
      ['MCL1', 12, 4, 1250],
      ['V', 13, 5, 1250],
    ]);
    // Without rows for them (the standard sheet) nothing is added.
    expect(layoutSegments(names, 125, 1250, sheetGeometry()).length).toBe(13);
  });
});

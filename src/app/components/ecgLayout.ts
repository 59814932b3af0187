// Pure geometry of a 12-lead ECG sheet drawn to the clinical convention (25 mm/s, 10 mm/mV):
// which samples of which lead go where on the sheet, millimetre <-> pixel scaling, and the grid.
// Kept free of DOM and Plotly so the maths can be unit-tested.

export const MM_PER_SEC = 25;
export const MM_PER_MV = 10;
/** Standard 3x4 layout: rows top to bottom, columns left to right; each column shows 2.5 s. */
export const STANDARD_GRID: readonly (readonly string[])[] = [
  ['I', 'aVR', 'V1', 'V4'],
  ['II', 'aVL', 'V2', 'V5'],
  ['III', 'aVF', 'V3', 'V6'],
];
export const RHYTHM_LEAD = 'II';
export const COLUMN_SEC = 2.5;
export const SHEET_SEC = 10;
/** Minor and major grid spacing on real ECG paper. */
export const MINOR_GRID_MM = 1;
export const MAJOR_GRID_MM = 5;

export interface SheetGeometry {
  /** Space on the left for the 1 mV calibration pulse. */
  calMarginMm: number;
  /** Width of the traces: SHEET_SEC * MM_PER_SEC. */
  traceWidthMm: number;
  widthMm: number;
  rowPitchMm: number;
  nRows: number;
  /** Headroom above the top row so tall R waves are not clipped. */
  topPadMm: number;
  heightMm: number;
}

/** Leads of a record that have no place in the 3x4 grid (MCL1, V, "ECG 1"...): each gets a 10 s strip below. */
export function extraLeadNames(leadNames: readonly string[]): string[] {
  const standard = new Set(STANDARD_GRID.flat().map((l) => l.toLowerCase()));
  return leadNames.filter((n) => !standard.has(n.trim().toLowerCase()));
}

/**
 * 3 lead rows + 1 rhythm strip (+ one strip per extra lead); rowPitchMm 30 = 3 mV per row, plus 10 mm
 * (1 mV) of headroom on top.
 */
export function sheetGeometry(rowPitchMm = 30, topPadMm = 10, extraRows = 0): SheetGeometry {
  const calMarginMm = 10;
  const traceWidthMm = SHEET_SEC * MM_PER_SEC;
  const nRows = STANDARD_GRID.length + 1 + extraRows;
  return {
    calMarginMm,
    traceWidthMm,
    widthMm: calMarginMm + traceWidthMm,
    rowPitchMm,
    nRows,
    topPadMm,
    heightMm: nRows * rowPitchMm + topPadMm,
  };
}

/** Baseline (0 mV) height of a row, y measured upwards from the sheet's bottom edge; row 0 is the top row. */
export function rowBaselineMm(geom: SheetGeometry, row: number): number {
  return (geom.nRows - row - 0.5) * geom.rowPitchMm;
}

/** True when the samples [start, end) hold at least one finite value (a missing lead is all NaN). */
export function hasSignal(signalMv: Float32Array | undefined, start: number, end: number): boolean {
  if (!signalMv) return false;
  for (let i = start; i < Math.min(end, signalMv.length); i++) if (Number.isFinite(signalMv[i])) return true;
  return false;
}

export interface Segment {
  lead: string;
  /** Index into the record's leads, or -1 when the record lacks this lead. */
  leadIndex: number;
  row: number;
  col: number;
  /** Sample range [startSample, endSample) of the recording shown in this segment. */
  startSample: number;
  endSample: number;
  /** Sheet x (mm) of startSample. */
  x0Mm: number;
  baselineMm: number;
}

/** Finds a lead by name, ignoring case ("AVR" matches "aVR"). */
export function findLead(leadNames: readonly string[], name: string): number {
  const want = name.toLowerCase();
  return leadNames.findIndex((n) => n.trim().toLowerCase() === want);
}

/**
 * Places the 12 leads in the 3x4 layout (lead in column c shows seconds [2.5c, 2.5c + 2.5) of the same
 * simultaneous recording) and the lead II rhythm strip (0-10 s) underneath, then a 10 s strip for each
 * lead without a grid place when the geometry has rows for them.
 */
export function layoutSegments(
  leadNames: readonly string[],
  fsHz: number,
  nSamples: number,
  geom: SheetGeometry,
): Segment[] {
  const segments: Segment[] = [];
  const sampleAt = (sec: number) => Math.max(0, Math.min(nSamples, Math.round(sec * fsHz)));
  STANDARD_GRID.forEach((rowLeads, row) => {
    rowLeads.forEach((lead, col) => {
      const t0 = col * COLUMN_SEC;
      segments.push({
        lead,
        leadIndex: findLead(leadNames, lead),
        row,
        col,
        startSample: sampleAt(t0),
        endSample: sampleAt(t0 + COLUMN_SEC),
        x0Mm: geom.calMarginMm + t0 * MM_PER_SEC,
        baselineMm: rowBaselineMm(geom, row),
      });
    });
  });
  segments.push({
    lead: RHYTHM_LEAD,
    leadIndex: findLead(leadNames, RHYTHM_LEAD),
    row: STANDARD_GRID.length,
    col: 0,
    startSample: 0,
    endSample: sampleAt(SHEET_SEC),
    x0Mm: geom.calMarginMm,
    baselineMm: rowBaselineMm(geom, STANDARD_GRID.length),
  });
  extraLeadNames(leadNames).forEach((lead, k) => {
    const row = STANDARD_GRID.length + 1 + k;
    if (row >= geom.nRows) return;
    segments.push({
      lead,
      leadIndex: leadNames.indexOf(lead),
      row,
      col: 0,
      startSample: 0,
      endSample: sampleAt(SHEET_SEC),
      x0Mm: geom.calMarginMm,
      baselineMm: rowBaselineMm(geom, row),
    });
  });
  return segments;
}

export interface Polyline {
  x: number[];
  /** null breaks the line (missing samples or a gap between segments). */
  y: (number | null)[];
}

/**
 * Sheet coordinates (mm) of one segment's samples. When the segment holds more than maxPoints samples it is
 * reduced by min/max per bucket, which keeps every QRS peak visible. NaN samples become gaps.
 */
export function segmentPolyline(signalMv: Float32Array, seg: Segment, fsHz: number, maxPoints = Infinity): Polyline {
  const out: Polyline = { x: [], y: [] };
  const n = seg.endSample - seg.startSample;
  if (n <= 0) return out;
  const push = (i: number) => {
    const v = signalMv[i];
    out.x.push(seg.x0Mm + ((i - seg.startSample) / fsHz) * MM_PER_SEC);
    out.y.push(Number.isFinite(v) ? seg.baselineMm + v * MM_PER_MV : null);
  };
  if (n <= maxPoints) {
    for (let i = seg.startSample; i < seg.endSample; i++) push(i);
    return out;
  }
  const nBuckets = Math.max(1, Math.floor(maxPoints / 2));
  for (let b = 0; b < nBuckets; b++) {
    const lo = seg.startSample + Math.floor((b * n) / nBuckets);
    const hi = seg.startSample + Math.floor(((b + 1) * n) / nBuckets);
    let iMin = -1;
    let iMax = -1;
    for (let i = lo; i < hi; i++) {
      const v = signalMv[i];
      if (!Number.isFinite(v)) continue;
      if (iMin < 0 || v < signalMv[iMin]) iMin = i;
      if (iMax < 0 || v > signalMv[iMax]) iMax = i;
    }
    if (iMin < 0) {
      push(lo); // all NaN: one gap point
      continue;
    }
    if (iMin === iMax) push(iMin);
    else if (iMin < iMax) {
      push(iMin);
      push(iMax);
    } else {
      push(iMax);
      push(iMin);
    }
  }
  return out;
}

/** The standard 1 mV, 0.2 s calibration pulse drawn in the left margin of a row. */
export function calibrationPulse(baselineMm: number, x0Mm = 1): Polyline {
  const up = baselineMm + 1 * MM_PER_MV;
  const widthMm = 0.2 * MM_PER_SEC;
  const x1 = x0Mm + 2;
  return {
    x: [x0Mm, x1, x1, x1 + widthMm, x1 + widthMm, x1 + widthMm + 2],
    y: [baselineMm, baselineMm, up, up, baselineMm, baselineMm],
  };
}

/** Joins polylines into one, with a null between parts so Plotly draws them as separate strokes. */
export function joinPolylines(parts: Polyline[]): Polyline {
  const out: Polyline = { x: [], y: [] };
  for (const p of parts) {
    if (p.x.length === 0) continue;
    if (out.x.length > 0) {
      out.x.push(p.x[0]);
      out.y.push(null);
    }
    out.x.push(...p.x);
    out.y.push(...p.y);
  }
  return out;
}

export const mmToPx = (mm: number, pxPerMm: number) => mm * pxPerMm;
export const pxToMm = (px: number, pxPerMm: number) => px / pxPerMm;

/** Plot area size in pixels for one mm scale shared by both axes. */
export function plotAreaPx(geom: SheetGeometry, pxPerMm: number): { widthPx: number; heightPx: number } {
  return { widthPx: Math.round(geom.widthMm * pxPerMm), heightPx: Math.round(geom.heightMm * pxPerMm) };
}

/** Largest px-per-mm scale that fits the sheet in a box (never below minPxPerMm). */
export function fitPxPerMm(geom: SheetGeometry, boxWidthPx: number, boxHeightPx: number, minPxPerMm = 1): number {
  return Math.max(minPxPerMm, Math.min(boxWidthPx / geom.widthMm, boxHeightPx / geom.heightMm));
}

/** Grid line positions 0, step, 2*step... up to extentMm inclusive. */
export function gridLines(extentMm: number, stepMm: number): number[] {
  const out: number[] = [];
  const n = Math.floor(extentMm / stepMm + 1e-9);
  for (let i = 0; i <= n; i++) out.push(i * stepMm);
  return out;
}

/** Minor 1 mm lines only where they are at least 2 px apart; major 5 mm lines always. */
export function gridSpec(pxPerMm: number): { minorMm: number; majorMm: number; showMinor: boolean } {
  return { minorMm: MINOR_GRID_MM, majorMm: MAJOR_GRID_MM, showMinor: pxPerMm * MINOR_GRID_MM >= 2 };
}

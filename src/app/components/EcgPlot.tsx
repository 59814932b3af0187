// A 12-lead ECG drawn as on paper: 25 mm/s, 10 mm/mV, pink millimetre grid with darker 5 mm lines, 3x4 leads
// plus a lead II rhythm strip and a 1 mV calibration pulse per row. Both axes are in millimetres and share one
// pixel scale. Compact mode is a static thumbnail for result cards; full mode allows box and wheel zoom.
import { useEffect, useRef, useState } from 'react';
import type { EcgForPlot } from '../../workers/api';
import {
  calibrationPulse,
  extraLeadNames,
  fitPxPerMm,
  gridSpec,
  hasSignal,
  joinPolylines,
  layoutSegments,
  plotAreaPx,
  rowBaselineMm,
  segmentPolyline,
  sheetGeometry,
  type Polyline,
  type SheetGeometry,
} from './ecgLayout';
import { loadPlotly } from './plotly';

const PAPER = '#fff7f8';
const MINOR = '#f7cdd3';
const MAJOR = '#e48d9b';
const INK = '#1b1b1f';

interface Props {
  ecg: EcgForPlot;
  mode: 'compact' | 'full';
  /** Upper bound on the plot height in px (full mode fits the sheet into width x maxHeightPx). */
  maxHeightPx?: number;
}

function buildFigure(ecg: EcgForPlot, geom: SheetGeometry, pxPerMm: number, mode: Props['mode']) {
  const nSamples = ecg.leadsMv.reduce((m, l) => Math.max(m, l.length), 0);
  const segments = layoutSegments(ecg.leadNames, ecg.fsHz, nSamples, geom);
  // about two points per pixel column is all a screen can show; full mode keeps every sample for zooming
  const maxPoints = mode === 'compact' ? Math.max(50, Math.round(2.5 * 25 * pxPerMm * 2)) : Infinity;
  const signal = joinPolylines(
    segments.map((s) =>
      s.leadIndex >= 0 ? segmentPolyline(ecg.leadsMv[s.leadIndex], s, ecg.fsHz, maxPoints) : { x: [], y: [] },
    ),
  );
  const marks: Polyline[] = [];
  for (let row = 0; row < geom.nRows; row++) marks.push(calibrationPulse(rowBaselineMm(geom, row), 1));
  for (const s of segments) {
    if (s.col > 0) marks.push({ x: [s.x0Mm, s.x0Mm], y: [s.baselineMm - 3, s.baselineMm + 3] });
  }
  const calib = joinPolylines(marks);
  const line = (p: Polyline, width: number) => ({
    type: 'scatter',
    mode: 'lines',
    x: p.x,
    y: p.y,
    line: { color: INK, width },
    hoverinfo: 'skip',
    connectgaps: false,
  });
  const labelSize = mode === 'compact' ? 9 : 13;
  const present = segments.map((s) => s.leadIndex >= 0 && hasSignal(ecg.leadsMv[s.leadIndex], 0, nSamples));
  const annotations = segments.map((s, i) => ({
    x: s.x0Mm + 1.5,
    y: s.baselineMm + geom.rowPitchMm * 0.33,
    xanchor: 'left',
    yanchor: 'middle',
    text: present[i] ? s.lead : `${s.lead} (missing)`,
    showarrow: false,
    font: { size: labelSize, color: present[i] ? INK : '#9a3b48' },
  }));
  const grid = gridSpec(pxPerMm);
  const axis = (rangeMm: number) => ({
    range: [0, rangeMm],
    tick0: 0,
    dtick: grid.majorMm,
    showgrid: true,
    gridcolor: MAJOR,
    gridwidth: mode === 'compact' ? 0.6 : 1,
    minor: { dtick: grid.minorMm, showgrid: grid.showMinor, gridcolor: MINOR, gridwidth: 0.5 },
    showticklabels: false,
    ticks: '',
    zeroline: false,
    showline: true,
    mirror: true,
    linecolor: MAJOR,
    fixedrange: mode === 'compact',
  });
  const { widthPx, heightPx } = plotAreaPx(geom, pxPerMm);
  const layout = {
    width: widthPx,
    height: heightPx,
    margin: { l: 0, r: 0, t: 0, b: 0, pad: 0 },
    paper_bgcolor: PAPER,
    plot_bgcolor: PAPER,
    showlegend: false,
    dragmode: mode === 'full' ? 'zoom' : false,
    xaxis: axis(geom.widthMm),
    yaxis: { ...axis(geom.heightMm), scaleanchor: 'x', scaleratio: 1 },
    annotations,
  };
  const config =
    mode === 'compact'
      ? { staticPlot: true, responsive: false }
      : {
          displaylogo: false,
          scrollZoom: true,
          responsive: false,
          doubleClick: 'reset',
          modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d', 'toImage'],
        };
  return { data: [line(signal, mode === 'compact' ? 0.8 : 1.1), line(calib, mode === 'compact' ? 0.8 : 1.2)], layout, config };
}

export function EcgPlot({ ecg, mode, maxHeightPx }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<HTMLDivElement>(null);
  const [widthPx, setWidthPx] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  const geom = sheetGeometry(30, 10, extraLeadNames(ecg.leadNames).length);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidthPx(el.clientWidth);
    const ro = new ResizeObserver(() => setWidthPx((w) => (Math.abs(w - el.clientWidth) > 8 ? el.clientWidth : w)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const pxPerMm = widthPx > 0 ? fitPxPerMm(geom, widthPx, maxHeightPx ?? Infinity, mode === 'full' ? 2 : 0.8) : 0;

  useEffect(() => {
    const el = plot.current;
    if (!el || pxPerMm <= 0) return;
    let live = true;
    loadPlotly()
      .then((Plotly) => {
        if (!live) return;
        const fig = buildFigure(ecg, geom, pxPerMm, mode);
        return Plotly.react(el, fig.data, fig.layout, fig.config);
      })
      .catch((e) => live && setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
    // geom is constant for a render; the figure depends on the data, scale and mode
  // eslint-disable-next-line react-hooks/exhaustive-deps -- existing dependency list kept as is; to be revisited with the app-state rework
  }, [ecg, pxPerMm, mode]);

  useEffect(() => {
    const el = plot.current;
    return () => {
      if (el) void loadPlotly().then((Plotly) => Plotly.purge(el));
    };
  }, []);

  return (
    <div
      ref={box}
      className={`ecg-plot ecg-plot--${mode}`}
      data-testid="ecg-plot"
      data-px-per-mm={pxPerMm ? pxPerMm.toFixed(3) : undefined}
      aria-label={`12-lead ECG ${ecg.id}, 25 mm/s, 10 mm/mV`}
      role="img"
    >
      {failed ? <p className="error small">Could not draw the ECG: {failed}</p> : <div ref={plot} />}
    </div>
  );
}

/** The paper speed and gain, printed under a plot as on a real ECG sheet. */
export function EcgScaleNote({ fsHz }: { fsHz: number }) {
  return (
    <span className="small muted">
      25 mm/s · 10 mm/mV · {fsHz} Hz · grid 1 mm / 5 mm
    </span>
  );
}

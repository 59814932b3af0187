// The WebGL scatter (Plotly scattergl / scatter3d): draws the traces it is given, reports hover (throttled),
// click and lasso/box selections as point rows, and says how many points it drew.
import { useEffect, useRef } from 'react';
import { loadPlotly, type PlotlyStatic } from '../../components/plotly';

type PlotEl = HTMLDivElement & { on?(ev: string, cb: (e: unknown) => void): void; removeAllListeners?(ev: string): void };
interface PlotEvent {
  points?: { customdata?: unknown }[];
}

const HOVER_THROTTLE_MS = 80;

interface Props {
  traces: object[];
  /** Overlay drawn as layout shapes/annotations (2-D): updated with a cheap relayout. */
  overlay: { shapes: object[]; annotations: object[] };
  /** Data points among the traces (library points plus a query point), reported through onDrawn once drawn; null while there is no map yet. */
  pointCount: number | null;
  dims: 2 | 3;
  /** Changing it resets zoom and camera (new method or dims). */
  viewKey: string;
  onHover(row: number | null): void;
  onClick(row: number): void;
  onSelect(rows: number[] | null): void;
  onDrawn(nPoints: number | null): void;
  onError(message: string): void;
}

const rowOf = (e: unknown): number | null => {
  const c = (e as PlotEvent)?.points?.[0]?.customdata;
  return typeof c === 'number' ? c : null;
};

export function ExplorerPlot({ traces, overlay, pointCount, dims, viewKey, onHover, onClick, onSelect, onDrawn, onError }: Props) {
  const el = useRef<PlotEl | null>(null);
  const plotly = useRef<PlotlyStatic | null>(null);
  const handlers = useRef({ onHover, onClick, onSelect, onDrawn, onError });
  handlers.current = { onHover, onClick, onSelect, onDrawn, onError };
  const overlayRef = useRef(overlay);
  overlayRef.current = overlay;
  const countRef = useRef(pointCount);
  countRef.current = pointCount;
  const drawn = useRef(false); // the current traces are on screen
  const applied = useRef<Props['overlay'] | null>(null); // the overlay on screen

  useEffect(() => {
    const node = el.current;
    return () => {
      if (node && plotly.current) plotly.current.purge(node);
    };
  }, []);

  useEffect(() => {
    let live = true;
    const node = el.current;
    if (!node) return;
    const layout = {
      uirevision: viewKey,
      margin: { l: 10, r: 10, t: 10, b: 10 },
      legend: { itemsizing: 'constant', bgcolor: 'rgba(255,255,255,0.7)' },
      dragmode: dims === 2 ? 'lasso' : 'orbit',
      hovermode: 'closest',
      xaxis: { showgrid: false, zeroline: false, showticklabels: false },
      yaxis: { showgrid: false, zeroline: false, showticklabels: false, scaleanchor: 'x' },
      ...overlayRef.current,
      scene: { xaxis: { showticklabels: false, title: '' }, yaxis: { showticklabels: false, title: '' }, zaxis: { showticklabels: false, title: '' } },
    };
    const config = { responsive: true, displaylogo: false, scrollZoom: true };
    loadPlotly()
      .then(async (P) => {
        if (!live) return;
        const first = !plotly.current;
        plotly.current = P;
        drawn.current = false;
        const shown = overlayRef.current;
        await P.react(node, traces, layout, config);
        applied.current = shown;
        if (live && overlayRef.current !== shown) {
          // The overlay changed while the traces were drawing.
          applied.current = overlayRef.current;
          await P.relayout(node, { shapes: overlayRef.current.shapes, annotations: overlayRef.current.annotations });
        }
        if (!live) return;
        drawn.current = true;
        if (first) attach(node);
        handlers.current.onDrawn(countRef.current);
      })
      .catch((e: unknown) => handlers.current.onError(`The plot could not be drawn: ${String((e as Error)?.message ?? e)}`));
    return () => {
      live = false;
    };
  }, [traces, dims, viewKey]);

  // Overlay and count changes without touching the traces.
  useEffect(() => {
    const node = el.current;
    const P = plotly.current;
    if (!node || !P || !drawn.current) return;
    if (applied.current === overlay) {
      handlers.current.onDrawn(countRef.current); // only the count changed
      return;
    }
    applied.current = overlay;
    let live = true;
    P.relayout(node, { shapes: overlay.shapes, annotations: overlay.annotations })
      .then(() => live && handlers.current.onDrawn(countRef.current))
      .catch((e: unknown) => handlers.current.onError(`The plot could not be updated: ${String((e as Error)?.message ?? e)}`));
    return () => {
      live = false;
    };
  }, [overlay, pointCount]);

  function attach(node: PlotEl) {
    let pending: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      handlers.current.onHover(pending);
    };
    node.on?.('plotly_hover', (e) => {
      pending = rowOf(e);
      if (!timer) timer = setTimeout(flush, HOVER_THROTTLE_MS);
    });
    node.on?.('plotly_click', (e) => {
      const row = rowOf(e);
      if (row !== null) handlers.current.onClick(row);
    });
    node.on?.('plotly_selected', (e) => {
      const pts = (e as PlotEvent | undefined)?.points;
      if (!pts) return handlers.current.onSelect(null);
      const rows = pts.map((p) => p.customdata).filter((c): c is number => typeof c === 'number');
      handlers.current.onSelect([...new Set(rows)]);
    });
    node.on?.('plotly_deselect', () => handlers.current.onSelect(null));
  }

  return <div ref={el} className="explorer-plot" data-testid="explorer-plot" />;
}

// A Plotly chart for the lab pages (curves, confusion matrices); redraws with Plotly.react on change.
import { useEffect, useRef, useState } from 'react';
import { loadPlotly } from '../../components/plotly';

export function Chart({ data, layout, testId, height = 280 }: { data: object[]; layout: object; testId?: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    let live = true;
    loadPlotly()
      .then(async (Plotly) => {
        if (live) await Plotly.react(node, data, { height, margin: { l: 56, r: 16, t: 28, b: 48 }, ...layout }, { displaylogo: false, responsive: true });
      })
      .catch((e) => live && setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [data, layout, height]);
  useEffect(() => {
    const node = el.current;
    return () => {
      if (node) void loadPlotly().then((Plotly) => Plotly.purge(node));
    };
  }, []);
  return (
    <div data-testid={testId}>
      {failed ? <p className="error">Chart unavailable: {failed}</p> : null}
      <div ref={el} style={{ width: '100%', minHeight: height }} />
    </div>
  );
}

/** Confusion matrix heatmap (rows = true class, columns = predicted). */
export function ConfusionChart({ classes, confusion, title }: { classes: string[]; confusion: number[][]; title: string }) {
  const data = [
    {
      type: 'heatmap',
      z: confusion,
      x: classes,
      y: classes,
      colorscale: 'Blues',
      text: confusion.map((row) => row.map(String)),
      texttemplate: '%{text}',
      hovertemplate: 'true %{y}<br>predicted %{x}<br>%{z} items<extra></extra>',
    },
  ];
  const layout = { title: { text: title, font: { size: 13 } }, xaxis: { title: { text: 'predicted' } }, yaxis: { title: { text: 'true' }, autorange: 'reversed' } };
  return <Chart data={data} layout={layout} testId="confusion-matrix" height={Math.max(260, 60 + 42 * classes.length)} />;
}

// Finds where Plotly drew a data point (2-D cartesian traces, SVG or WebGL) so a test can click it like a user.
import type { Locator, Page } from '@playwright/test';

export interface PointOnScreen {
  x: number;
  y: number;
  trace: number;
  index: number;
}

/** Screen position of the `index`-th point of the first trace that has one (or of trace `trace`). */
export async function pointPosition(plot: Locator, index = 0, trace?: number): Promise<PointOnScreen> {
  return plot.evaluate(
    (el: any, arg: { index: number; trace: number | null }) => {
      // The Plotly graph div is the element itself or one inside it.
      const gd = el.classList.contains('js-plotly-plot') ? el : el.querySelector('.js-plotly-plot');
      if (!gd?._fullData) throw new Error('no Plotly graph drawn here');
      const full = gd._fullData as any[];
      const layout = gd._fullLayout;
      const t =
        arg.trace ??
        full.findIndex((d) => d.visible === true && (d.x?.length ?? 0) > arg.index);
      if (t < 0) throw new Error('no trace with enough points');
      const d = full[t];
      const xa = layout[(d.xaxis ?? 'x').replace('x', 'xaxis')];
      const ya = layout[(d.yaxis ?? 'y').replace('y', 'yaxis')];
      if (!xa || !ya) throw new Error(`trace ${t} is not on 2-D cartesian axes (type ${d.type})`);
      const box = gd.getBoundingClientRect();
      const at = (i: number) => ({
        x: box.left + xa._offset + xa.l2p(Number(d.x[i])),
        y: box.top + ya._offset + ya.l2p(Number(d.y[i])),
        trace: t,
        index: i,
      });
      // A user clicks a point they can see: from `index` on, the first one inside the window.
      const inView = (p: { x: number; y: number }) => p.x > 4 && p.y > 4 && p.x < window.innerWidth - 4 && p.y < window.innerHeight - 4;
      for (let i = arg.index; i < d.x.length; i++) if (inView(at(i))) return at(i);
      return at(arg.index);
    },
    { index, trace: trace ?? null },
  );
}

/** Legend entries as drawn ("ecg (155)"), in order. */
export async function legendNames(plot: Locator): Promise<string[]> {
  return plot.locator('.legendtext').allTextContents();
}

/** Moves to and clicks a data point (hover first, so Plotly's hit test has run). */
export async function clickPoint(page: Page, plot: Locator, index = 0, trace?: number): Promise<PointOnScreen> {
  await plot.scrollIntoViewIfNeeded();
  const p = await pointPosition(plot, index, trace);
  await page.mouse.move(p.x - 3, p.y - 3);
  await page.mouse.move(p.x, p.y, { steps: 3 });
  await page.mouse.click(p.x, p.y);
  return p;
}

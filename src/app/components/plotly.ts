// One lazy door to Plotly: the strict (no eval, CSP-safe) bundle is large, so it loads on first use and is
// shared by every chart in the app.

/** The parts of the Plotly API the app uses; data and layout follow Plotly's JSON schema. */
export interface PlotlyStatic {
  newPlot(el: HTMLElement, data: object[], layout?: object, config?: object): Promise<HTMLElement>;
  react(el: HTMLElement, data: object[], layout?: object, config?: object): Promise<HTMLElement>;
  relayout(el: HTMLElement, update: object): Promise<HTMLElement>;
  restyle(el: HTMLElement, update: object, traces?: number[]): Promise<HTMLElement>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): Promise<void> | void };
}

let loading: Promise<PlotlyStatic> | null = null;

export function loadPlotly(): Promise<PlotlyStatic> {
  if (!loading) {
    loading = import('plotly.js-strict-dist-min').then((m) => {
      const mod = m as unknown as { default?: PlotlyStatic } & PlotlyStatic;
      return mod.default ?? mod;
    });
    loading.catch(() => {
      loading = null; // allow a retry after a failed chunk load
    });
  }
  return loading;
}

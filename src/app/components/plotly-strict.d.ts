// Minimal typing of the CSP-safe Plotly bundle (the package ships none). Use it through ./plotly.ts.
declare module 'plotly.js-strict-dist-min' {
  const Plotly: import('./plotly').PlotlyStatic;
  export default Plotly;
}

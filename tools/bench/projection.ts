// Issue 5 benchmarks: the explorer's projections (runProjection: PCA, and UMAP with its documented fit
// cap, the rest placed next to fitted neighbours) on 10k and 100k clustered 256-d points. A UMAP run
// that outlasts its time cap is cancelled through runProjection's AbortSignal and its total is
// extrapolated from the epoch rate seen so far (labelled as an estimate).
import { performance } from 'node:perf_hooks';
import { ProjectionCancelled, runProjection, UMAP_MAX_FIT, type ProjectionRequest } from '../../src/model/projection/project';
import type { Budget } from './budget';
import { clusteredRows } from './fewshot';
import type { BenchRow } from './report';
import { fmtMs, fmtSummary, timeIt } from './timing';

interface CappedRun {
  finished: boolean;
  wallMs: number;
  cpuMs: number;
  nFit: number;
  /** phase -> ms from the start when it was first reported */
  phaseAtMs: Record<string, number>;
  /** Estimated total when cancelled inside the epoch loop. */
  estimateMs?: number;
  epochs?: { done: number; total: number };
}

/** Minimum time the epoch loop runs before a capped run is cancelled, so that its rate can be measured. */
const MIN_EPOCH_MS = 4000;

async function cappedProjection(x: Float32Array, n: number, d: number, req: ProjectionRequest, capMs: number): Promise<CappedRun> {
  const ctrl = new AbortController();
  const phaseAtMs: Record<string, number> = {};
  const epochMarks: { done: number; total: number; atMs: number }[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let nFit = 0;
  let finished = false;
  try {
    nFit = (await runProjection(x, n, d, req, (p) => {
      const at = performance.now() - t0;
      phaseAtMs[p.phase] ??= at;
      if (p.phase === 'umap epochs') epochMarks.push({ done: p.done, total: p.total, atMs: at });
      // The neighbour graph is one synchronous call; cancel only between epochs, once a rate is known.
      if (at > capMs && p.phase === 'umap epochs' && at - epochMarks[0].atMs > MIN_EPOCH_MS) ctrl.abort();
    }, ctrl.signal)).nFit;
    finished = true;
  } catch (e) {
    if (!(e instanceof ProjectionCancelled)) throw e;
  }
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const out: CappedRun = { finished, wallMs, cpuMs: (c.user + c.system) / 1000, nFit, phaseAtMs };
  if (!finished && epochMarks.length >= 2) {
    const a = epochMarks[0];
    const b = epochMarks[epochMarks.length - 1];
    const msPerEpoch = (b.atMs - a.atMs) / Math.max(1, b.done - a.done);
    out.epochs = { done: b.done, total: b.total };
    out.estimateMs = b.atMs + msPerEpoch * (b.total - b.done);
  }
  return out;
}

export async function benchProjection(o: { quick: boolean; budget: Budget; log: (m: string) => void }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const d = 256;
  const pcaCases = o.quick ? [{ n: 10_000, repeats: 1 }, { n: 100_000, repeats: 1 }] : [{ n: 10_000, repeats: 2 }, { n: 100_000, repeats: 1 }];
  const umapCases = o.quick ? [{ n: 2_000, capMs: 10_000 }] : [{ n: 10_000, capMs: 40_000 }, { n: 100_000, capMs: 40_000 }];
  const data = new Map<number, Float32Array>();
  const get = (n: number) => {
    if (!data.has(n)) data.set(n, clusteredRows(n, d, 12, 2, n).x);
    return data.get(n)!;
  };
  for (const c of pcaCases) {
    o.log(`projection: PCA ${c.n.toLocaleString('en')} points`);
    const x = get(c.n);
    const s = await timeIt(() => runProjection(x, c.n, d, { method: 'pca', dims: 2, seed: 1 }), { warmup: o.quick || c.n > 10_000 ? 0 : 1, repeats: c.repeats });
    rows.push({ issue: 5, name: `PCA to 2-D, ${c.n.toLocaleString('en')} x ${d} points (runProjection)`, result: fmtSummary(s, 'mean'), summary: s, met: null });
  }
  for (const c of umapCases) {
    const capMs = o.budget.cap(c.capMs);
    if (capMs < 15_000 && !o.quick) {
      rows.push({ issue: 5, name: `UMAP to 2-D, ${c.n.toLocaleString('en')} points`, result: 'skipped', met: null, note: 'benchmark time budget spent' });
      continue;
    }
    o.log(`projection: UMAP ${c.n.toLocaleString('en')} points (cap ${fmtMs(capMs)})`);
    const r = await cappedProjection(get(c.n), c.n, d, { method: 'umap', dims: 2, seed: 1 }, capMs);
    const fitN = Math.min(c.n, UMAP_MAX_FIT);
    const how = fitN < c.n ? `fits ${fitN.toLocaleString('en')} (UMAP_MAX_FIT), places the other ${(c.n - fitN).toLocaleString('en')} by nearest fitted neighbours` : 'fits all points';
    const phases = Object.entries(r.phaseAtMs).map(([p, at]) => `${p} from ${fmtMs(at)}`).join(', ');
    const result = r.finished
      ? `${fmtMs(r.wallMs)} (n=1; CPU time ${fmtMs(r.cpuMs)})`
      : r.estimateMs !== undefined
        ? `~${fmtMs(r.estimateMs)} ESTIMATED${fitN < c.n ? ' + placement' : ''} (cancelled at ${fmtMs(r.wallMs)} after ${r.epochs!.done}/${r.epochs!.total} epochs; extrapolated from the epoch rate)`
        : `> ${fmtMs(r.wallMs)} (cancelled before a rate was known)`;
    rows.push({ issue: 5, name: `UMAP to 2-D, ${c.n.toLocaleString('en')} x ${d} points (runProjection: 50-d PCA, ${how})`, result, value: r.finished ? r.wallMs : r.estimateMs, unit: 'ms', met: null, note: `phases: ${phases}` });
  }
  rows.push({ issue: 5, name: 'render time for 100k points in the browser', result: 'not measured', met: null, note: 'optional: npm run bench -- --browser (the built app in Chromium via Playwright, ~3-4 min)' });
  return rows;
}

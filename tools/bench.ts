// npm run bench [-- --quick] [-- --only=2,3,4,5] [-- --budget-s=560] [-- --out=dir] [-- --browser]: measures what the product issues ask for (search and
// ingest, training and kernels, probes and fine-tuning, projections) on this machine and writes
// bench-results/latest.json and latest.md. --quick is a smoke run (smaller sizes, fewer repeats). --browser adds
// the explorer in Chromium (build, fill 10k and 100k synthetic points, time draw/hover/click/query: ~3-4 min; off by default).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/model/backend';
import { loadEncoders } from '../src/model/load';
import { Budget } from './bench/budget';
import { benchEncoders } from './bench/encoders';
import { benchFewshot } from './bench/fewshot';
import { benchExplorerBrowser } from './bench/explorer-browser';
import { benchProjection } from './bench/projection';
import { machineInfo, renderMarkdown, writeReport, type BenchReport, type BenchRow } from './bench/report';
import { benchSearch } from './bench/search';
import { benchResample } from './bench/resample';
import { benchIngestRatio } from './bench/ingest-ratio';
import { benchTraining } from './bench/training';
import { benchTorchStep } from './bench/torch-step';
import { benchWfdbLong } from './bench/wfdb-long';
import { fileWeightSource } from './lib/weights-fs';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const browser = args.includes('--browser');
  const onlyArg = args.find((a) => a.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice(7).split(',').map(Number)) : null;
  const outDir = args.find((a) => a.startsWith('--out='))?.slice(6) ?? 'bench-results';
  const want = (issue: number) => !only || only.has(issue);
  const t0 = Date.now();
  // Whole-run budget: sections cap or skip (saying so) what would not fit.
  const budgetArg = args.find((a) => a.startsWith('--budget-s='));
  const budget = new Budget((budgetArg ? Number(budgetArg.slice(11)) : quick ? 150 : 560) * 1000);
  const log = (m: string) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);
  const report: BenchReport = { startedAt: new Date().toISOString(), finishedAt: '', mode: quick ? 'quick' : 'full', machine: machineInfo(tf.version.tfjs), rows: [] };
  const add = (rows: BenchRow[]) => report.rows.push(...rows);
  const guard = async (issue: number, what: string, fn: () => Promise<BenchRow[]>) => {
    try {
      add(await fn());
    } catch (e) {
      add([{ issue, name: what, result: 'error', met: null, note: String((e as Error).message ?? e).slice(0, 200) }]);
      log(`${what} failed: ${(e as Error).stack ?? e}`);
    }
  };
  log(`${quick ? 'quick' : 'full'} run on ${report.machine.cores} x ${report.machine.cpuModel}, Node ${report.machine.node}, load ${report.machine.loadAvg1m}`);

  if (want(2)) {
    await guard(2, 'search and ingest', async () => {
      await initBackend('wasm');
      const encoders = await loadEncoders(fileWeightSource('public/weights'));
      try {
        return await benchSearch({ quick, encoders, log });
      } finally {
        encoders.dispose();
      }
    });
  }
  if (want(2) || want(13)) await guard(13, 'ECG resampling', () => benchResample({ quick, log }));
  if (want(2) || want(13)) {
    await guard(13, 'Node ingest / encoder-only throughput', async () => {
      await initBackend('wasm');
      const encoders = await loadEncoders(fileWeightSource('public/weights'));
      try {
        return await benchIngestRatio({ quick, encoders, log });
      } finally {
        encoders.dispose();
      }
    });
  }
  if (want(13)) await guard(13, 'encoders vs PyTorch', () => benchEncoders({ quick, log }));
  if (want(4)) await guard(4, 'linear probe and fine-tuning', () => benchFewshot({ quick, log }));
  const reserveMs = want(5) ? (quick ? 30_000 : 110_000) : 0;
  if (want(3)) await guard(3, 'training', async () => (await benchTraining({ quick, budget, reserveMs, log })).rows);
  if (want(12)) await guard(12, 'PyTorch training step', () => benchTorchStep({ quick, log }));
  if (want(5)) await guard(5, 'projections', () => benchProjection({ quick, budget, log }));
  if (want(5) && browser) {
    await guard(5, 'explorer in the browser', async () => {
      const rows = await benchExplorerBrowser({ sizes: quick ? [10_000] : [10_000, 100_000], log });
      // The measured browser rows replace the projection section's "not measured" placeholder.
      if (rows.some((r) => r.name === 'render time for 100k points in the browser')) {
        report.rows = report.rows.filter((r) => !(r.name === 'render time for 100k points in the browser' && r.result === 'not measured'));
      }
      return rows;
    });
  }

  if (want(9)) await guard(9, 'long WFDB records', () => benchWfdbLong({ quick, log }));

  report.finishedAt = new Date().toISOString();
  const paths = await writeReport(outDir, report);
  console.log('\n' + renderMarkdown(report));
  log(`wrote ${paths.json} and ${paths.md} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `npm run attach-selection -- --curve RUN/training-curve.json --out FILE [--svg FILE] [--seeds SEEDS.json] SCORES.json ...`:
// writes a PyTorch run's training curve with the validation scores of its step snapshots (the JSON that
// `npm run select-weights` prints, one or more files) and the selected step, plus optionally the selected
// step and score of every training seed (SEEDS.json: {"<seed>": ["scores.json", ...]}), so a shipped
// snapshot's model card names its step, its curve and the spread over seeds.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { curvesSvg } from './lib/curves';
import { seedRun, withSelection, type CurveWithSelection, type ScoredStep, type SeedRun } from './lib/selection-curve';

const { values: args, positionals } = parseArgs({
  options: { curve: { type: 'string' }, out: { type: 'string' }, svg: { type: 'string' }, seeds: { type: 'string' }, window: { type: 'string', default: '3' } },
  allowPositionals: true,
});

async function readScores(files: string[]): Promise<ScoredStep[]> {
  const out: ScoredStep[] = [];
  for (const f of files) {
    const j = JSON.parse(await readFile(f, 'utf8')) as { rows?: { step: number; metrics: ScoredStep['metrics'] }[] };
    if (!Array.isArray(j.rows)) throw new Error(`${f}: not the output of npm run select-weights (no "rows")`);
    for (const r of j.rows) out.push({ step: r.step, metrics: r.metrics });
  }
  return out.sort((a, b) => a.step - b.step);
}

async function main(): Promise<void> {
  if (!args.curve || !args.out || positionals.length === 0) throw new Error('attach-selection: --curve, --out and at least one scores file are required');
  const window = Number(args.window);
  const run = JSON.parse(await readFile(args.curve, 'utf8')) as CurveWithSelection;
  if (!Array.isArray(run.curve)) throw new Error(`${args.curve}: no "curve" array`);
  const scored = await readScores(positionals);
  const out = withSelection(run, scored, window);
  if (args.seeds) {
    const spec = JSON.parse(await readFile(args.seeds, 'utf8')) as Record<string, string[]>;
    const runs: SeedRun[] = [];
    for (const [seed, files] of Object.entries(spec)) {
      const r = seedRun(Number(seed), await readScores(files), window);
      if (r) runs.push(r);
    }
    out.seedRuns = runs.sort((a, b) => a.seed - b.seed);
  }
  await writeFile(args.out, JSON.stringify(out) + '\n');
  if (args.svg) await writeFile(args.svg, curvesSvg(out.curve, `MEDBind pretraining loss (${String(out.version ?? '')})`));
  process.stderr.write(`[attach-selection] ${args.out}: selected step ${out.selection?.step} of ${out.selection?.lastStep}${out.seedRuns ? `; ${out.seedRuns.length} seeds` : ''}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `npm run select-weights -- --data DIR DIR1 DIR2 ...`: scores weights folders (e.g. the step snapshots
// that training/pretrain.py --snapshot-every writes) on the validation split with the same fast validation
// pass and selection rule as `npm run pretrain` (tools/lib/validate.ts, tools/lib/model-selection.ts), so
// weights trained at scale in PyTorch are chosen exactly as the TypeScript trainer chooses its own.
// Prints one line per folder and a JSON summary (the selected folder last) on stdout.
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend';
import { loadEncoders, readManifest } from '../src/model/load';
import { selectBest } from './lib/model-selection';
import { prepareFolder } from './lib/prepared';
import { validate, validationSets, type ValidationMetrics } from './lib/validate';
import { fileWeightSource } from './lib/weights-fs';

const { values: args, positionals } = parseArgs({
  options: { data: { type: 'string', default: '../shared/data' }, window: { type: 'string', default: '3' } },
  allowPositionals: true,
});

const stepOf = (version: string, i: number) => Number(/step(\d+)/.exec(version)?.[1] ?? i);

async function main(): Promise<void> {
  if (positionals.length === 0) throw new Error('select-weights: name one or more weights folders');
  await initBackend('wasm');
  const data = await prepareFolder(args.data!);
  const sets = validationSets(data.items.filter((p) => p.item.split === 'val'));
  const rows: { dir: string; version: string; step: number; metrics: ValidationMetrics }[] = [];
  for (const [i, dir] of positionals.entries()) {
    const source = fileWeightSource(dir);
    const version = (await readManifest(source)).version;
    const enc = await loadEncoders(source);
    try {
      const metrics = await validate(enc, sets);
      rows.push({ dir, version, step: stepOf(version, i), metrics });
      const f = (x: number) => (x * 100).toFixed(1);
      process.stderr.write(`[select-weights] ${version}: score ${f(metrics.score)} (PTB-XL zero-shot ${f(metrics.ptbxlZeroShot)}, 16-shot ${f(metrics.ptbxl16Shot)}, R@10 ${f(metrics.ptbxlR10)}; pediatric zero-shot ${f(metrics.pediatricZeroShot)}; PTB-XL zero-shot with the paper prompts ${f(metrics.ptbxlZeroShotPaper ?? NaN)})\n`);
    } finally {
      enc.dispose();
    }
  }
  const best = selectBest(rows.map((r) => ({ step: r.step, score: r.metrics.score })), Number(args.window));
  const chosen = best ? rows.find((r) => r.step === best.step) ?? null : null;
  process.stdout.write(JSON.stringify({ rows, selected: chosen && { dir: chosen.dir, version: chosen.version, step: chosen.step, smoothed: best!.smoothed } }, null, 1) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

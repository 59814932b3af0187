// `npm run baselines -- [--data ../shared/data] [--weights public/weights] [--json FILE] [--steps 150]`
// Baselines for the model card and `npm run eval` (written beside the weights as baselines.json, which
// eval copies into its JSON under "baselines"): on the ECG superclass task, (a) a supervised classifier
// with the shipped ECG encoder's configuration trained on the training labels alone, and (b) linear probes
// on raw leads averaged to 5 Hz, both measured on the validation split of each ECG set (the items the
// weights did not train on), with the same few-shot protocol as the embeddings.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend';
import { validateConfig, type MedbindConfig } from '../src/model/config';
import { labelled, rawLeadBaseline, supervisedBaseline } from './lib/baselines';
import { SHOTS } from './lib/eval-dataset';
import { chooseTask } from './lib/eval-tasks';
import { prepareFolder } from './lib/prepared';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    weights: { type: 'string', default: 'public/weights' },
    json: { type: 'string' },
    steps: { type: 'string', default: '150' },
    batch: { type: 'string', default: '32' },
    'eval-every': { type: 'string', default: '25' },
    repeats: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
  },
});
const log = (s: string) => process.stderr.write(`[baselines] ${s}\n`);

async function main(): Promise<void> {
  await initBackend('wasm');
  const manifest = JSON.parse(await readFile(join(args.weights!, 'manifest.json'), 'utf8')) as { config: MedbindConfig; version: string };
  const config = validateConfig(manifest.config);
  const trainIds = new Set((JSON.parse(await readFile(join(args.weights!, 'train-ids.json'), 'utf8')) as { ids: string[] }).ids);
  const data = await prepareFolder(args.data!);
  const ecg = data.items.filter((p) => p.item.modality === 'ecg');
  const task = chooseTask('ecg', ecg.map((p) => p.item.labels));
  if (!task) throw new Error(`${args.data}: no ECG superclass task`);
  const train = labelled(task, ecg.filter((p) => trainIds.has(p.item.id)));
  const nC = task.classes.length;
  const seed = Number(args.seed);
  const repeats = Number(args.repeats);
  const datasets: Record<string, unknown> = {};
  const names = [...new Set(ecg.map((p) => p.item.dataset))].sort();
  const vals = new Map(names.map((n) => [n, labelled(task, ecg.filter((p) => p.item.dataset === n && !trainIds.has(p.item.id)))]));
  // One supervised run (trained on every ECG set's training labels), scored on PTB-XL's validation split.
  const sel = vals.get('ptb-xl') ?? [...vals.values()][0];
  log(`supervised classifier: ${train.y.length} training ECGs, ${args.steps} steps`);
  const sup = await supervisedBaseline(config, train, sel, nC, { steps: Number(args.steps), batch: Number(args.batch), evalEvery: Number(args['eval-every']), seed, log });
  for (const [name, val] of vals) {
    if (new Set(val.y).size < 2) continue;
    datasets[name] = {
      n: val.y.length,
      rawLeads: rawLeadBaseline(config, train, val, nC, SHOTS, repeats, seed),
      ...(val === sel ? { supervised: sup } : {}),
    };
  }
  const out = { weights: manifest.version, data: args.data, task: task.task, classes: task.classes, datasets };
  const json = JSON.stringify(out, null, 2);
  await writeFile(args.json ?? join(args.weights!, 'baselines.json'), json);
  process.stdout.write(`${json}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `npm run eval -- --data DIR [--weights DIR] [--json FILE] [--pairs FILE] [--repeats 300] [--include-train]`
// Evaluates weights with the paper's protocols on ANY folder of datasets in the layouts of ../shared/data:
// per dataset, modality -> text Recall@1/5/10, zero-shot balanced accuracy with the paper's prompts,
// few-shot linear probes (K = 1, 2, 4, 8, 16; mean and sd over random support sets), and with a pairing
// file, CXR -> ECG Recall@K and cross-modal zero-shot. Items the weights were trained on (train-ids.json
// beside the weights) are left out unless --include-train, so the numbers are on unseen data.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend';
import { loadEncoders } from '../src/model/load';
import { balancedAccuracy, cosineMatrix, recallAtK } from '../src/model/metrics';
import { crossModalZeroShot } from '../src/model/fewshot';
import type { MedbindEncoders } from '../src/model/types';
import { evalDataset, KS, round4, SHOTS, type DatasetReport } from './lib/eval-dataset';
import { fileWeightSource } from './lib/weights-fs';
import { parsePairingCsv } from './lib/pairing';
import { prepareFolder, type PreparedItem } from './lib/prepared';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    weights: { type: 'string', default: 'public/weights' },
    json: { type: 'string' },
    pairs: { type: 'string' },
    repeats: { type: 'string', default: '300' },
    'include-train': { type: 'boolean', default: false },
    seed: { type: 'string', default: '0' },
  },
});

const round = round4;
const log = (s: string) => process.stderr.write(`[eval] ${s}\n`);

async function main(): Promise<void> {
  const be = await initBackend('wasm');
  const enc = await loadEncoders(fileWeightSource(args.weights!));
  log(`weights ${enc.version} from ${args.weights}; backend ${be.backend}`);
  const data = await prepareFolder(args.data!, (d, n) => log(`loading ${d}/${n}`));
  for (const e of data.errors) log(`skipped ${e.file}: ${e.message}`);
  let trainIds = new Set<string>();
  if (!args['include-train']) {
    try {
      trainIds = new Set((JSON.parse(await readFile(join(args.weights!, 'train-ids.json'), 'utf8')) as { ids: string[] }).ids);
    } catch {
      log('no train-ids.json beside the weights: evaluating every item');
    }
  }
  const items = data.items.filter((p) => !trainIds.has(p.item.id));
  const excluded = data.items.length - items.length;
  log(`${items.length} items to evaluate (${excluded} training items left out)`);

  const repeats = Number(args.repeats);
  const seed = Number(args.seed);
  const datasets: Record<string, DatasetReport> = {};
  const vectorsById = new Map<string, Float32Array>();
  const groups = new Map<string, PreparedItem[]>();
  for (const p of items) {
    const key = `${p.item.dataset}\u0000${p.item.modality}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(p);
  }
  for (const [key, group] of [...groups].sort()) {
    const [name, modality] = key.split('\u0000');
    const label = [...groups.keys()].filter((k) => k.startsWith(`${name}\u0000`)).length > 1 ? `${name}:${modality}` : name;
    log(`${label}: ${group.length} items`);
    const { report, vectors } = await evalDataset(enc, group, repeats, seed);
    datasets[label] = report;
    group.forEach((p, i) => vectorsById.set(p.item.id, vectors.subarray(i * enc.embedDim, (i + 1) * enc.embedDim)));
  }

  const out: Record<string, unknown> = {
    weights: enc.version,
    data: args.data,
    excludedTrainingItems: excluded,
    protocol: { ks: KS, shots: SHOTS, repeats, seed },
    datasets,
  };
  if (args.pairs) out.pairs = await evalPairs(enc, args.pairs, items, vectorsById);
  // Baselines (npm run baselines) measured on the same split, when they were made for these weights.
  try {
    const b = JSON.parse(await readFile(join(args.weights!, 'baselines.json'), 'utf8')) as { weights?: string };
    if (b.weights === enc.version) out.baselines = b;
    else log(`baselines.json is for ${b.weights}, not ${enc.version}: left out`);
  } catch {
    log('no baselines.json beside the weights (npm run baselines)');
  }
  const json = JSON.stringify(out, null, 2);
  if (args.json) await writeFile(args.json, json);
  process.stdout.write(`${json}\n`);
  enc.dispose();
}

/** CXR -> ECG Recall@K over the pairs whose both items are evaluated, and the paper's cross-modal zero-shot. */
async function evalPairs(enc: MedbindEncoders, file: string, items: PreparedItem[], vec: Map<string, Float32Array>) {
  const parsed = parsePairingCsv(await readFile(file, 'utf8'), file);
  const d = enc.embedDim;
  const byId = new Map(items.map((p) => [p.item.id, p.item]));
  const pairs = parsed.pairs.filter((p) => vec.has(p.cxrId) && vec.has(p.ecgId));
  const ecgIds = [...new Set(pairs.map((p) => p.ecgId))];
  const stack = (ids: string[]) => {
    const a = new Float32Array(ids.length * d);
    ids.forEach((id, i) => a.set(vec.get(id)!, i * d));
    return a;
  };
  const q = stack(pairs.map((p) => p.cxrId));
  const c = stack(ecgIds);
  const r = recallAtK(cosineMatrix(q, c, d), pairs.length, ecgIds.length, (qi, ci) => ecgIds[ci] === pairs[qi].ecgId, KS);
  // Cross-modal zero-shot: hypertrophy vs other from CXR with an ECG support set; cardiomegaly vs other
  // from ECG with a CXR support set; truth = the label of the paired item in the other modality.
  const isHyp = (id: string) => (byId.get(id)?.labels ?? []).some((l) => /^HYP$|hypertrophy/i.test(l));
  const isCardio = (id: string) => (byId.get(id)?.labels ?? []).some((l) => /cardiomegaly/i.test(l));
  const ecgSupport = items.filter((p) => p.item.modality === 'ecg').map((p) => p.item.id);
  const cxrSupport = items.filter((p) => p.item.modality === 'cxr').map((p) => p.item.id);
  const xm = (queryIds: string[], truth: number[], supportIds: string[], supportLabel: (id: string) => boolean) => {
    const sl = supportIds.map((id) => (supportLabel(id) ? 1 : 0));
    if (new Set(sl).size < 2 || new Set(truth).size < 2) return null;
    const pred = crossModalZeroShot(stack(queryIds), stack(supportIds), sl, 2, d).predictions;
    return { n: queryIds.length, positives: truth.filter((t) => t === 1).length, balancedAccuracy: round(balancedAccuracy(truth, pred, 2)) };
  };
  return {
    file,
    n: pairs.length,
    cxrToEcg: Object.fromEntries(KS.map((k) => [`R@${k}`, round(r[k])])),
    candidates: ecgIds.length,
    hypertrophyFromCxr: xm(pairs.map((p) => p.cxrId), pairs.map((p) => (isHyp(p.ecgId) ? 1 : 0)), ecgSupport, isHyp),
    cardiomegalyFromEcg: xm(pairs.map((p) => p.ecgId), pairs.map((p) => (isCardio(p.cxrId) ? 1 : 0)), cxrSupport, isCardio),
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `npm run bind -- --data DIR --pairs FILE [--weights DIR] [--json FILE] [--out DIR]`
// Pair binding without a browser, on the same code as the app's Pairs page: matches the pairing file to the
// items found under --data, splits the pairs patient-disjointly, trains the CXR, ECG and text projection
// heads with TMCL + EMCL (early stopping on validation CXR -> ECG R@10), and prints before/after CXR -> ECG
// and ECG -> CXR Recall@1/5/10 with bootstrap 95% CIs on the held-out pairs. --out writes the result as a
// version bundle that the app's "Import version" accepts. The base weights are read, never written.
//   [--epochs 30] [--batch 32] [--lr 0.001] [--weight-decay 0.01] [--patience 5] [--seed 0]
//   [--split-seed 0] [--val-frac 0.25] [--bootstrap 1000]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend';
import type { PairRetrieval } from '../src/model/bind/retrieval';
import { TrainGate } from '../src/model/finetune/gate';
import { readParams } from '../src/model/finetune/head';
import { encodeParamFiles, exportBundle } from '../src/model/finetune/version-files';
import { loadWeights } from '../src/model/load';
import { BIND_PARAM_NAMES, runBinding, type BindItem } from '../src/workers/lab/pairs/bind-core';
import { matchPairingCsv } from '../src/workers/lab/pairs/match-csv';
import { preparedFeatureSource } from './lib/bind-features';
import { prepareFolder } from './lib/prepared';
import { fileWeightSource } from './lib/weights-fs';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    pairs: { type: 'string' },
    weights: { type: 'string', default: 'public/weights' },
    json: { type: 'string' },
    out: { type: 'string' },
    epochs: { type: 'string', default: '30' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.001' },
    'weight-decay': { type: 'string', default: '0.01' },
    patience: { type: 'string', default: '5' },
    seed: { type: 'string', default: '0' },
    'split-seed': { type: 'string', default: '0' },
    'val-frac': { type: 'string', default: '0.25' },
    bootstrap: { type: 'string', default: '1000' },
  },
});

const log = (s: string) => process.stderr.write(`[bind] ${s}\n`);
const r4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : null);

/** JSON shape of one direction: R@K fractions plus their CIs and counts. */
function direction(d: PairRetrieval['cxrToEcg']) {
  const out: Record<string, unknown> = { n: d.n, candidates: d.candidates };
  for (const [k, v] of Object.entries(d.recall)) {
    out[k] = r4(v.estimate);
    out[`${k} CI95`] = [r4(v.lo), r4(v.hi)];
  }
  return out;
}
const table = (r: PairRetrieval) => ({ cxrToEcg: direction(r.cxrToEcg), ecgToCxr: direction(r.ecgToCxr) });

async function main(): Promise<void> {
  if (!args.pairs) throw new Error('--pairs FILE is required (a CSV of CXR and ECG ids, paths or cxr:/ecg: metadata keys)');
  const be = await initBackend('wasm');
  const weights = await loadWeights(fileWeightSource(args.weights!));
  const base = weights.manifest.version;
  log(`weights ${base} from ${args.weights}; backend ${be.backend}`);
  const data = await prepareFolder(args.data!, (d, n) => log(`loading ${d}/${n}`));
  for (const e of data.errors) log(`skipped ${e.file}: ${e.message}`);
  const items: BindItem[] = data.items.map((p) => ({
    id: p.item.id, modality: p.item.modality, sourceName: p.item.files[0]?.path.split('/').pop() ?? p.item.id,
    meta: p.item.meta, patientKey: p.item.patientKey, text: p.item.text.trim(),
  }));
  const byId = new Map(data.items.map((p) => [p.item.id, p]));
  const itemMap = new Map(items.map((it) => [it.id, it]));

  const bytes = new Uint8Array(await readFile(args.pairs));
  const m = matchPairingCsv(basename(args.pairs), bytes, items);
  if (!m.ok) throw new Error(m.error);
  log(`${args.pairs}: ${m.report.rows} rows, ${m.report.pairs.length} matched, ${m.report.unmatchedCount} not (${m.report.columns.join('; ')})`);
  for (const u of m.report.unmatched.slice(0, 10)) log(`  line ${u.line}: ${u.reason}`);

  const settings = {
    epochs: Number(args.epochs), batchSize: Number(args.batch), learningRate: Number(args.lr), weightDecay: Number(args['weight-decay']),
    tau: weights.config.tau, patience: Number(args.patience), seed: Number(args.seed),
  };
  const splitSeed = Number(args['split-seed']);
  const valFrac = Number(args['val-frac']);
  const initial = await readParams(weights.params, BIND_PARAM_NAMES);
  const t0 = performance.now();
  const run = await runBinding(m.report.pairs, m.report.rows, itemMap, preparedFeatureSource(weights, byId), initial, new TrainGate(), {
    valFrac, splitSeed, settings, bootstrap: { iterations: Number(args.bootstrap), seed: 0 },
    onPhase: (p) => log(p),
    onEpoch: (e) => log(`epoch ${e.epoch} loss ${e.loss.toFixed(3)} (emcl ${e.emcl.toFixed(3)}) val CXR->ECG R@1/5/10 ${e.valCxrToEcg['R@1'].toFixed(3)}/${e.valCxrToEcg['R@5'].toFixed(3)}/${e.valCxrToEcg['R@10'].toFixed(3)}`),
  });
  // Held-out pairs whose items the base weights trained on (their EMCL saw these pairs if the pairing matches).
  let seenByBase: number | null = null;
  try {
    const ids = new Set((JSON.parse(await readFile(join(args.weights!, 'train-ids.json'), 'utf8')) as { ids: string[] }).ids);
    seenByBase = run.valPairs.filter((p) => ids.has(p.cxrId) && ids.has(p.ecgId)).length;
  } catch {
    log('no train-ids.json beside the weights');
  }
  const out = {
    weights: base,
    data: args.data,
    pairing: { file: basename(args.pairs), rows: m.report.rows, columns: m.report.columns, unmatched: m.report.unmatchedCount },
    pairs: { total: run.counts.total, matched: run.counts.matched, train: run.counts.train, val: run.counts.val, valSeenByBaseTraining: seenByBase },
    split: { valFrac, seed: splitSeed, rule: 'patient-disjoint: pairs sharing a patient or an item stay on one side' },
    settings: { ...settings, trained: BIND_PARAM_NAMES },
    status: run.result.status,
    bestEpoch: run.result.bestEpoch,
    epochs: run.result.history.length - 1,
    elapsedS: Math.round((performance.now() - t0) / 100) / 10,
    protocol: { ks: [1, 5, 10], bootstrap: Number(args.bootstrap), queries: 'distinct held-out CXRs (ECGs) against the distinct held-out ECGs (CXRs); a hit is a paired item' },
    before: table(run.before),
    after: run.after ? table(run.after) : null,
    history: run.result.history,
  };
  if (args.out) {
    const id = `bind-${Date.now()}`;
    const files = await encodeParamFiles(id, run.result.params);
    const lineage = { kind: 'pair-binding', base, parent: base, pairing: { file: out.pairing.file, pairs: out.pairs.matched, train: out.pairs.train, val: out.pairs.val, splitSeed }, settings: out.settings, metrics: { before: out.before, after: out.after, bestEpoch: out.bestEpoch }, trainedParams: Object.keys(run.result.params).sort() };
    const bundle = exportBundle({ id, name: `Bound to ${out.pairing.file} (${out.pairs.matched} pairs)`, parent: base, createdAt: Date.now(), lineage }, files);
    await mkdir(args.out, { recursive: true });
    for (const f of bundle) await writeFile(join(args.out, f.name), f.bytes);
    log(`wrote version ${id} to ${args.out}`);
  }
  const json = JSON.stringify(out, null, 2);
  if (args.json) await writeFile(args.json, json);
  process.stdout.write(`${json}\n`);
  for (const t of weights.params.values()) t.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

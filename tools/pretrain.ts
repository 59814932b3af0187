// `npm run pretrain`: trains the shipped MEDBind weights in Node on the real open data (TMCL on every
// modality-text source, EMCL on a pairing file), with deterministic seeds, progress + ETA, resumable
// checkpoints, loss curves (JSON + SVG) and a validation loss on the held-out split. Writes public/weights.
//   npm run pretrain -- [--data ../shared/data] [--out public/weights] [--steps 3000] [--batch 32]
//                       [--paired 8] [--variant BD|NM] [--seed 1] [--pairs FILE] [--ckpt checkpoints/x.ckpt]
//                       [--fresh] [--max-minutes N] [--workers 2] [--select-every 100] [--select-window 3]
//                       [--ecg-sampling sqrt|uniform]   (sqrt: ECGs drawn with 1/sqrt(label-set frequency) weights)
// Every --select-every steps the validation split is embedded and scored (tools/lib/validate.ts); the
// parameters of each validated step are kept in checkpoints/, and the shipped weights are those of the
// step that tools/lib/model-selection.ts selects, not the last step.
// --workers K > 1 trains data-parallel over K worker threads (one core each; exact: same loss and update
// as one thread); the default is 2 on a machine with 2+ cores, 1 (this thread only) otherwise.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig, type MedbindConfig } from '../src/model/config';
import { initBackend } from '../src/model/backend';
import { paramShapes, paramValues, parallelTrainStep, type ReplicaClient } from '../src/model/parallel/step';
import { createTrainer, type TrainBatch } from '../src/model/train';
import { encodeWeights } from '../src/model/weights';
import { loadCheckpoint, saveCheckpoint } from './lib/checkpoint';
import { curvesSvg, type CurvePoint } from './lib/curves';
import { makeDemoPairing, pairingToCsv, parsePairingCsv, type Pair } from './lib/pairing';
import { byModality, prepareFolder } from './lib/prepared';
import { startReplicaWorkers } from './lib/replica-workers';
import { BatchSampler, sqrtInverseFrequency } from './lib/sampler';
import { writeWeightFiles } from './lib/weights-fs';
import { buildTrainingTokenizer } from './lib/training-corpus';
import { encodersFromParams } from '../src/model/encoders/runtime';
import { selectBest } from './lib/model-selection';
import { validate, validationSets } from './lib/validate';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    out: { type: 'string', default: 'public/weights' },
    steps: { type: 'string', default: '3000' },
    batch: { type: 'string', default: '32' },
    paired: { type: 'string', default: '8' },
    variant: { type: 'string', default: 'BD' },
    seed: { type: 'string', default: '1' },
    pairs: { type: 'string' },
    ckpt: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'max-minutes': { type: 'string' },
    'ckpt-every': { type: 'string', default: '50' },
    'val-every': { type: 'string', default: '100' },
    workers: { type: 'string', default: cpus().length >= 2 ? '2' : '1' },
    'select-every': { type: 'string', default: '100' },
    'select-window': { type: 'string', default: '3' },
    'ecg-sampling': { type: 'string', default: 'sqrt' },
  },
});

const log = (s: string) => process.stdout.write(`[pretrain ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const fmtS = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`);

async function main(): Promise<void> {
  const variant = args.variant === 'NM' ? 'NM' : 'BD';
  const totalSteps = Number(args.steps);
  const batch = Number(args.batch);
  const seed = Number(args.seed);
  const nWorkers = Number(args.workers);
  if (!Number.isInteger(nWorkers) || nWorkers < 1) throw new Error(`--workers must be a positive integer, got ${args.workers}`);
  const ckptPath = args.ckpt ?? `checkpoints/pretrain-${variant}-s${seed}.ckpt`;
  const be = await initBackend('wasm');
  log(`backend ${be.backend} (${be.reason}); variant ${variant}; ${totalSteps} steps; batch ${batch}+${batch}`);

  const t0 = performance.now();
  const data = await prepareFolder(args.data!, (d, n) => log(`loading ${d}/${n} items`));
  for (const e of data.errors) log(`skipped ${e.file}: ${e.message}`);
  const train = data.items.filter((p) => p.item.split === 'train');
  const val = data.items.filter((p) => p.item.split === 'val');
  log(`loaded ${data.items.length} items (${train.length} train, ${val.length} val, ${data.texts.length} extra texts) in ${fmtS((performance.now() - t0) / 1000)}`);

  // Pairing for EMCL: a user's file, or the demo pairing by shared finding category.
  let pairs: Pair[];
  if (args.pairs) {
    const parsed = parsePairingCsv(await readFile(args.pairs, 'utf8'), args.pairs);
    parsed.errors.forEach((e) => log(e));
    pairs = parsed.pairs;
  } else {
    pairs = makeDemoPairing(data.items.map((p) => p.item), seed);
    await mkdir(args.out!, { recursive: true });
    await writeFile(join(args.out!, 'demo-pairing.csv'), pairingToCsv(pairs));
  }

  // Tokenizer: training texts and their variants, the text-only corpus, and the prompt templates.
  const base = defaultConfig();
  const tokenizer = await buildTrainingTokenizer(train, data.texts, args.data!, base);
  const config: MedbindConfig = { ...base, train: { ...base.train, variant, totalSteps } };
  log(`subword vocabulary: ${tokenizer.vocabSize} tokens (${tokenizer.toJson().wordCount} whole words)`);

  const trainCxr = byModality(train, 'cxr');
  const trainEcg = byModality(train, 'ecg');
  const sampler = new BatchSampler(trainCxr, trainEcg, variant === 'BD' ? pairs : [], { batchCxr: batch, batchEcg: batch, pairedPerBatch: variant === 'BD' ? Number(args.paired) : 0, seed, ecgWeights: args['ecg-sampling'] === 'uniform' ? undefined : sqrtInverseFrequency(trainEcg) });
  const valSampler = new BatchSampler(byModality(val, 'cxr'), byModality(val, 'ecg'), variant === 'BD' ? pairs : [], { batchCxr: batch, batchEcg: batch, pairedPerBatch: variant === 'BD' ? Number(args.paired) : 0, seed: seed + 1000 });
  log(`train: ${trainCxr.length} CXR, ${trainEcg.length} ECG, ${sampler.usablePairs} demo CXR-ECG pairs`);
  const valBatches: TrainBatch[] = [0, 1, 2].map((i) => valSampler.batch(i));
  const selSets = validationSets(val);
  log(`model selection on ${selSets.ecg.length} PTB-XL and ${selSets.cxr.length} pediatric CXR validation items every ${args['select-every']} steps`);

  const trainer = createTrainer(config, seed, tokenizer);
  let curve: CurvePoint[] = [];
  if (!args.fresh) {
    const ck = await loadCheckpoint(ckptPath);
    if (ck) {
      const extra = ck.extra as { vocab: string[]; curve: CurvePoint[]; totalSteps: number };
      if (extra.vocab.join('\n') !== tokenizer.tokens.join('\n') || extra.totalSteps !== totalSteps) {
        throw new Error(`${ckptPath} was made with another vocabulary or step count; pass --fresh to start over`);
      }
      trainer.importState(ck.state);
      curve = extra.curve;
      log(`resumed from ${ckptPath} at step ${trainer.step}`);
    }
  }

  const snapDir = `${ckptPath}.steps`;
  const snapPath = (step: number) => join(snapDir, `step-${step}.ckpt`);
  const validationPass = async (point: CurvePoint) => {
    const t = performance.now();
    const enc = encodersFromParams(trainer.params, trainer.config, tokenizer, 'validation', { ownsParams: false, inferBatch: 32 });
    const m = await validate(enc, selSets);
    enc.dispose();
    point.valScore = m.score;
    point.valMetrics = { ptbxlZeroShot: m.ptbxlZeroShot, ptbxl16Shot: m.ptbxl16Shot, ptbxlR10: m.ptbxlR10, pediatricZeroShot: m.pediatricZeroShot };
    await mkdir(snapDir, { recursive: true });
    const st = await trainer.exportState();
    await saveCheckpoint(snapPath(point.step), { ...st, optimizer: { t: 0, m: {}, v: {} } }, { step: point.step });
    log(`validation @${point.step}: score ${m.score.toFixed(4)} (PTB-XL zero-shot ${m.ptbxlZeroShot.toFixed(3)}, 16-shot ${m.ptbxl16Shot.toFixed(3)}, R@10 ${m.ptbxlR10.toFixed(3)}; pediatric zero-shot ${m.pediatricZeroShot.toFixed(3)}) in ${fmtS((performance.now() - t) / 1000)}`);
  };

  const checkpoint = async () => {
    await mkdir(join(ckptPath, '..'), { recursive: true });
    await saveCheckpoint(ckptPath, await trainer.exportState(), { vocab: tokenizer.tokens, curve, totalSteps });
  };
  let replicas: ReplicaClient[] = [];
  if (nWorkers > 1) {
    replicas = await startReplicaWorkers(nWorkers, trainer.config, await paramValues(trainer.params), paramShapes(trainer.params));
    log(`data-parallel over ${nWorkers} worker threads (gradient cache: full-batch contrastive loss)`);
  }
  const trainStep = (b: TrainBatch) => (replicas.length ? parallelTrainStep(trainer, replicas, b) : trainer.trainStep(b));
  const deadline = args['max-minutes'] ? Date.now() + Number(args['max-minutes']) * 60_000 : Infinity;
  const startStep = trainer.step;
  const tStart = performance.now();
  while (trainer.step < totalSteps && Date.now() < deadline) {
    const parts = await trainStep(sampler.batch(trainer.step));
    const point: CurvePoint = { step: parts.step, total: parts.total, tmclCxr: parts.tmclCxr, tmclEcg: parts.tmclEcg, emcl: parts.emcl, lr: parts.lr };
    if (parts.step % Number(args['val-every']) === 0 || parts.step === totalSteps) {
      let v = 0;
      for (const b of valBatches) v += (await trainer.evalLoss(b)).total;
      point.val = v / valBatches.length;
    }
    if (parts.step % Number(args['select-every']) === 0 || parts.step === totalSteps) await validationPass(point);
    curve.push(point);
    if (!Number.isFinite(parts.total)) throw new Error(`loss is ${parts.total} at step ${parts.step}`);
    const done = trainer.step - startStep;
    const perStep = (performance.now() - tStart) / 1000 / done;
    if (parts.step % 10 === 0 || point.val !== undefined) {
      log(`step ${parts.step}/${totalSteps} loss ${parts.total.toFixed(3)} (cxr ${parts.tmclCxr.toFixed(3)} ecg ${parts.tmclEcg.toFixed(3)} emcl ${parts.emcl.toFixed(3)})${point.val !== undefined ? ` val ${point.val.toFixed(3)}` : ''} lr ${parts.lr.toExponential(2)} ${perStep.toFixed(2)} s/step ETA ${fmtS(perStep * (totalSteps - trainer.step))} tensors ${tf.memory().numTensors}`);
    }
    if (parts.step % Number(args['ckpt-every']) === 0) await checkpoint();
  }
  await checkpoint();
  await Promise.all(replicas.map((r) => r.dispose()));
  const finished = trainer.step >= totalSteps;
  log(finished ? `finished ${totalSteps} steps` : `stopped at step ${trainer.step} (time budget); run again to resume`);

  // Model selection: the parameters of the best validation point (smoothed score), not the last step.
  const lastStep = trainer.step;
  const window = Number(args['select-window']);
  const chosen = selectBest(curve.filter((p) => p.valScore !== undefined).map((p) => ({ step: p.step, score: p.valScore! })), window);
  let selectedStep = lastStep;
  if (chosen) {
    const snap = await loadCheckpoint(snapPath(chosen.step));
    if (!snap) throw new Error(`${snapPath(chosen.step)}: the snapshot of the selected step is missing`);
    tf.tidy(() => {
      for (const [k, v] of trainer.params) if (snap.state.params[k]) v.assign(tf.tensor(snap.state.params[k], v.shape));
    });
    selectedStep = chosen.step;
    log(`selected step ${chosen.step} of ${lastStep} (validation score smoothed over ${window} points: ${chosen.smoothed.toFixed(4)})`);
  }
  const selection = chosen ? { step: chosen.step, smoothedScore: chosen.smoothed, window, lastStep, metrics: curve.find((p) => p.step === chosen.step)?.valMetrics } : null;

  // Weights, vocabulary and manifest (float16), plus the curves.
  const version = `${variant.toLowerCase()}-${new Date().toISOString().slice(0, 10)}-s${seed}-step${selectedStep}`;
  const files = await encodeWeights(trainer.params, config, tokenizer, {
    version,
    variant,
    demoPairing: variant === 'BD' && !args.pairs,
    trainedOn: [...new Set(train.map((p) => p.item.dataset))].sort(),
    float16: true,
  });
  await writeWeightFiles(args.out!, files);
  await writeFile(join(args.out!, 'training-curve.json'), JSON.stringify({ version, variant, totalSteps, steps: lastStep, batch, seed, selection, curve }, null, 0));
  await writeFile(join(args.out!, 'training-curve.svg'), curvesSvg(curve, `MEDBind_${variant} pretraining loss (${version})`));
  await writeFile(join(args.out!, 'train-ids.json'), JSON.stringify({ version, ids: train.map((p) => p.item.id).sort() }));
  log(`wrote ${[...files.keys()].join(', ')} to ${args.out} (version ${version})`);
  trainer.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `npm run model-card -- [--weights public/weights] [--eval public/weights/eval.json]`: writes the model card
// (model-card.md beside the weights) from the manifest, the training curve and the evaluation JSON, so
// every number in it comes from `npm run pretrain` and `npm run eval`, never typed by hand.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { countParams, paramSpecs } from '../src/model/params';
import type { MedbindConfig } from '../src/model/config';
import type { WeightsManifest } from '../src/model/types';
import { selectionSvg, type CurvePoint } from './lib/curves';
import { seedSpread, type SeedRun } from './lib/selection-curve';

const { values: args } = parseArgs({
  options: {
    weights: { type: 'string', default: 'public/weights' },
    eval: { type: 'string' },
    sources: { type: 'string', default: 'public/demo/sources.json' },
  },
});

interface EvalJson {
  weights: string;
  data: string;
  excludedTrainingItems: number;
  protocol: { repeats: number };
  datasets: Record<string, {
    modality: string;
    n: number;
    toText: Record<string, number>;
    zeroShot?: { task: string; classes: string[]; n: number; balancedAccuracy: number; perClassCount: number[]; perClassRecall?: number[]; paperPrompts?: { balancedAccuracy: number } };
    fewShot?: Record<string, { mean: number; sd: number; effectiveK: number[] }>;
  }>;
  baselines?: { task: string; datasets: Record<string, { n: number; rawLeads: { representation: string; trainedOnLabels: { nTrain: number; balancedAccuracy: number }; fewShot: Record<string, { mean: number; sd: number }> }; supervised?: { model: string; nTrain: number; steps: number; selectedStep: number | null; balancedAccuracy: number | null } }> };
  pairs?: { file: string; n: number; candidates: number; cxrToEcg: Record<string, number>; hypertrophyFromCxr: { n: number; positives: number; balancedAccuracy: number } | null; cardiomegalyFromEcg: { n: number; positives: number; balancedAccuracy: number } | null };
}

const pct = (x: number | undefined) => (x === undefined ? '–' : (100 * x).toFixed(1));

async function main(): Promise<void> {
  const dir = args.weights!;
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as WeightsManifest;
  const config = manifest.config as MedbindConfig;
  const curve = JSON.parse(await readFile(join(dir, 'training-curve.json'), 'utf8')) as {
    steps: number;
    totalSteps: number;
    batch: number;
    seed: number;
    selection?: { step: number; smoothedScore: number; window: number; lastStep: number } | null;
    seedRuns?: SeedRun[];
    curve: CurvePoint[];
  };
  const ev = JSON.parse(await readFile(args.eval ?? join(dir, 'eval.json'), 'utf8')) as EvalJson;
  const sources = JSON.parse(await readFile(args.sources!, 'utf8')) as { name: string; citation: string; licence: string; licenceUrl: string }[];
  const params = (['cxr', 'ecg', 'text'] as const).map((e) => [e, countParams(paramSpecs(config, [e]))] as const);
  const bytes = manifest.files.filter((f) => f.name.endsWith('.bin')).reduce((a, f) => a + f.bytes, 0);
  const last = curve.curve[curve.curve.length - 1];
  const vals = curve.curve.filter((p) => p.val !== undefined);

  const L: string[] = [];
  L.push(`# Model card: ${manifest.name} ${manifest.version}`, '');
  L.push(`MEDBind_${manifest.variant} (${manifest.variant === 'BD' ? 'TMCL + EMCL' : 'TMCL only'}): chest X-ray, 12-lead ECG and report text in one ${manifest.embedDim}-d L2-normalised space, text as the anchor, tau = ${manifest.tau}. Trained by us in Node (tfjs, wasm backend) with \`npm run pretrain\`; evaluated with \`npm run eval\`.`, '');
  L.push('> **No public data pairs a CXR and an ECG of the same patient.** The CXR-ECG term (EMCL) of this model was trained on a DEMO pairing made by shared finding category (a normal CXR with a normal ECG; cardiomegaly with hypertrophy), listed in `demo-pairing.csv`. CXR-to-ECG results of this model are a demonstration of the mechanism, **not clinical evidence**.', '');
  L.push('## Architecture', '');
  L.push('| encoder | input | design | parameters |', '|---|---|---|---|');
  L.push(`| CXR | grayscale ${config.cxr.sizePx}x${config.cxr.sizePx} | ${config.cxr.patchPx}x${config.cxr.patchPx} patches, patch-merging stages ${config.cxr.stageDims.join('/')} (Swin-like hierarchy without convolutions), then ${config.cxr.depth} transformer layers over the 7x7 tokens + CLS | ${params[0][1].toLocaleString('en')} |`);
  const e = config.ecg;
  const ecgStem =
    e.stem === 'conv1d'
      ? `residual 1-D conv stem (xresnet1d-style; ${e.convChannels!.length} stages of ${e.convChannels!.join('/')} channels, kernels ${e.convKernels!.join('/')}, conv -> LayerNorm -> ReLU -> average pooling x${e.convPools!.join('/x')} -> pre-norm residual conv; ${e.nSamples / e.convPools!.reduce((a, b) => a * b, 1)} time tokens), then ${e.depth} transformer layers (dim ${e.dim}) + CLS`
      : `${e.patchSamples}-sample patch stem (dim ${e.stemDim}), merge x${e.mergeTokens}, ${e.depth} transformer layers (dim ${e.dim}) over time tokens + CLS`;
  L.push(`| ECG | 12 x ${e.nSamples} (${e.fsHz} Hz, 10 s) | ${ecgStem} | ${params[1][1].toLocaleString('en')} |`);
  const vocab = JSON.parse(await readFile(join(dir, manifest.tokenizer), 'utf8')) as { format: string; wordCount?: number; abbreviations?: Record<string, string> };
  const textIn =
    vocab.format === 'medbind-subword-vocab'
      ? `first ${config.text.maxWords} words (at most ${config.text.maxTokens - 1} tokens) after expanding ${Object.keys(vocab.abbreviations ?? {}).length} clinical abbreviations; subword vocabulary of ${config.text.vocabSize} tokens (${vocab.wordCount} whole words + WordPiece pieces learned by BPE on our corpus), so no ASCII word is [UNK]`
      : `first ${config.text.maxWords} words, word vocabulary of ${config.text.vocabSize} built from the training corpus`;
  L.push(`| text | ${textIn} | embeddings + positions, ${config.text.depth} transformer layers (dim ${config.text.dim}) + CLS | ${params[2][1].toLocaleString('en')} |`);
  L.push('', `Each encoder ends in one linear projection to ${manifest.embedDim}-d and L2 normalisation. Weights ship as float16 (${(bytes / 1e6).toFixed(1)} MB), each file with its sha256 in \`manifest.json\`.`, '');
  L.push('## Training', '');
  L.push(`- Data (training split only): ${manifest.trainedOn.join(', ')}; ROCO captions and CheXpert phrases as extra text. Splits: PTB-XL strat_fold 1-7 train, 8 validation (9-10 are held out upstream); every other set 80/20 by a hash of the patient key (patient-disjoint).`);
  L.push('- Text: ECG reports in the paper\'s format ("ECG presents ... Additional findings include ...") from PTB-XL statement descriptions, LUDB diagnoses and SNOMED names, plus the diagnostic superclass in words; CXR text is built from the labels as report-style sentences (CheXpert phrase variants). Because the text is derived from labels, zero-shot accuracy here measures how well the image/signal encoder separates the labelled classes through the text space; it is not comparable with the paper\'s free-text MIMIC numbers.');
  const t = config.train;
  L.push(`- ${curve.steps} steps of batch ${curve.batch} CXR + ${curve.batch} ECG (with their texts), AdamW (weight decay ${t.weightDecay}, peak lr ${t.peakLr}, ${t.warmupSteps} warm-up steps, cosine over ${curve.totalSteps}), seed ${curve.seed}; ECGs drawn with 1/sqrt(label-set frequency) weights (PTB-XL has 194 NORM-only and 3 HYP-only training records).`);
  L.push(`- Augmentation (seeded, label-preserving): ECG amplitude scaling ±${100 * (t.ecgScaleJitter ?? 0)}% (one factor for all leads), baseline wander up to ${t.ecgWanderMv ?? 0} mV at 0.05-0.5 Hz, one lead zeroed with p = ${t.ecgLeadDropout ?? 0}, a kept window of ${(t.ecgCropSeconds ?? [10, 10]).join('-')} s (zero elsewhere) with p = ${t.ecgCropProb ?? 0}, Gaussian noise ${t.ecgNoiseStdMv} mV; CXR rotation ±${t.cxrMaxRotateDeg ?? 0}°, zoom ±${100 * (t.cxrMaxZoom ?? 0)}%, shifts ±${t.cxrMaxShiftPx} px, contrast/brightness ±${t.cxrIntensityJitter}, no flips (laterality); text phrasing variants. No inference-time window averaging.`);
  L.push(`- Final training loss ${last.total.toFixed(3)}${vals.length ? `; validation loss ${vals.map((v) => `${v.val!.toFixed(2)}@${v.step}`).join(', ')}` : ''}. Curves: \`training-curve.svg\`, \`training-curve.json\`.`, '');
  L.push('## Model selection', '');
  const validated = curve.curve.filter((p) => p.valScore !== undefined && p.valMetrics);
  if (curve.selection && validated.length) {
    const sel = curve.selection;
    L.push(`Every ${validated.length > 1 ? validated[1].step - validated[0].step : validated[0].step} steps the validation split (PTB-XL fold 8, the patient-disjoint 20% of the pediatric set) is embedded and scored; the score is the mean of PTB-XL 5-superclass zero-shot balanced accuracy, PTB-XL 16-shot probe (30 support sets), PTB-XL ECG -> text R@10 and pediatric pneumonia zero-shot balanced accuracy. The shipped weights are those of **step ${sel.step}** of ${sel.lastStep}, the best score smoothed over ${sel.window} neighbouring validation points (${sel.smoothedScore.toFixed(3)}). The same split chooses the step and reports the numbers below, so they are optimistic by the selection; the held-out test split is measured elsewhere. Curve: \`validation-curve.svg\`.`, '');
    L.push('| step | score | PTB-XL zero-shot | PTB-XL 16-shot | PTB-XL R@10 | pediatric zero-shot |', '|---|---|---|---|---|---|');
    for (const p of validated) {
      const m = p.valMetrics!;
      const b = (s: string) => (p.step === sel.step ? `**${s}**` : s);
      L.push(`| ${b(String(p.step))} | ${b(pct(p.valScore))} | ${pct(m.ptbxlZeroShot)} | ${pct(m.ptbxl16Shot)} | ${pct(m.ptbxlR10)} | ${pct(m.pediatricZeroShot)} |`);
    }
    await writeFile(join(dir, 'validation-curve.svg'), selectionSvg(curve.curve, sel.step, `Validation metrics and model selection (${manifest.version})`));
    L.push('');
  } else L.push('These weights were trained before validation-based selection: the last step is shipped.', '');
  if (curve.seedRuns && curve.seedRuns.length > 0) {
    const sp = seedSpread(curve.seedRuns);
    L.push(`Seeds: ${sp.n} training seed${sp.n > 1 ? 's' : ''} of the same configuration, each selected the same way; selection score ${pct(sp.mean)}${Number.isFinite(sp.sd) ? ` ± ${pct(sp.sd)} (mean ± sd)` : ''}. The shipped weights are seed ${curve.seed}.`, '');
    L.push('| seed | selected step | score | PTB-XL zero-shot | PTB-XL 16-shot | PTB-XL R@10 | pediatric zero-shot |', '|---|---|---|---|---|---|---|');
    for (const r of curve.seedRuns) L.push(`| ${r.seed} | ${r.selectedStep} | ${pct(r.score)} | ${pct(r.metrics.ptbxlZeroShot)} | ${pct(r.metrics.ptbxl16Shot)} | ${pct(r.metrics.ptbxlR10)} | ${pct(r.metrics.pediatricZeroShot)} |`);
    L.push('');
  } else L.push(`Seeds: one training seed (seed ${curve.seed}); the spread between seeds is unknown.`, '');
  L.push('## Evaluation (npm run eval)', '');
  L.push(`Data: \`${ev.data}\`, every item the weights did not train on (${ev.excludedTrainingItems} training items left out; i.e. the validation split of each set). Few-shot: linear probe on frozen embeddings, mean ± sd of balanced accuracy over ${ev.protocol.repeats} random support sets, tested on the rest. Counts are small: read the sd.`, '');
  L.push('| dataset | modality | n | to-text R@1 / R@5 / R@10 (pool) | zero-shot task | zero-shot bal. acc. | 1-shot | 4-shot | 16-shot |', '|---|---|---|---|---|---|---|---|---|');
  for (const [name, d] of Object.entries(ev.datasets)) {
    const fs = (k: string) => (d.fewShot?.[k] ? `${pct(d.fewShot[k].mean)} ± ${pct(d.fewShot[k].sd)}` : '–');
    L.push(`| ${name} | ${d.modality} | ${d.n} | ${pct(d.toText['R@1'])} / ${pct(d.toText['R@5'])} / ${pct(d.toText['R@10'])} (${d.toText.pool}) | ${d.zeroShot ? `${d.zeroShot.task}, n=${d.zeroShot.n} (${d.zeroShot.perClassCount.join('/')})` : '–'} | ${pct(d.zeroShot?.balancedAccuracy)} | ${fs('1')} | ${fs('4')} | ${fs('16')} |`);
  }
  const zs = Object.entries(ev.datasets).filter(([, d]) => d.zeroShot?.perClassRecall);
  if (zs.length) {
    L.push('', 'Zero-shot prompts: each class is the average of the paper\'s sentence ("This ECG shows X.") and the two sentence forms the ECG reports were trained with ("Diagnostic class: x.", "Interpretation: x."), `src/model/configs/prompt-ensembles.json`; `npm run prompt-study` compares prompt sets. Per-class recall and the paper\'s single prompt, on the same items:', '');
    for (const [name, d] of zs) {
      const z = d.zeroShot!;
      L.push(`- ${name}: recall ${z.classes.map((c, i) => `${c} ${pct(z.perClassRecall![i])}`).join(', ')}${z.paperPrompts ? `; with the paper's prompts ${pct(z.paperPrompts.balancedAccuracy)}` : ''}`);
    }
  }
  if (ev.pairs) {
    const p = ev.pairs;
    L.push('', `CXR -> ECG on the DEMO pairing (${p.n} pairs among validation items, ${p.candidates} candidate ECGs; a demonstration, not clinical evidence): R@1 ${pct(p.cxrToEcg['R@1'])}, R@5 ${pct(p.cxrToEcg['R@5'])}, R@10 ${pct(p.cxrToEcg['R@10'])}. Cross-modal zero-shot: hypertrophy from CXR with an ECG support set ${p.hypertrophyFromCxr ? `${pct(p.hypertrophyFromCxr.balancedAccuracy)} (n=${p.hypertrophyFromCxr.n}, ${p.hypertrophyFromCxr.positives} positive)` : 'not computable (one class)'}; cardiomegaly from ECG with a CXR support set ${p.cardiomegalyFromEcg ? `${pct(p.cardiomegalyFromEcg.balancedAccuracy)} (n=${p.cardiomegalyFromEcg.n}, ${p.cardiomegalyFromEcg.positives} positive)` : 'not computable (one class)'}.`);
  }
  if (ev.baselines) {
    L.push('', `### Baselines (npm run baselines; ${ev.baselines.task}, same validation items)`, '');
    L.push('| dataset | n | raw leads, linear probe on all training labels | raw leads 1-shot | raw leads 4-shot | raw leads 16-shot | supervised ECG encoder (labels only) |', '|---|---|---|---|---|---|---|');
    for (const [name, b] of Object.entries(ev.baselines.datasets)) {
      const f = (k: string) => (b.rawLeads.fewShot[k] ? `${pct(b.rawLeads.fewShot[k].mean)} ± ${pct(b.rawLeads.fewShot[k].sd)}` : '–');
      const sup = b.supervised ? `${pct(b.supervised.balancedAccuracy ?? undefined)} (step ${b.supervised.selectedStep} of ${b.supervised.steps}, ${b.supervised.nTrain} training ECGs)` : '–';
      L.push(`| ${name} | ${b.n} | ${pct(b.rawLeads.trainedOnLabels.balancedAccuracy)} (${b.rawLeads.trainedOnLabels.nTrain} training ECGs) | ${f('1')} | ${f('4')} | ${f('16')} | ${sup} |`);
    }
    const rep = Object.values(ev.baselines.datasets)[0]?.rawLeads.fewShot['16'] as { repeats?: number } | undefined;
    L.push('', `Raw leads: each lead averaged to 5 Hz (600 values), standardised with training statistics; few-shot over ${rep?.repeats ?? '?'} support sets.`);
    L.push('', 'The supervised classifier uses the shipped ECG encoder\'s configuration and initialisation plus a linear head, trained with cross-entropy, the same augmentation and sampling, its step chosen on the same validation items (optimistic in the same way).');
  }
  L.push('', '## Targets (issue: quality to reach, on unseen data)', '');
  const ptb = ev.datasets['ptb-xl'];
  const ker = ev.datasets['kermany-pediatric-cxr'];
  const row = (what: string, target: number, got: number | undefined) => L.push(`| ${what} | ≥ ${pct(target)} | ${pct(got)} | ${got === undefined ? 'not measured' : got >= target ? 'met' : 'not met'} |`);
  L.push('| target | aim | measured | |', '|---|---|---|---|');
  row('PTB-XL 5-superclass zero-shot balanced accuracy', 0.5, ptb?.zeroShot?.balancedAccuracy);
  row('PTB-XL 16-shot balanced accuracy', 0.6, ptb?.fewShot?.['16']?.mean);
  row('Pediatric pneumonia vs normal zero-shot', 0.9, ker?.zeroShot?.balancedAccuracy);
  row('PTB-XL ECG -> text Recall@10', 0.65, ptb?.toText['R@10']);
  L.push('', 'These are validation numbers (the split used for model selection); the targets are judged on the held-out test split (PTB-XL folds 9-10, a pediatric test set), which this repository never sees.');
  L.push('', 'Where a target is not met: the shared PTB-XL subset has 353 records (309 for training, 44 in fold 8 for validation; HYP has 25 records in all), so the ECG encoder is trained from scratch on ~500 ECGs in total; the paper pretrains on ~800k MIMIC-ECG records. The validation counts per class are in the table above: with 44 records, one record moves balanced accuracy by several points.', '');
  L.push('## Data and licences', '');
  for (const s of sources) L.push(`- **${s.name}** — ${s.licence} (${s.licenceUrl}). ${s.citation}`);
  L.push('- ROCO chest-radiograph captions (per-article CC BY) and the CheXpert labeler phrase lists (MIT) as text.', '');
  L.push('## Intended use', '', 'Research and education on the user\'s own machine. Not a medical device; not for diagnosis. No data leaves the browser.', '');
  await writeFile(join(dir, 'model-card.md'), L.join('\n'));
  process.stdout.write(`wrote ${join(dir, 'model-card.md')}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Writes a randomly initialised MEDBind model (default configuration, seeded) into public/weights, so the
// app can be built and tested end to end before trained weights exist. Trained weights overwrite it.
// Usage: node --import tsx tools/init-weights.ts [--out public/weights] [--seed 0]
import path from 'node:path';
import { initBackend } from '../src/model/backend';
import { defaultConfig } from '../src/model/config';
import { createParams, countParams, paramSpecs, disposeParams } from '../src/model/params';
import { Tokenizer } from '../src/model/tokenizer';
import { encodeWeights } from '../src/model/weights';
import { PAPER_PROMPT_SETS, classPrompts } from '../src/model/zeroshot';
import { writeWeightFiles } from './lib/weights-fs';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const SENTENCES = [
  'ECG presents sinus rhythm. Additional findings include left axis deviation.',
  'Normal ECG. No acute ST-T changes.',
  'Cardiomegaly with small bilateral pleural effusions.',
  'No acute cardiopulmonary process. Lungs are clear.',
  'Right lower lobe consolidation concerning for pneumonia.',
];

async function main(): Promise<void> {
  const out = path.resolve(arg('out', 'public/weights'));
  const seed = Number(arg('seed', '0'));
  const init = await initBackend('wasm');
  const prompts = Object.values(PAPER_PROMPT_SETS).flatMap((s) => s.classes.flatMap((c) => classPrompts(s, c)));
  const config = defaultConfig();
  const tokenizer = Tokenizer.build([...SENTENCES, ...prompts], config.text);
  config.text.vocabSize = tokenizer.vocabSize;
  const params = createParams(config, seed);
  try {
    const files = await encodeWeights(params, config, tokenizer, {
      version: `random-init-s${seed}`,
      variant: config.train.variant,
      demoPairing: false,
      trainedOn: [],
      float16: true,
    });
    await writeWeightFiles(out, files);
    const bytes = [...files.values()].reduce((a, f) => a + f.length, 0);
    console.log(`backend ${init.backend}; ${countParams(paramSpecs(config))} parameters, vocabulary ${tokenizer.vocabSize}; wrote ${files.size} files (${(bytes / 1e6).toFixed(2)} MB) to ${out}`);
  } finally {
    disposeParams(params);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

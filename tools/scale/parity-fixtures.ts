// `node --import tsx tools/scale/parity-fixtures.ts --out DIR [--weights DIR] [--demo public/demo]`
// Writes what the PyTorch parity tests compare against: 8 real CXRs, 8 ECGs and 8 texts of the demo library
// as the TypeScript pipeline prepares them, their embeddings from the tfjs (wasm) encoders with the given
// weights, and TMCL / EMCL values computed by src/model/losses.ts on those embeddings.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { loadEncoders, loadWeights } from '../../src/model/load';
import { emcl, textIdsOf, tmcl } from '../../src/model/losses';
import { embedItems, embedTexts } from '../lib/embed-items';
import { encodeNpy } from '../../src/formats/npy';
import { CXR_INPUT_LEN, ECG_INPUT_LEN, byModality, prepareFolder, stackInputs, type PreparedItem } from '../lib/prepared';
import { fileWeightSource } from '../lib/weights-fs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: '.cache/scale/parity' },
    weights: { type: 'string', default: 'public/weights' },
    demo: { type: 'string', default: 'public/demo' },
    n: { type: 'string', default: '8' },
  },
});

/** n items spread over the sorted list (several datasets, deterministic). */
function spread(items: PreparedItem[], n: number): PreparedItem[] {
  const sorted = [...items].sort((a, b) => (a.item.id < b.item.id ? -1 : 1));
  return Array.from({ length: Math.min(n, sorted.length) }, (_, i) => sorted[Math.floor((i * sorted.length) / n)]);
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const n = Number(args.n);
  const data = await prepareFolder(args.demo!);
  const cxr = spread(byModality(data.items, 'cxr'), n);
  const ecg = spread(byModality(data.items, 'ecg'), n);
  const texts = [...cxr.slice(0, n / 2), ...ecg.slice(0, n / 2)].map((p) => p.item.text);
  const source = fileWeightSource(args.weights!);
  const enc = await loadEncoders(source);
  const { tokenizer, config } = await loadWeights(source);
  const zc = await embedItems(enc, cxr);
  const ze = await embedItems(enc, ecg);
  const tv = await embedTexts(enc, texts);
  // Loss values on this batch: CXR rows i and ECG rows i carry texts i of a batch whose first m rows are pairs.
  const d = enc.embedDim;
  const tc = await embedTexts(enc, cxr.map((p) => p.item.text));
  const te = await embedTexts(enc, ecg.map((p) => p.item.text));
  const m = Math.min(4, n);
  const losses = tf.tidy(() => {
    const t2 = (a: Float32Array, rows: number) => tf.tensor2d(a, [rows, d]);
    return {
      tmclCxr: tmcl(t2(tc, n), t2(zc, n), textIdsOf(cxr.map((p) => p.item.text)), config.tau).dataSync()[0],
      tmclEcg: tmcl(t2(te, n), t2(ze, n), textIdsOf(ecg.map((p) => p.item.text)), config.tau).dataSync()[0],
      emcl: emcl(t2(zc.slice(0, m * d), m), t2(ze.slice(0, m * d), m), n, config.tau).dataSync()[0],
    };
  });
  const out = args.out!;
  await mkdir(out, { recursive: true });
  const f32 = (a: Float32Array, shape: number[]) => encodeNpy({ dtype: '<f4', shape, data: a });
  await writeFile(join(out, 'cxr-input.npy'), f32(stackInputs(cxr, CXR_INPUT_LEN), [cxr.length, config.cxr.sizePx, config.cxr.sizePx]));
  await writeFile(join(out, 'ecg-input.npy'), f32(stackInputs(ecg, ECG_INPUT_LEN), [ecg.length, config.ecg.leads.length, config.ecg.nSamples]));
  await writeFile(join(out, 'cxr-emb.npy'), f32(zc, [cxr.length, d]));
  await writeFile(join(out, 'ecg-emb.npy'), f32(ze, [ecg.length, d]));
  await writeFile(join(out, 'text-emb.npy'), f32(tv, [texts.length, d]));
  await writeFile(join(out, 'cxr-text-emb.npy'), f32(tc, [n, d]));
  await writeFile(join(out, 'ecg-text-emb.npy'), f32(te, [n, d]));
  const fixture = {
    weights: args.weights,
    version: enc.version,
    cxrIds: cxr.map((p) => p.item.id),
    ecgIds: ecg.map((p) => p.item.id),
    texts,
    textTokenIds: texts.map((t) => tokenizer.encode(t).slice(0, config.text.maxTokens)),
    cxrTexts: cxr.map((p) => p.item.text),
    ecgTexts: ecg.map((p) => p.item.text),
    paired: m,
    batchRows: n,
    losses,
  };
  await writeFile(join(out, 'fixture.json'), JSON.stringify(fixture, null, 1));
  enc.dispose();
  process.stderr.write(`[parity-fixtures] wrote ${out} (${cxr.length} CXR, ${ecg.length} ECG, ${texts.length} texts; weights ${enc.version})\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

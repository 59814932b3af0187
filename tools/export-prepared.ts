// `npm run export-prepared -- --data DIR --out DIR [--weights DIR | --build-vocab] [--pairs FILE] [--shard-rows N]`
// Writes what the PyTorch trainer (training/) reads: the model inputs exactly as the TypeScript pipeline
// prepares them (ECG [n, 12, 1000] at 100 Hz, CXR [n, 224, 224] grey, float32) in sharded .npy files,
// every item's texts as token ids of the app's tokenizer, the CXR-ECG pairing, the model configuration and
// parameter list, and index.json tying them together. PyTorch never re-implements the parsers.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig, type MedbindConfig } from '../src/model/config';
import { paramSpecs } from '../src/model/params';
import { Tokenizer } from '../src/model/tokenizer';
import { makeDemoPairing, parsePairingCsv, type Pair } from './lib/pairing';
import { CXR_INPUT_LEN, ECG_INPUT_LEN, prepareFolder, type PreparedItem } from './lib/prepared';
import { encodeNpy } from '../src/formats/npy';
import { buildTrainingTokenizer } from './lib/training-corpus';
import { contentHash } from '../src/formats/identity/content-hash';
import { listNodeFiles } from './lib/node-files';

export const PREPARED_FORMAT = 'medbind-prepared';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    out: { type: 'string', default: '.cache/scale/prepared' },
    weights: { type: 'string' },
    'build-vocab': { type: 'boolean', default: false },
    pairs: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'shard-rows': { type: 'string', default: '2048' },
  },
});

const log = (s: string) => process.stderr.write(`[export-prepared] ${s}\n`);

async function tokenizerAndConfig(train: PreparedItem[], texts: string[]): Promise<{ tokenizer: Tokenizer; config: MedbindConfig; from: string }> {
  if (args.weights && !args['build-vocab']) {
    const manifest = JSON.parse(await readFile(join(args.weights, 'manifest.json'), 'utf8')) as { config: MedbindConfig; tokenizer: string };
    const tokenizer = Tokenizer.fromJson(JSON.parse(await readFile(join(args.weights, manifest.tokenizer), 'utf8')));
    return { tokenizer, config: manifest.config, from: `the vocabulary and configuration of ${args.weights}` };
  }
  const base = defaultConfig();
  const tokenizer = await buildTrainingTokenizer(train, texts, args.data!, base);
  return { tokenizer, config: { ...base, text: { ...base.text, vocabSize: tokenizer.vocabSize } }, from: 'a vocabulary built from the training corpus' };
}

async function main(): Promise<void> {
  const data = await prepareFolder(args.data!, (d, n) => log(`preparing ${d}/${n} items`));
  for (const e of data.errors) log(`skipped ${e.file}: ${e.message}`);
  const train = data.items.filter((p) => p.item.split === 'train');
  const { tokenizer, config, from } = await tokenizerAndConfig(train, data.texts);
  log(`${data.items.length} items; tokenizer: ${from} (${tokenizer.vocabSize} tokens)`);

  let pairs: Pair[];
  if (args.pairs) {
    const parsed = parsePairingCsv(await readFile(args.pairs, 'utf8'), args.pairs);
    parsed.errors.forEach((e) => log(e));
    pairs = parsed.pairs;
  } else {
    pairs = makeDemoPairing(data.items.map((p) => p.item), Number(args.seed));
  }

  const out = args.out!;
  await mkdir(out, { recursive: true });
  const shardRows = Number(args['shard-rows']);
  const shards: Record<'ecg' | 'cxr', { file: string; rows: number }[]> = { ecg: [], cxr: [] };
  const where = new Map<string, { shard: number; row: number }>();
  for (const modality of ['ecg', 'cxr'] as const) {
    const items = data.items.filter((p) => p.item.modality === modality);
    const len = modality === 'ecg' ? ECG_INPUT_LEN : CXR_INPUT_LEN;
    const shape = modality === 'ecg' ? [config.ecg.leads.length, config.ecg.nSamples] : [config.cxr.sizePx, config.cxr.sizePx];
    for (let s = 0; s * shardRows < items.length; s++) {
      const part = items.slice(s * shardRows, (s + 1) * shardRows);
      const buf = new Float32Array(part.length * len);
      part.forEach((p, r) => {
        buf.set(p.input, r * len);
        where.set(p.item.id, { shard: s, row: r });
      });
      const file = `${modality}-${String(s).padStart(5, '0')}.npy`;
      await writeFile(join(out, file), encodeNpy({ dtype: '<f4', shape: [part.length, ...shape], data: buf }));
      shards[modality].push({ file, rows: part.length });
    }
  }

  // Texts: one table of distinct strings (identity = index, as TMCL's identical-text positives need) with token ids.
  const textIndex = new Map<string, number>();
  const textTable: { text: string; ids: number[] }[] = [];
  const textId = (t: string) => {
    let i = textIndex.get(t);
    if (i === undefined) {
      i = textTable.length;
      textIndex.set(t, i);
      textTable.push({ text: t, ids: tokenizer.encode(t).slice(0, config.text.maxTokens) });
    }
    return i;
  };
  // Content hashes as the app computes them (its item identity), so embeddings made from this export match
  // library items whatever their names (training/embed.py carries them into embeddings.json).
  const onDisk = new Map((await listNodeFiles(args.data!)).map((f) => [f.path, f]));
  const hashes = new Map<string, string>();
  for (const p of data.items) {
    const files = p.item.files.map((f) => onDisk.get(f.path));
    if (files.every((f) => f !== undefined)) hashes.set(p.item.id, await contentHash(files as NonNullable<(typeof files)[number]>[]));
  }
  const items = data.items.map((p) => ({
    id: p.item.id,
    modality: p.item.modality,
    dataset: p.item.dataset,
    split: p.item.split,
    patientKey: p.item.patientKey,
    labels: p.item.labels,
    files: p.item.files.map((f) => f.path),
    ...(hashes.has(p.item.id) ? { contentHash: hashes.get(p.item.id) } : {}),
    ...where.get(p.item.id)!,
    texts: [p.item.text, ...p.item.textVariants].map(textId),
  }));
  const pos = new Map(items.map((it, i) => [it.id, i]));
  const pairRows = pairs.filter((p) => pos.has(p.cxrId) && pos.has(p.ecgId)).map((p) => [pos.get(p.cxrId)!, pos.get(p.ecgId)!]);
  await writeFile(join(out, 'vocab.json'), JSON.stringify(tokenizer.toJson()));
  const index = {
    format: PREPARED_FORMAT,
    version: 1,
    source: args.data,
    config,
    params: paramSpecs(config).map((s) => ({ name: s.name, shape: s.shape, init: s.init, decay: s.decay })),
    vocab: 'vocab.json',
    shards,
    items,
    texts: textTable,
    pairs: pairRows,
    pairing: args.pairs ? { file: args.pairs, demo: false } : { file: null, demo: true },
  };
  await writeFile(join(out, 'index.json'), JSON.stringify(index));
  log(`wrote ${out}: ${shards.ecg.length + shards.cxr.length} shards, ${items.length} items, ${textTable.length} texts, ${pairRows.length} pairs`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

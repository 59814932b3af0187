// Ingest against the encoders alone, in Node, per modality: the real ingestFiles (identity, parse,
// preprocess, encode, IndexedDB write on fake-indexeddb) on demo files, and the same encoder calls on
// the same items' prepared inputs (batches of 16, plus the items' report texts, as ingest embeds them).
// Interleaved rounds, each ingest into a fresh library; CPU time of this process, so a loaded machine
// shifts both sides alike. The ratio encoder-only CPU / ingest CPU is the share of the encoders'
// throughput that ingest reaches (issue 13 aims at >= 0.8).
import 'fake-indexeddb/auto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { InputFile } from '../../src/formats/types';
import type { MedbindEncoders } from '../../src/model/types';
import { openStudioDb } from '../../src/storage/db';
import { embedTexts, ingestFiles } from '../../src/workers/engine/ingest';
import { LibraryIndex } from '../../src/workers/engine/library-index';
import { realDeps } from '../../src/workers/engine/real-deps';
import { embedInputs } from '../../src/workers/shared/embed-rows';
import { listNodeFiles } from '../lib/node-files';
import type { BenchRow } from './report';
import { limitFiles } from './search';
import { percentile } from './timing';

const AIM_RATIO = 0.8;
const BATCH = 16;

const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

export interface IngestRatioOptions {
  quick: boolean;
  encoders: MedbindEncoders;
  log: (msg: string) => void;
}

export async function benchIngestRatio(o: IngestRatioOptions): Promise<BenchRow[]> {
  const demo = path.join('public', 'demo');
  const sets = { ECG: ['ludb', 'cinc2021-sample'], CXR: ['covid19-hannover-cxr', 'nih-cxr14-mini'] } as const;
  const perSet = o.quick ? 16 : 32;
  const rounds = o.quick ? 3 : 7;
  const rows: BenchRow[] = [];
  for (const modality of ['ECG', 'CXR'] as const) {
    const files: InputFile[] = [];
    for (const set of sets[modality]) files.push(...limitFiles(await listNodeFiles(path.join(demo, set)), perSet));
    const disc = await realDeps.discoverDatasets(files);
    const inputs: Float32Array[] = [];
    for (const item of disc.items) {
      const l = await realDeps.loadItem(item);
      if (!l.ok) continue;
      if (l.value.modality === 'ecg') {
        const p = realDeps.preprocessEcg(l.value.record, item.id);
        if (p.ok) inputs.push(p.value.input);
      } else inputs.push(realDeps.preprocessCxr(l.value.image));
    }
    const texts = [...new Set(disc.items.map((it) => it.text.trim()).filter(Boolean))];
    const encodeOnly = async () => {
      for (let s = 0; s < inputs.length; s += BATCH) await embedInputs(o.encoders, modality === 'ECG' ? 'ecg' : 'cxr', inputs.slice(s, s + BATCH));
      if (texts.length) await embedTexts(o.encoders, texts);
    };
    const ingestOnce = async () => {
      const db = await openStudioDb({ name: `bench-ingest-${modality}-${Date.now()}-${Math.random()}` });
      try {
        const index = new LibraryIndex(o.encoders.version, o.encoders.embedDim);
        const r = await ingestFiles({ db, encoders: o.encoders, index, deps: realDeps, signal: new AbortController().signal, onProgress: () => undefined, batchSize: BATCH }, files);
        return r.added;
      } finally {
        db.close();
      }
    };
    o.log(`ingest / encoder-only: ${modality}, ${inputs.length} items from ${sets[modality].join(' + ')}, ${rounds} interleaved rounds`);
    await encodeOnly();
    await ingestOnce();
    const ratio: number[] = [];
    const ingestCpu: number[] = [];
    const encodeCpu: number[] = [];
    const ingestWall: number[] = [];
    let added = 0;
    for (let r = 0; r < rounds; r++) {
      let c0 = process.cpuUsage();
      const t0 = performance.now();
      added = await ingestOnce();
      ingestWall.push(performance.now() - t0);
      const ic = cpuMs(c0);
      c0 = process.cpuUsage();
      await encodeOnly();
      const ec = cpuMs(c0);
      ingestCpu.push(ic);
      encodeCpu.push(ec);
      // Both sides handle the same items: the throughput ratio is the inverse ratio of CPU times.
      ratio.push(ec / ic);
    }
    const q = median(ratio);
    const perCpuS = (ms: number) => ((inputs.length / ms) * 1000).toFixed(1);
    rows.push({
      issue: 13,
      name: `Node ingest / encoder-only throughput, ${modality} (${inputs.length} demo items, batch ${BATCH})`,
      result: `${q.toFixed(2)} (median of ${rounds} rounds, range ${Math.min(...ratio).toFixed(2)}-${Math.max(...ratio).toFixed(2)}): ingest ${perCpuS(median(ingestCpu))} vs encoders ${perCpuS(median(encodeCpu))} items per CPU-second`,
      value: q,
      unit: 'ratio',
      aim: `>= ${AIM_RATIO}`,
      met: q >= AIM_RATIO,
      note: `wasm, one thread; CPU time; ingest = identity + parse + preprocess + encode + store (fake-indexeddb), ${added} items added per round, wall ${median(ingestWall).toFixed(0)} ms; encoder-only includes the items' ${texts.length} report texts`,
    });
  }
  return rows;
}
